"""Kindred in each language, end to end: a server whose Discord language is Spanish, French, German,
Brazilian Portuguese (or English) gets its setup reply, daily post, answer form, answer reply, nudge
DM and errors in that language; an unsupported language falls back to English; the server's
language, each member's replies and a DM's language are each their own."""
from __future__ import annotations

import pytest

from bot import questions
from kindred_world import berlin

INTERVIEW = "I have a job interview on Thursday and I'm really nervous"

# What each language says, written out here (not looked up in the catalogs the bot uses).
SPEAKS = {
    "en": dict(locale="en-US", all_set="All set. Kindred will post a question in", posts_in="Posts are in English.",
               partner="They'll get gentle check-in DMs from day one", error="I couldn't read the time 'banana'.",
               title="Question of the day", buttons=["Answer", "Answer privately"], thread="Answers · Mon, Dec 7",
               modal="Your answer", answered="💛 Your answer is saved and posted in the day's thread.",
               dm="💛 A gentle nudge from Kindred", friday="It's Friday: ask how the job interview went?",
               intro="👋 I'm Kindred, a bot **alice** set up in **Home**",
               dm_buttons=["I checked in", "Remind me tomorrow", "Not for me", "Stop these"],
               done="✅ You checked in. That matters."),
    "es": dict(locale="es-ES", all_set="Todo listo. Kindred publicará una pregunta en",
               posts_in="Las publicaciones serán en español.", partner="Recibirá DM de seguimiento, siempre con tacto, desde el primer día",
               error="No entendí la hora 'banana'.", title="Pregunta del día",
               buttons=["Responder", "Responder en privado"], thread="Respuestas · lun, 7 dic", modal="Tu respuesta",
               answered="💛 Tu respuesta está guardada y publicada en el hilo del día.",
               dm="💛 Un pequeño aviso de Kindred", friday="Hoy es viernes: ¿por qué no le preguntas cómo le fue con su job interview?",
               intro="👋 Soy Kindred, un bot que **alice** configuró en **Home**",
               dm_buttons=["Ya le escribí", "Recuérdamelo mañana", "No es para mí", "No más avisos"],
               done="✅ Le escribiste. Eso importa."),
    "fr": dict(locale="fr", all_set="C'est prêt. Kindred publiera une question dans",
               posts_in="Les publications seront en français.", partner="Des MP de suivi bienveillants dès le premier jour",
               error="Je n'ai pas compris l'heure 'banana'.", title="Question du jour",
               buttons=["Répondre", "Répondre en privé"], thread="Réponses · lun. 7 déc.", modal="Ta réponse",
               answered="💛 Ta réponse est enregistrée et publiée dans le fil du jour.",
               dm="💛 Un petit rappel de Kindred",
               friday="Nous sommes vendredi\u00a0: demande-lui comment ça s'est passé (job interview)\u00a0?",
               intro="👋 Je suis Kindred, un bot que **alice** a configuré sur **Home**",
               dm_buttons=["J'ai pris des nouvelles", "Rappelle-le-moi demain", "Pas pour moi", "Ne plus recevoir"],
               done="✅ Tu as pris des nouvelles. Ça compte."),
    "de": dict(locale="de", all_set="Alles bereit. Kindred postet jeden Tag um **09:00**",
               posts_in="Die Posts sind auf Deutsch.", partner="Ab dem ersten Tag kommen sanfte Nachfrage-DMs",
               error="Die Uhrzeit 'banana' verstehe ich nicht.", title="Frage des Tages",
               buttons=["Antworten", "Privat antworten"], thread="Antworten · Mo., 7. Dez.", modal="Deine Antwort",
               answered="💛 Deine Antwort ist gespeichert und im Thread des Tages gepostet.",
               dm="💛 Ein kleiner Anstoß von Kindred", friday="Heute ist Freitag: frag doch, wie es gelaufen ist (Stichwort: job interview).",
               intro="👋 Ich bin Kindred, ein Bot, den **alice** auf **Home** eingerichtet hat",
               dm_buttons=["Hab mich gemeldet", "Morgen erinnern", "Nichts für mich", "Nicht mehr senden"],
               done="✅ Du hast dich gemeldet. Das zählt."),
    "pt-BR": dict(locale="pt-BR", all_set="Tudo pronto. O Kindred vai publicar uma pergunta em",
                  posts_in="As publicações serão em português (Brasil).",
                  partner="Essa pessoa vai receber lembretes carinhosos por DM desde o primeiro dia", error="Não entendi o horário 'banana'.",
                  title="Pergunta do dia", buttons=["Responder", "Responder em privado"],
                  thread="Respostas · seg., 7 de dez.", modal="Sua resposta",
                  answered="💛 Sua resposta foi salva e publicada no tópico do dia.",
                  dm="💛 Um lembrete carinhoso do Kindred", friday="Hoje é sexta-feira: que tal perguntar como foi (job interview)?",
                  intro="👋 Eu sou o Kindred, um bot que **alice** configurou em **Home**",
                  dm_buttons=["Já falei com a pessoa", "Lembrar amanhã", "Não é pra mim", "Parar DMs"],
                  done="✅ Você falou com a pessoa. Isso faz diferença."),
}


