"""Dates in a share, in English, Spanish, Portuguese, French and German, resolved against the
share's local time (`today` is its date in the sharer's zone).

- tomorrow (+1), the day after tomorrow (+2), today / tonight (0);
- a weekday, with or without a preposition, and next / this / coming weekday: the next such day
  strictly after today (said on a Thursday, "Thursday" is next week's), unless it is today's weekday
  and the clause also says "today";
- this weekend: the coming Saturday (today on a Saturday); next weekend: the Saturday after that;
- in N days / weeks (digits or words), N weeks from today: today + N or 7N;
- the Nth, weekday the Nth, a day and a month name: the next such date on or after today;
- end of the month: its last day;
- last Thursday, yesterday, three days ago, and any mention in a clause in the past tense are past:
  never an event ahead. Vague times ("next week", "soon", "one day") are no date.

`mentions(folded, today, lang)` lists every mention with its span and resolution (for `explain`);
`event_date(...)` is the first one ahead, or None.
"""
from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import lru_cache

from .date_words import CLAUSE_WORDS, HOLIDAYS, MONTHS, NUMBERS, PAST, PAST_ACCENTED, PATTERNS, WEEKDAYS

LANGUAGES = tuple(PATTERNS)
_AFTER = 16  # characters after a mention that still tell its tense ("the exam on monday went fine")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    span: str                # the words, folded
    rule: str                # which kind of expression: tomorrow, weekday, in_days, ...
    date: date | None        # None for a past or vague mention
    past: bool               # in the past (a past expression, or a clause in the past tense)


@dataclass(frozen=True)
class _Grammar:
    lang: str
    patterns: tuple[re.Pattern, ...]
    past: re.Pattern
    past_accented: re.Pattern | None
    clause_break: re.Pattern


@lru_cache(maxsize=None)
def grammar(lang: str) -> _Grammar:
    return _Grammar(lang, tuple(re.compile(r"(?<![\w'])(?:" + p + r")(?!\w|'(?!s\b))") for p in PATTERNS[lang]),
                    re.compile(PAST[lang]), re.compile(PAST_ACCENTED[lang]) if lang in PAST_ACCENTED else None,
                    re.compile(r"[.!?;\n]+|,\s|\s-\s|\s(?:" + CLAUSE_WORDS[lang] + r")\s"))


def _found(g: _Grammar, text: str) -> list[re.Match]:
    """The matches of every pattern without overlaps, in text order: where two overlap, the one reaching
    further right wins ("avant le 30 juin" is the 30th of June, not "avant le 30"), then the longer."""
    matches = [m for p in g.patterns for m in p.finditer(text) if m.end() > m.start()]
    matches.sort(key=lambda m: (-m.end(), m.start() - m.end()))
    kept: list[re.Match] = []
    for m in matches:
        if all(m.end() <= k.start() or m.start() >= k.end() for k in kept):
            kept.append(m)
    kept.sort(key=re.Match.start)
    return kept


def mentions(text: str, today: date, lang: str, written: str | None = None) -> list[Mention]:
    """The date mentions in `text` (folded), in order. `written` is the share in lower case before folding
    (the same length), where accents tell some past tenses apart."""
    g = grammar(lang if lang in PATTERNS else "en")
    if written is None or len(written) != len(text):
        written = text
    out = []
    for m in _found(g, text):
        rule, when = _resolve(m, today, g.lang, text)
        if rule is None:
            continue
        past = rule in ("past", "last_weekday") or (when is not None and when < today) or _past_clause(g, text, m, written)
        out.append(Mention(m.start(), m.end(), m.group(), rule, None if past or rule == "past" else when, past))
    return out


def event_date(text: str, today: date, lang: str, written: str | None = None) -> date | None:
    return chosen(mentions(text, today, lang, written))


def chosen(found: list[Mention]) -> date | None:
    """The event's date: the first mention ahead, preferring a named day to a bare "today"."""
    ahead = [m for m in found if m.date is not None]
    named = [m for m in ahead if m.rule != "today"]
    return (named or ahead)[0].date if ahead else None


def _past_clause(g: _Grammar, text: str, m: re.Match, written: str) -> bool:
    start, end = m.start(), m.end()
    for b in g.clause_break.finditer(text):
        if b.end() <= start:
            continue
        if b.start() >= end:
            end = b.start()
            break
    else:
        end = len(text)
    begin = 0
    for b in g.clause_break.finditer(text, 0, m.start()):
        begin = b.end()
    if g.lang != "de":  # German puts the participle at the end of the clause; elsewhere only what follows closely
        end = min(end, m.end() + _AFTER)
    if g.past.search(text[begin:start] + " " + text[m.end():end]):
        return True
    return g.past_accented is not None and g.past_accented.search(written[begin:start] + " " + written[m.end():end]) is not None


def _number(raw: str, lang: str) -> int | None:
    raw = " ".join(raw.split())
    return int(raw) if raw.isdigit() else NUMBERS[lang].get(raw)


