"""The catalogs: every message the code and the slash commands use is translated in every language,
with the same placeholders, within Discord's limits; and which language a Discord locale means."""
from __future__ import annotations

import re
import string
from datetime import date

import discord
import pytest

from bot import i18n
from bot.app import EXTENSIONS, KindredBot
from bot.config import Config
from bot.i18n import extract
from bot.i18n.catalogs import read_catalog, translation
from bot.i18n.commands import KindredTranslator, translate
from bot.nudges import compose

LANGUAGES = i18n.available()[1:]
NAME = re.compile(r"^[-_\w]{1,32}$")


@pytest.fixture
async def tree(db, tmp_path):
    bot = KindredBot(Config("t", tmp_path / "k.db"), db)
    for name in EXTENSIONS:
        await bot.load_extension(name)
    yield bot.tree
    for name in EXTENSIONS:
        await bot.unload_extension(name)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_five_languages_are_there():
    assert {"en", "es", "fr", "de", "pt-BR"} <= set(i18n.available()) and i18n.available()[0] == "en"


async def test_every_message_is_translated_in_every_language(tree):
    wanted = {(None, m if isinstance(m, str) else m[0]) for m, _ in extract.source_messages()}
    wanted |= {(ctx, m) for m, ctx, _ in extract.tree_messages(tree)}
    assert len(wanted) > 300
    for language in LANGUAGES:
        catalog = read_catalog(language)
        missing = [m for ctx, m in sorted(wanted, key=str)
                   if not (entry := catalog.get(m, context=ctx)) or entry.fuzzy
                   or not all(entry.string if isinstance(entry.string, tuple) else (entry.string,))]
        assert not missing, f"{language}.po lacks {len(missing)} translations (run `python -m bot.i18n update`, then " \
                            f"translate): {missing[:5]}"


def test_placeholders_are_the_same_in_every_translation():
    for language in LANGUAGES:
        for entry in read_catalog(language):
            if not entry.id:
                continue
            if isinstance(entry.id, tuple):
                allowed = fields(entry.id[0]) | fields(entry.id[1])
                for form in entry.string:
                    assert fields(form) <= allowed, (language, entry.id, form)
                assert fields(entry.string[-1]) == fields(entry.id[1]), (language, entry.id)
            else:
                assert fields(entry.string) == fields(entry.id), (language, entry.id, entry.string)
                # leading and trailing spaces join the message to its neighbours
                assert entry.string[:1].isspace() == entry.id[:1].isspace(), (language, entry.id)
                assert entry.string[-1:].isspace() == entry.id[-1:].isspace(), (language, entry.id)


def command_refs(text: str) -> list[str]:
    """The commands a message quotes, without the options' example values (`/kindred settings partner:`)."""
    return sorted(re.sub(r":\S*", ":", ref) for ref in re.findall(r"`/[^`]+`|`[a-z_]+:[^`]*`", text))


def test_catalogs_name_commands_as_the_source_does():
    """A translation quotes a command (`/privacy check_ins:true`) in the source's words: rendering puts
    it in the reader's command names, from the same catalog Discord shows them with."""
    for language in LANGUAGES:
        for entry in read_catalog(language):
            if entry.id and isinstance(entry.id, str):
                assert command_refs(entry.string) == command_refs(entry.id), (language, entry.id, entry.string)


def test_a_quoted_command_reads_as_the_members_client_shows_it():
    message = i18n._("Nudges are off. Turn them on with `/privacy check_ins:true`; see what I keep with `/memories`.")
    assert i18n.render(message, "en") == str(message)
    for language in LANGUAGES:
        names = {word: translate(word, language, True) or word for word in ("privacy", "check_ins", "memories")}
        assert f"`/{names['privacy']} {names['check_ins']}:true`" in message.render(language)
        assert f"`/{names['memories']}`" in message.render(language)
    assert "`/privatsphäre hinweise:true`" in message.render("de") and "`/erinnerungen`" in message.render("de")
    alone = i18n._("Add `private:true` to keep it to yourself; `09:00` is a time.")
    assert "`privat:true`" in alone.render("de") and "`09:00`" in alone.render("de")
    # German text for a client Kindred doesn't speak (Discord shows it the English command names)
    assert "`/privacy check_ins:true`" in i18n.render(message, "de", commands="en")


async def test_slash_commands_translate_within_discords_rules(tree):
    translator = KindredTranslator()
    for language in LANGUAGES:
        locales = [loc for loc in discord.Locale if i18n.match(loc) == language]
        assert locales, language
        for message, context, where in extract.tree_messages(tree):
            found = translate(message, language, context is not None)
            if context is not None:  # a name
                assert found is None or (NAME.match(found) and found == found.lower()), (language, where, found)
            else:  # a description or a choice ("gratitude" may stay "gratitude": then Discord shows the default)
                assert len(translation(language).gettext(message)) <= 100, (language, where, found)
        # names stay unique among their siblings, in every language
        for command in tree.walk_commands():
            siblings = command.parent.commands if command.parent else tree.get_commands()
            names = [translate(c.name, language, True) or c.name for c in siblings]
            assert len(names) == len(set(names)), (language, names)
            if isinstance(command, discord.app_commands.Command):
                options = [translate(p.name, language, True) or p.name for p in command.parameters]
                assert len(options) == len(set(options)), (language, command.qualified_name, options)
        payload = await tree.get_command("kindred").get_translated_payload(tree, translator)
        setup = next(o for o in payload["options"] if o["name"] == "setup")
        assert setup["name_localizations"][locales[0].value] == translate("setup", language, True) != "setup"
        assert payload["description_localizations"][locales[0].value] != payload["description"]