def _speak(kindred, locale: str, *people) -> None:
    kindred.guild.preferred_locale = locale
    for person in people:
        person.user.locale = locale


def _posts(kindred):
    return [m for m in kindred.emu.messages_in(kindred.us) if m.embeds]


@pytest.mark.parametrize("language", list(SPEAKS))
async def test_a_server_gets_its_whole_kindred_in_its_language(kindred, language):
    says = SPEAKS[language]
    _speak(kindred, says["locale"], kindred.alice, kindred.bob)

    bad = await kindred.alice.slash("kindred setup", channel=kindred.us, time="banana", timezone="Europe/Berlin")
    assert bad.message.ephemeral and says["error"] in bad.message.content, bad.message.content
    res = await kindred.alice.slash("kindred setup", channel=kindred.us, time="09:00", timezone="Europe/Berlin",
                                    mode="partner", partner=kindred.bob)
    reply = res.message.content
    assert res.message.ephemeral and reply.startswith(says["all_set"]), reply
    assert says["posts_in"] in reply and says["partner"] in reply, reply
    assert f"<t:{int(berlin(7, 9).timestamp())}:F>" in reply, "the time as Discord's markup, for each reader's zone"

    await kindred.at(berlin(7, 9))
    [post] = _posts(kindred)
    embed = post.embeds[0]
    assert embed["title"] == says["title"]
    assert [b["label"] for b in post.buttons if "label" in b] == says["buttons"], "and the four signals, emoji only"
    [prompt] = await kindred.query("SELECT q.bank_key FROM prompts p JOIN questions q ON q.id = p.question_id")
    bank = {e["id"]: e for e in questions.load_bank()}[prompt[0]]
    question = bank["texts"].get(language, bank["text"])
    assert (question == bank["text"]) == (language == "en"), "every language has its own text of the question"
    assert embed["description"] == f"**{question}**", "the question in the server's language, under its one id"

    opened = await kindred.bob.click(post, says["buttons"][0])
    assert opened.modal.title == says["modal"]
    answered = await (await kindred.bob.submit_modal(opened.modal, "Mein Tag war gut")).wait_followup()
    assert answered.ephemeral and answered.content.startswith(says["answered"]), answered.content
    assert kindred.emu.thread_of(post).name == says["thread"], "opened with the first answer, in the server's language"
    [card] = kindred.emu.messages_in(kindred.emu.thread_of(post))
    assert card.embeds[0]["footer"]["text"] == question

    await kindred.alice.slash("share", text=INTERVIEW)
    await kindred.eventually("SELECT COUNT(*) FROM followups", [(1,)])
    await kindred.at(berlin(11, 18))  # Friday evening
    [dm] = await kindred.bob.wait_dms(1)
    assert dm.content.startswith(says["intro"]), dm.content
    assert says["dm"] in dm.content and says["friday"] in dm.content, dm.content
    assert "I have a job interview on Thursday and I'm really nervous" in dm.content, "alice's words, quoted"
    assert [b["label"] for b in dm.buttons] == says["dm_buttons"]
    done = await kindred.bob.click(dm, says["dm_buttons"][0])
    assert says["done"] in done.message.content


async def test_an_unsupported_server_language_falls_back_to_english(kindred):
    _speak(kindred, "ja", kindred.alice, kindred.bob)
    res = await kindred.alice.slash("kindred setup", channel=kindred.us, time="09:00", timezone="Europe/Berlin")
    assert "All set." in res.message.content and "Posts are in English." in res.message.content
    await kindred.at(berlin(7, 9))
    [post] = _posts(kindred)
    assert post.embeds[0]["title"] == "Question of the day"
    assert [b["label"] for b in post.buttons if "label" in b] == ["Answer", "Answer privately"]
    bad = await kindred.bob.slash("privacy", quiet_start="banana")
    assert "I couldn't read the time 'banana'." in bad.message.content


