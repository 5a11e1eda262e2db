"""Reading a share (bot.reading): dates in five languages, the Moment, the pre-filter, languages,
and loading the shipped model."""
from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import FrozenInstanceError
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.reading import FEELINGS, MAX_SHARE_CHARS, Moment, explain, read_share
from bot.reading import corpus, dates, language, prefilter
from bot.reading.text import fold

ROOT = Path(__file__).resolve().parents[1]
MONDAY = "2026-12-07T10:15"    # Monday 7 December 2026
THURSDAY = "2026-12-10T21:40"
SATURDAY = "2026-12-12T08:05"
SUNDAY = "2026-12-27T14:30"    # month end is near


def read(text: str, now: str = MONDAY, tz: str = "Europe/Berlin", locale: str | None = None,
         date_always: bool = True) -> Moment:
    """The reading with its dates (most tests here are about dates, on shares of either kind)."""
    when = datetime.fromisoformat(now)
    return read_share(text, when if when.tzinfo else when.replace(tzinfo=ZoneInfo(tz)), tz, locale,
                      date_always=date_always)


def test_the_screen_settles_plain_small_talk_without_its_dates():
    """Small talk the words alone settle is read without language or dates, unless the date is wanted;
    the decision is the same either way, and a share worth a follow-up always has its date."""
    chat = "anyone up for pizza on friday? 🍕"
    quick, full = read(chat, date_always=False), read(chat)
    assert not quick.follow_up and not full.follow_up
    assert quick.event_date is None and full.event_date == date(2026, 12, 11)
    assert explain(chat, datetime.fromisoformat(MONDAY).replace(tzinfo=ZoneInfo("Europe/Berlin")),
                           "Europe/Berlin").rule == "screen"
    worry = read("job interview on friday and i'm so nervous", date_always=False)
    assert worry.follow_up and worry.event_date == date(2026, 12, 11)


def resolve(text: str, lang: str, now: str = MONDAY) -> date | None:
    return dates.event_date(fold(text), datetime.fromisoformat(now).date(), lang)


# ------------------------------------------------------------------------------------ dates