def test_buttons_and_modal_fit_discords_limits():
    from bot.discord_adapter import followup_view, prompt_message
    from bot.ports import PromptCard
    from cogs.daily import AnswerModal

    for language in i18n.available():
        card = PromptCard(1, 2, "What made you smile?", "light", date(2026, 12, 4), language)
        buttons = [b for row in prompt_message(card)["components"] for b in row["components"]]
        labels = [b["label"] for b in buttons if "label" in b]  # the signals are emoji only
        labels += [item.label for item in followup_view(3, language).children]
        assert len(labels) == 6 and all(0 < len(label) <= 80 for label in labels), language
        for visibility in ("group", "private"):
            modal = AnswerModal(1, 2, "What made you smile?", visibility, None, language)
            assert 0 < len(modal.title) <= 45 and len(modal.answer.placeholder) <= 100, (language, modal.title)
    german = prompt_message(PromptCard(1, 2, "Q?", "light", date(2026, 12, 4), "de"))
    assert german["components"][0]["components"][1]["label"] == "Privat antworten"


def test_a_discord_locale_means_its_catalog_or_its_language_else_english():
    assert i18n.match("es-419") == i18n.match("es-ES") == "es"
    assert i18n.match(discord.Locale.brazil_portuguese) == "pt-BR"
    assert i18n.match("en-GB") == "en" and i18n.match("fr") == "fr" and i18n.match("de") == "de"
    assert i18n.match("ja") is None and i18n.resolve("ja") == "en"
    assert i18n.resolve(None, "ja", "de") == "de", "the first supported one wins"


def test_days_are_named_in_the_readers_language():
    friday = date(2026, 12, 4)
    assert [i18n.day_name(friday, lang) for lang in ("en", "es", "fr", "de", "pt-BR")] == \
        ["Friday", "viernes", "vendredi", "Freitag", "sexta-feira"]
    assert i18n.render(i18n._("It's {day}: {suggestion}", day=i18n.Day(friday), suggestion="x"), "de") == \
        "Heute ist Freitag: x"


def test_a_nudge_reads_naturally_in_each_language():
    from datetime import datetime, timezone

    from bot.followups import FollowUp
    from bot.nudges import Nudge

    now = datetime(2026, 12, 4, 17, 0, tzinfo=timezone.utc)  # a Friday
    f = FollowUp(1, 1, 2, 3, 4, None, "upcoming interview", None, date(2026, 12, 3), None, now, 0, "planned", False,
                 None, None)
    nudge = Nudge(f, "Sam", datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc), "big day Thursday", False)
    texts = {lang: compose([nudge], now, "Europe/Berlin", lang) for lang in i18n.available()}
    assert texts["en"].startswith("💛 A gentle nudge from Kindred\n\nOn Monday **Sam** shared: “big day Thursday”")
    assert "It's Friday: ask how they're doing?" in texts["en"]
    assert "El lunes, **Sam** compartió: «big day Thursday»" in texts["es"] and "Hoy es viernes" in texts["es"]
    assert "Lundi, **Sam** a partagé" in texts["fr"] and "Nous sommes vendredi" in texts["fr"]
    assert "Am Montag hat **Sam** geteilt: „big day Thursday“" in texts["de"] and "Heute ist Freitag" in texts["de"]
    assert "Segunda-feira, **Sam** compartilhou" in texts["pt-BR"] and "Hoje é sexta-feira" in texts["pt-BR"]
    assert "(it: Thursday, December 3, 2026)" in texts["en"] and "(Termin: Donnerstag, 3. Dezember 2026)" in texts["de"]
    two = compose([nudge, nudge], now, "Europe/Berlin", "de")
    assert two.startswith("💛 2 kleine Anstöße von Kindred")


def test_numbers_use_the_readers_grouping():
    assert i18n.render(i18n.Number(2000), "en") == "2,000"
    assert i18n.render(i18n.Number(2000), "de") == "2.000"


def test_untranslated_language_falls_back_to_the_english_message():
    assert translation("xx").gettext("Answer") == "Answer"
    assert i18n.render(i18n._("Answer"), "xx") == "Answer"


async def test_every_erasure_count_has_words_for_the_member(db, port):
    from bot import data_rights
    from cogs.privacy import ERASED

    erased = await data_rights.forget(db, port, 1, 2)
    assert set(erased.counts) <= set(ERASED), set(erased.counts) - set(ERASED)


def test_stats_read_in_the_readers_language():
    from datetime import timedelta

    from bot import stats

    today = date(2026, 12, 27)
    days = tuple((today - timedelta(days=27 - i), 1 if i >= 26 else 0) for i in range(28))
    weeks = tuple(stats.Week(today - timedelta(days=27 - 7 * i), 2 if i == 3 else 0, 1 if i == 3 else 0, 1, 1)
                  for i in range(4))
    figures = stats.Figures(today, days, weeks, 2)
    de = stats.summary(figures, "de").splitlines()
    assert de[0] == "**Letzte vier Wochen** (Mo. 30 Nov. – So. 27 Dez.)"
    assert de[2].startswith("Diese Woche: **2** Antworten von 1 Mitglied; pro Tag: Mo. 0")
    assert de[3] == "Antwortserie: **2** Tage"
    assert stats.summary(figures).splitlines()[0] == "**Last four weeks** (Mon 30 Nov – Sun 27 Dec)"
    assert stats.alt_text(figures, "es").startswith("Gráfico de las últimas cuatro semanas de este servidor.")