def _resolve(m: re.Match, today: date, lang: str, text: str) -> tuple[str | None, date | None]:
    groups = {k: v for k, v in m.groupdict().items() if v is not None}
    if "past" in groups:
        return "past", None
    if "figurative" in groups:
        return None, None
    if "holiday" in groups:
        month, day = HOLIDAYS[lang][_key(groups["holiday"])]
        return "holiday", _next_month_day(today, month, day)
    if "fortnight" in groups:
        return "in_weeks", today + timedelta(days=14)
    if "after" in groups:
        return "day_after_tomorrow", today + timedelta(days=2)
    if "tomorrow" in groups:
        return "tomorrow", today + timedelta(days=1)
    if "today" in groups:
        return "today", today
    if "nweekend" in groups:
        return "next_weekend", _coming_saturday(today) + timedelta(days=7)
    if "weekend" in groups:
        return "weekend", _coming_saturday(today)
    if "eom" in groups:
        return "end_of_month", today.replace(day=monthrange(today.year, today.month)[1])
    if "n" in groups:
        n = _number(groups["n"], lang)
        if n is None or n > 400:
            return None, None
        return ("in_weeks", today + timedelta(days=7 * n)) if "weeks" in groups else ("in_days", today + timedelta(days=n))
    if "dom" in groups:
        day = int(groups["dom"])
        if "month" in groups:
            return "month_date", _next_month_day(today, MONTHS[lang][_key(groups["month"])], day)
        return ("weekday_nth" if "wd" in groups else "nth"), _next_day_of_month(today, day)
    if "wd" in groups:
        weekday = WEEKDAYS[lang][_key(groups["wd"])]
        if "pastwd" in groups:
            return "last_weekday", None
        ahead = (weekday - today.weekday()) % 7 or 7
        if ahead == 7 and _says_today(m, text, lang):
            ahead = 0
        return "weekday", today + timedelta(days=ahead)
    return None, None


def _key(word: str) -> str:
    return " ".join(word.rstrip(".").split())


def _says_today(m: re.Match, text: str, lang: str) -> bool:
    today_words = {"en": r"today|tonight", "es": r"hoy|esta\s+noche", "pt": r"hoje|hj",
                   "fr": r"aujourd'hui|ce\s+soir", "de": r"heute"}[lang]
    near = text[max(0, m.start() - 40): m.end() + 40]
    return re.search(rf"\b(?:{today_words})\b", near) is not None


def _coming_saturday(today: date) -> date:
    return today + timedelta(days=(5 - today.weekday()) % 7)


def _next_day_of_month(today: date, day: int) -> date | None:
    year, month = today.year, today.month
    for _ in range(13):
        if day <= monthrange(year, month)[1]:
            candidate = date(year, month, day)
            if candidate >= today:
                return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _next_month_day(today: date, month: int, day: int) -> date | None:
    for year in range(today.year, today.year + 5):
        if day <= monthrange(year, month)[1] and date(year, month, day) >= today:
            return date(year, month, day)
    return None


# ------------------------------------------------------------------------------------ times of day

_TIMES = {
    "en": r"\b(?:at\s+)?(?P<h>1[0-2]|0?[1-9])(?::(?P<m>[0-5]\d))?\s*(?P<ap>[ap])\.?m\b|\b(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)\b",
    "es": r"\b(?:a\s+las|a\s+la)\s+(?P<h>1[0-2]|0?[1-9])(?::(?P<m>[0-5]\d))?(?:\s+de\s+la\s+(?P<tarde>tarde|noche))?"
          r"|\b(?P<h24>[01]?\d|2[0-3])(?::|h)(?P<m24>[0-5]\d)?\s*(?:h|hs)?\b(?=\s|$|[.,!?])",
    "pt": r"\b(?:as|a)\s+(?P<h24>[01]?\d|2[0-3])(?:[:h](?P<m24>[0-5]\d)?)?(?:\s*h)?\b",
    "fr": r"\b(?P<h24>[01]?\d|2[0-3])\s*h\s*(?P<m24>[0-5]\d)?\b|\b(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)\b",
    "de": r"\bum\s+(?P<h24>[01]?\d|2[0-3])(?:[:.](?P<m24>[0-5]\d))?(?:\s*uhr)?\b|\b(?P<h>[01]?\d|2[0-3])\s*uhr\b",
}
_TIME_PATTERNS = {lang: re.compile(p) for lang, p in _TIMES.items()}


def event_time(text: str, lang: str) -> time | None:
    """A clock time named in the share ("at 3pm", "a las 10", "às 14h", "à 15h30", "um 9 Uhr")."""
    m = _TIME_PATTERNS.get(lang, _TIME_PATTERNS["en"]).search(text)
    if m is None:
        return None
    g = m.groupdict()
    if g.get("h24"):
        return time(int(g["h24"]), int(g.get("m24") or 0))
    hour, minute = int(g["h"]), int(g.get("m") or 0)
    if g.get("ap"):
        hour = hour % 12 + (12 if g["ap"] == "p" else 0)
    elif g.get("tarde") and hour < 12:
        hour += 12
    return time(hour, minute)