DATES = [
    # tomorrow, the day after, today / tonight
    ("en", "exam tmrw 😬", MONDAY, date(2026, 12, 8)),
    ("es", "mañana tengo examen 😭", MONDAY, date(2026, 12, 8)),
    ("pt", "amanhã minha mãe opera, tô com medo", MONDAY, date(2026, 12, 8)),
    ("fr", "demain j'ai mon entretien", MONDAY, date(2026, 12, 8)),
    ("de", "morgen hab ich Prüfung", MONDAY, date(2026, 12, 8)),
    ("de", "morn han i d'prüefig", MONDAY, date(2026, 12, 8)),                  # Swiss German
    ("en", "surgery the day after tomorrow", MONDAY, date(2026, 12, 9)),
    ("es", "pasado mañana me operan", MONDAY, date(2026, 12, 9)),
    ("pt", "depois de amanhã é a entrevista", MONDAY, date(2026, 12, 9)),
    ("fr", "après-demain c'est l'opération", MONDAY, date(2026, 12, 9)),
    ("de", "übermorgen ist die OP", MONDAY, date(2026, 12, 9)),
    ("en", "recital tonight, so nervous", THURSDAY, date(2026, 12, 10)),
    ("es", "esta noche es la cena con sus padres", THURSDAY, date(2026, 12, 10)),
    ("fr", "ce soir je lui dis tout", THURSDAY, date(2026, 12, 10)),
    ("de", "heute abend sag ich es ihm", THURSDAY, date(2026, 12, 10)),
    # weekdays, with and without a preposition; next / this / coming
    ("en", "interview on Thursday", MONDAY, date(2026, 12, 10)),
    ("en", "interview thurs", MONDAY, date(2026, 12, 10)),
    ("en", "interview on Thursday", THURSDAY, date(2026, 12, 17)),           # strictly after today
    ("en", "next friday is the hearing", MONDAY, date(2026, 12, 11)),
    ("en", "this coming saturday we move", THURSDAY, date(2026, 12, 12)),
    ("es", "el jueves tengo la entrevista y estoy nerviosa", MONDAY, date(2026, 12, 10)),
    ("es", "el próximo lunes empiezo", SATURDAY, date(2026, 12, 14)),
    ("es", "el viernes que viene es la boda", MONDAY, date(2026, 12, 11)),
    ("pt", "na quinta tenho prova", MONDAY, date(2026, 12, 10)),
    ("pt", "sexta que vem é a entrevista", MONDAY, date(2026, 12, 11)),
    ("fr", "jeudi prochain j'ai un oral", MONDAY, date(2026, 12, 10)),
    ("fr", "vendredi c'est la soutenance", MONDAY, date(2026, 12, 11)),
    ("de", "am Donnerstag ist das Vorstellungsgespräch", MONDAY, date(2026, 12, 10)),
    ("de", "nächsten Montag fang ich an", MONDAY, date(2026, 12, 14)),
    # weekends
    ("en", "moving this weekend", MONDAY, date(2026, 12, 12)),
    ("en", "moving this weekend", SATURDAY, date(2026, 12, 12)),
    ("es", "este finde me mudo", MONDAY, date(2026, 12, 12)),
    ("pt", "nesse fds tem o casamento", MONDAY, date(2026, 12, 12)),
    ("fr", "ce week-end on déménage", MONDAY, date(2026, 12, 12)),
    ("de", "am Wochenende ist die Hochzeit", MONDAY, date(2026, 12, 12)),
    ("en", "next weekend is the wedding", MONDAY, date(2026, 12, 19)),
    # in N days / weeks, N weeks from today
    ("en", "exam in 3 days", MONDAY, date(2026, 12, 10)),
    ("en", "two weeks from today i start", MONDAY, date(2026, 12, 21)),
    ("en", "in a fortnight we fly", MONDAY, date(2026, 12, 21)),
    ("es", "en dos semanas es la boda", MONDAY, date(2026, 12, 21)),
    ("pt", "daqui a 5 dias sai o resultado", MONDAY, date(2026, 12, 12)),
    ("fr", "dans deux semaines c'est l'opé", MONDAY, date(2026, 12, 21)),
    ("de", "in drei Wochen ist die Geburt", MONDAY, date(2026, 12, 28)),
    ("de", "i drü wuche han i d'LAP", MONDAY, date(2026, 12, 28)),
    # the Nth, weekday the Nth, month names
    ("en", "surgery on the 14th", MONDAY, date(2026, 12, 14)),
    ("en", "surgery on the 3rd", MONDAY, date(2027, 1, 3)),                  # the 3rd has passed this month
    ("en", "thursday the 17th is the hearing", MONDAY, date(2026, 12, 17)),
    ("en", "flying out on the 3rd of january", SUNDAY, date(2027, 1, 3)),
    ("es", "el 3 de enero me mudo", SUNDAY, date(2027, 1, 3)),
    ("fr", "on doit être relogés avant le 30 juin", SATURDAY, date(2027, 6, 30)),   # not "avant le 30"
    ("es", "el jueves 17 es el juicio", MONDAY, date(2026, 12, 17)),
    ("pt", "dia 3 de janeiro viajo", SUNDAY, date(2027, 1, 3)),
    ("pt", "quarta dia 16 meu pai faz cirurgia", MONDAY, date(2026, 12, 16)),
    ("fr", "le 3 janvier je déménage", SUNDAY, date(2027, 1, 3)),
    ("fr", "le 14 j'ai mon audience", MONDAY, date(2026, 12, 14)),
    ("de", "am 3. Januar ziehe ich um", SUNDAY, date(2027, 1, 3)),
    ("de", "mäntig de 14. präsentier ich", SATURDAY, date(2026, 12, 14)),
    # end of the month
    ("en", "rent's due end of the month", SUNDAY, date(2026, 12, 31)),
    ("es", "a fin de mes me echan del piso", MONDAY, date(2026, 12, 31)),
    ("pt", "no fim do mês eu mudo", MONDAY, date(2026, 12, 31)),
    ("fr", "à la fin du mois je pars", MONDAY, date(2026, 12, 31)),
    ("de", "Ende des Monats muss ich raus", MONDAY, date(2026, 12, 31)),
]


@pytest.mark.parametrize("lang, text, now, expected", DATES)
def test_date_forms(lang, text, now, expected):
    assert resolve(text, lang, now) == expected