async def test_server_member_and_dm_languages_are_each_their_own(kindred):
    """The server chose German; alice's client is English, bob's French. Posts are German, replies
    follow each client, and a DM follows its recipient's last seen locale, else the server's."""
    kindred.bob.user.locale = "fr"
    await kindred.alice.slash("kindred setup", channel=kindred.us, time="09:00", timezone="Europe/Berlin",
                              mode="partner", partner=kindred.bob)
    chosen = await kindred.alice.slash("kindred settings", language="de")
    assert "language **German (chosen)**" in chosen.message.content, "alice reads English"
    await kindred.at(berlin(7, 9))
    [post] = _posts(kindred)
    assert post.embeds[0]["title"] == "Frage des Tages"
    await (await kindred.alice.submit_modal((await kindred.alice.click(post, "Antworten")).modal, "gut")).wait_followup()
    assert kindred.emu.thread_of(post).name == "Antworten · Mo., 7. Dez.", "opened with the first answer"

    await kindred.alice.slash("share", text=INTERVIEW)
    await kindred.at(berlin(11, 18))
    [first] = await kindred.bob.wait_dms(1)
    assert first.content.startswith("👋 Ich bin Kindred"), "bob never used Kindred: the server's language"
    assert [b["label"] for b in first.buttons][0] == "Hab mich gemeldet"
    done = await kindred.bob.click(first, "Hab mich gemeldet")
    assert "✅ Tu as pris des nouvelles." in done.message.content, "bob pressed it: his reply is in his language"
    opened = await kindred.bob.click(post, "Antworten")
    assert opened.modal.title == "Ta réponse", "his form too"

    await kindred.alice.slash("share", text="exam tomorrow, so stressed")  # Saturday: a nudge on Sunday evening
    await kindred.eventually("SELECT COUNT(*) FROM followups WHERE status = 'planned'", [(1,)])
    await kindred.at(berlin(13, 19))
    [_, second] = await kindred.bob.wait_dms(2)
    assert second.content.startswith("💛 Un petit rappel de Kindred"), "now Kindred knows bob reads French"
    assert "Nous sommes dimanche" in second.content and [b["label"] for b in second.buttons][0] == "J'ai pris des nouvelles"

    back = await kindred.alice.slash("kindred settings", language="auto")
    assert "language **English (from Discord)**" in back.message.content


async def test_the_servers_posts_follow_a_change_of_its_discord_language(kindred):
    await kindred.setup()
    kindred.guild.set_preferred_locale("pt-BR")  # in Server Settings, with no interaction since
    await kindred.eventually("SELECT discord_locale FROM guilds", [("pt-BR",)])
    await kindred.at(berlin(7, 9))
    [post] = _posts(kindred)
    assert post.embeds[0]["title"] == "Pergunta do dia"


async def test_slash_commands_are_synced_with_their_translations(kindred):
    [kindred_cmd] = [c for c in kindred.emu.commands.list() if c["name"] == "kindred"]
    setup = next(o for o in kindred_cmd["options"] if o["name"] == "setup")
    assert setup["name_localizations"]["de"] == "einrichten"
    assert setup["name_localizations"]["es-ES"] == setup["name_localizations"]["es-419"] == "configurar"
    assert setup["description_localizations"]["pt-BR"].startswith("Escolha o canal")


async def test_a_reply_names_commands_as_the_members_client_shows_them(kindred):
    """Discord shows a German client `/kindred einrichten`, so that is what Kindred's German reply says; a
    client in a language Kindred doesn't speak shows the English names, whatever language the reply is in."""
    _speak(kindred, "de", kindred.alice)
    res = await kindred.alice.slash("share", text=INTERVIEW)
    assert res.message.ephemeral and "`/kindred einrichten`" in res.message.content, res.message.content
    kindred.alice.user.locale = "en-US"
    res = await kindred.alice.slash("share", text=INTERVIEW)
    assert "`/kindred setup`" in res.message.content, res.message.content
    kindred.alice.user.locale = "ja"  # a client Kindred doesn't speak: German text, the names Discord shows it
    res = await kindred.alice.slash("share", text=INTERVIEW)
    assert "Ein Admin kann mit `/kindred setup` loslegen." in res.message.content, res.message.content