@pytest.mark.parametrize("lang, text", [
    ("en", "i had my interview on monday"),
    ("en", "last thursday was rough"),
    ("en", "tomorrow is another day, going to bed"),
    ("en", "next week is the exam"),                 # too vague
    ("en", "one day i'll learn to fold a fitted sheet"),
    ("en", "rewatching it for the 5th time"),
    ("es", "esta mañana fui al médico"),             # this morning, past
    ("es", "mañana será otro día"),                  # figurative
    ("es", "el jueves pasado tuve la entrevista"),
    ("pt", "bom dia gente"),
    ("pt", "ontem foi a prova"),
    ("pt", "quarta vez tentando o vestibular"),
    ("fr", "jeudi dernier j'ai raté mon oral"),
    ("fr", "hier c'était l'enterrement"),
    ("de", "guten Morgen zusammen"),
    ("de", "letzten Donnerstag war die Prüfung"),
    ("de", "hab am Montag die Prüfung bestanden"),   # past participle at the end of the clause
])
def test_no_date_ahead(lang, text):
    assert resolve(text, lang) is None


def test_mentions_say_what_they_are():
    found = dates.mentions(fold("ayer fue horrible, pero el jueves tengo la entrevista"), date(2026, 12, 7), "es")
    assert [(m.rule, m.date, m.past) for m in found] == [("past", None, True), ("weekday", date(2026, 12, 10), False)]


def test_a_named_day_wins_over_a_bare_today():
    assert read("got the keys today!!! moving in tmrw 🏡").event_date == date(2026, 12, 8)


def test_dates_resolve_in_the_sharers_zone():
    # 23:30 on Monday in New York is already Tuesday in UTC; "tomorrow" is Tuesday in New York.
    moment = read_share("exam tomorrow", datetime(2026, 12, 8, 4, 30, tzinfo=ZoneInfo("UTC")), "America/New_York")
    assert moment.event_date == date(2026, 12, 8)


@pytest.mark.parametrize("lang, text, expected", [
    ("en", "interview tues at 10am", time(10, 0)),
    ("es", "entrevista el jueves a las 5 de la tarde", time(17, 0)),
    ("pt", "prova amanhã às 14h", time(14, 0)),
    ("fr", "entretien demain à 15h30", time(15, 30)),
    ("de", "morgen um 9 Uhr Prüfung", time(9, 0)),
])
def test_event_time(lang, text, expected):
    assert dates.event_time(fold(text), lang) == expected


# ------------------------------------------------------------------------------------ the Moment

def test_moment_for_a_typical_share():
    moment = read("job interview on Thursday at 9am and I'm honestly terrified")
    assert moment.follow_up
    assert (moment.event_date, moment.event_time) == (date(2026, 12, 10), time(9, 0))
    assert "worry" in moment.feelings and moment.reason in FEELINGS
    assert moment.topic is not None and "interview" in moment.topic
    assert moment.language == "en"
    with pytest.raises(FrozenInstanceError):
        moment.follow_up = False


@pytest.mark.parametrize("text, lang", [
    ("el jueves tengo la entrevista y estoy nerviosa", "es"),
    ("amanhã minha mãe opera, tô com medo", "pt"),
    ("demain j'ai mon entretien et je suis trop stressée", "fr"),
    ("morgen hab ich meine Prüfung und bin voll aufgeregt", "de"),
    ("am Donnerstag ist mein Vorstellungsgespräch und ich bin so nervös", "de"),
    ("j'ai mon entretien demain et je stresse grave", "fr"),
    ("my head won't stop running through everything", "en"),
])
def test_shares_in_every_language_can_deserve_a_follow_up(text, lang):
    moment = read(text)
    assert moment.follow_up, text
    assert moment.reason != "none" and moment.feelings


@pytest.mark.parametrize("text, worth_it", [
    ("my dad was diagnosed with cancer, what do i do?", True),
    ("mum's in hospital again, can someone call me?", True),
    ("the interview is tomorrow, any tips?", True),
    ("bought new socks today.", False),
    ("got a new phone.", False),
])
def test_punctuation_doesnt_decide(text, worth_it):
    """A worry asked as a question is still a worry, and a period doesn't make small talk matter: the
    reading is the same with the punctuation taken out."""
    bare = "".join(c for c in text if c not in ",.?!")
    assert read(text).follow_up is read(bare).follow_up is worth_it, text
    assert explain(text, datetime.fromisoformat(MONDAY + "+01:00"), "Europe/Berlin").score == pytest.approx(
        explain(bare, datetime.fromisoformat(MONDAY + "+01:00"), "Europe/Berlin").score)


@pytest.mark.parametrize("text", ["❤️", "🙏", "😭😭", "???", "...", ""])
def test_a_share_without_words_is_not_a_follow_up(text):
    """Emoji or marks alone name nothing to ask about later (and the corpus has no share like them)."""
    assert (read(text).follow_up, read(text).feelings) == (False, ())
    assert explain(text, datetime.fromisoformat(MONDAY + "+01:00"), "Europe/Berlin").rule == "no words"


def test_small_talk():
    moment = read("lol my cat knocked my coffee off the desk")
    assert (moment.follow_up, moment.event_date, moment.reason, moment.topic) == (False, None, "none", None)


def test_feelings_are_known_keys():
    for text in ["so proud of myself, I passed!!", "i feel so alone since the move", "furious with my landlord"]:
        assert set(read(text).feelings) <= set(FEELINGS)


def test_only_the_first_max_chars_are_read():
    padding = "blah " * (MAX_SHARE_CHARS // 5)
    assert read(padding + "surgery tomorrow and I'm terrified").event_date is None
    assert read("surgery tomorrow. " + padding).event_date == date(2026, 12, 8)


def test_bad_arguments():
    with pytest.raises(ValueError, match="aware"):
        read_share("exam tmrw", datetime(2026, 12, 7, 10), "Europe/Berlin")
    with pytest.raises(ValueError, match="Mars/Olympus"):
        read_share("exam tmrw", datetime(2026, 12, 7, 10, tzinfo=ZoneInfo("UTC")), "Mars/Olympus")
    with pytest.raises(ValueError):
        read_share("hi", datetime(2026, 12, 7, 10, tzinfo=ZoneInfo("UTC")), "")


def test_explain_shows_the_evidence():
    reading = explain("el jueves tengo la entrevista y estoy nerviosa", datetime(2026, 12, 7, 10, tzinfo=ZoneInfo("UTC")),
                      "Europe/Madrid")
    assert reading.language.lang == "es" and reading.language.source == "text"
    assert reading.score >= reading.threshold and reading.moment.follow_up
    assert reading.words and all(isinstance(w, float) for _, w in reading.words)
    assert [(m.span, m.date) for m in reading.mentions] == [("el jueves", date(2026, 12, 10))]


# ------------------------------------------------------------------------------------ language

def test_language_of_longer_shares_comes_from_the_text():
    assert language.detect("amanhã minha mãe opera, tô com medo", "en-US") == language.Guess("pt", pytest.approx(1.0, abs=0.5), "text")
    assert language.detect("morgen hab ich Prüfung, bin voll aufgeregt").lang == "de"


def test_short_shares_take_the_members_locale():
    assert language.detect("examen mañana", "es-ES") == language.Guess("es", 1.0, "locale")
    assert language.detect("prova amanhã", "pt-BR").lang == "pt"
    assert read("mañana", locale="es-ES").event_date == date(2026, 12, 8)
    assert language.from_locale("ja") is None and language.from_locale("fr") == "fr"


# ------------------------------------------------------------------------------------ pre-filter, threads, loading

def _corpus() -> list[corpus.Example]:
    return corpus.load()


def test_prefilter_never_drops_a_date_the_resolver_would_find():
    for example in _corpus():
        folded = fold(example.text)
        if not prefilter.may_have_date(folded):
            for lang in dates.LANGUAGES:
                assert dates.mentions(folded, example.local_today, lang) == [], (example.id, lang)


def test_most_small_talk_skips_the_date_work():
    small_talk = [e for e in _corpus() if e.kind == "small_talk"]
    skipped = sum(not prefilter.may_have_date(fold(e.text)) for e in small_talk)
    assert skipped / len(small_talk) > 0.3


def test_thread_safe_and_deterministic():
    args = [(e.text, e.now, e.timezone) for e in _corpus()[::7]]
    with ThreadPoolExecutor(8) as pool:
        parallel = list(pool.map(lambda a: read_share(*a), args))
    assert parallel == [read_share(*a) for a in args]


def test_the_model_loads_from_the_package_without_network():
    code = ("import socket\n"
            "def refuse(*a, **k): raise OSError('no network')\n"
            "socket.socket.connect = refuse; socket.create_connection = refuse; socket.getaddrinfo = refuse\n"
            "from datetime import datetime, timezone\n"
            "from bot.reading import read_share\n"
            "m = read_share('el jueves tengo la entrevista y estoy nerviosa', datetime.now(timezone.utc), 'UTC')\n"
            "print(m.follow_up, m.language)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["True", "es"]


def test_import_is_cheap_and_the_language_detector_loads_lazily():
    code = ("import sys; from datetime import datetime, timezone as tz; from bot.reading import read_share; "
            "read_share('lol same', datetime.now(tz.utc), 'UTC'); "
            "print('lingua' in sys.modules, 'sklearn' in sys.modules, 'numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["False", "False", "False"]
