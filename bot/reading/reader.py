"""`read_share`: the model decides whether a share deserves a follow-up and which feelings it
carries; the resolver finds the event's date (after the pre-filter, in the share's language).

The Moment's `reason` and `topic` are for machines, not people: `reason` is the strongest feeling's
key ("worry", "pride", ...), or "moment" for a follow-up without a clear feeling, or "none" when no
follow-up is due; `topic` is the event as the share names it ("entrevista", "Prüfung", "surgery"),
in the share's own language, or None. Whoever shows them to a member words them in that member's
language.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import dates, language, prefilter
from .features import features, tokens, word_features, words
from .model import Model, shipped
from .text import fold

FEELINGS = ("worry", "stress", "sadness", "grief", "loneliness", "anger", "excitement", "pride", "gratitude")
NO_FOLLOW_UP = "none"
UNNAMED = "moment"
SCREEN = "screen"      # Reading.rule when the screen settled the share
NO_WORDS = "no words"


@dataclass(frozen=True)
class Moment:
    follow_up: bool
    event_date: date | None      # local date in the sharer's timezone
    event_time: time | None
    feelings: tuple[str, ...]    # keys of FEELINGS, strongest first
    reason: str                  # a feeling key, "moment" or "none" (see the module's docstring)
    topic: str | None            # the event as the share names it, when found
    language: str | None = None  # the share's language, when it was needed (a date cue), else None


@dataclass(frozen=True)
class Reading:
    """A Moment with the evidence behind it (for `explain`)."""
    moment: Moment
    score: float
    threshold: float
    rule: str | None             # "screen" when the words alone decided (`Model.screen`); "no words" for a
                                 # share of emoji or symbols only (never a follow-up); else None
    words: list[tuple[str, float]]
    language: language.Guess
    mentions: list[dates.Mention]


def read_share(text: str, now: datetime, timezone: str, locale: str | None = None, *,
               date_always: bool = False) -> Moment:
    """How Kindred reads a share written at `now` (aware) by someone in `timezone` (IANA).

    `locale` is the member's Discord locale, used for the language when the share is too short to tell.
    A share the screen settles as not worth a follow-up from its words alone is read without its
    dates (no language detection, no date patterns, no n-grams), unless `date_always`: the caller
    needs the event's date anyway (a check-in the member asked for, a reminder note).
    """
    return _read(text, now, timezone, locale, shipped(), explain=False, date_always=date_always).moment


def explain(text: str, now: datetime, timezone: str, locale: str | None = None) -> Reading:
    """The reading of `read_share(..., date_always=True)`, with its score, threshold, weightiest words
    and date mentions."""
    return _read(text, now, timezone, locale, shipped(), explain=True, date_always=True)


@lru_cache(maxsize=1024)
def _zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {timezone!r}") from None


def _local_today(now: datetime, timezone: str) -> date:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(_zone(timezone)).date()


def _read(text: str, now: datetime, timezone: str, locale: str | None, model: Model, explain: bool,
          date_always: bool) -> Reading:
    today = _local_today(now, timezone)
    folded = fold(text)
    toks = tokens(folded)
    whole = word_features(toks)
    screen = model.screen(whole)
    wordless = not words(toks)
    settled = wordless or (screen is not None and screen < model.screen_threshold)
    guess, found = _dates(text, folded, today, locale, always=explain) if not settled or date_always else (None, [])
    if wordless:  # only emoji or symbols ("❤️", "🙏"): nothing to follow up on, and no share like it in the corpus
        feats, score, threshold, follow_up, feelings, rule = whole, 0.0, model.threshold, False, (), NO_WORDS
    elif settled:  # clearly not worth a follow-up from the words alone: no n-grams needed
        feats, score, threshold, follow_up, feelings, rule = whole, screen, model.screen_threshold, False, (), SCREEN
    else:
        whole |= date_features(found, today)
        feats = features(folded, toks, whole)
        scores = model.scores(feats, whole, screen)  # whole: words, pairs and the resolver's, which feelings read
        score, threshold, rule = scores.follow_up, model.threshold, None
        follow_up = score >= threshold
        feelings = tuple(name for name, _ in scores.feelings)
    event_date = dates.chosen(found)
    event_time = dates.event_time(folded, guess.lang) if event_date is not None and guess else None
    reason = (feelings[0] if feelings else UNNAMED) if follow_up else NO_FOLLOW_UP
    topic = _topic(folded, toks, text, model) if follow_up or event_date else None
    moment = Moment(follow_up, event_date, event_time, feelings, reason, topic, guess.lang if guess else None)
    weighed = model.weightiest(feats, screen=settled) if explain and not wordless else []
    return Reading(moment, score, threshold, rule, weighed, guess, found)


def _dates(text: str, folded: str, today: date, locale: str | None,
           always: bool = False) -> tuple[language.Guess | None, list[dates.Mention]]:
    """The share's language and date mentions, when the pre-filter finds anything a date is made of."""
    if not (always or prefilter.may_have_date(folded)):
        return None, []
    guess = language.detect(text, locale)
    written = text[:len(folded)].lower()
    found = dates.mentions(folded, today, guess.lang, written)
    if not found and guess.source == "unsure":  # too short to tell: whichever language names a date
        for lang in language.LANGUAGES:
            found = dates.mentions(folded, today, lang, written)
            if found:
                return language.Guess(lang, guess.confidence, "dates"), found
    return guess, found


def date_features(found: list[dates.Mention], today: date) -> set[str]:
    """What the resolver tells the model: a date ahead (and how far), a past one."""
    out = set()
    if any(m.past for m in found):
        out.add("@past")
    chosen = dates.chosen(found)
    if chosen is not None:
        gap = (chosen - today).days
        out.update(("@ahead", "@gap" + ("0" if gap == 0 else "1" if gap == 1 else "w" if gap <= 7 else "m")))
    return out


def training_words(example) -> set[str]:
    """The features of a corpus share that the screen reads (its words and pairs), as `read_share` does."""
    return word_features(tokens(fold(example.text)))


def training_features(example) -> set[str]:
    """The features of a corpus share, exactly as `read_share` computes them."""
    folded = fold(example.text)
    _, found = _dates(example.text, folded, example.local_today, None)
    return features(folded) | date_features(found, example.local_today)


def read_example(example, model: Model) -> Moment:
    """`read_share(..., date_always=True)` of a corpus share with a given model (for training and
    evaluation: the dates of every share are measured)."""
    return _read(example.text, example.now, example.timezone, None, model, explain=False, date_always=True).moment


def _topic(folded: str, toks: list[str], text: str, model: Model) -> str | None:
    """The first event phrase the corpus knows ("job interview", "entrevista", "Prüfung") in the share."""
    best = None
    for i, tok in enumerate(toks):
        for phrase in model.events.get(tok, ()):
            n = len(phrase)
            if tuple(toks[i:i + n]) == phrase and (best is None or n > len(best[1])):
                best = (i, phrase)
        if best is not None:
            break
    if best is None:
        return None
    phrase = " ".join(best[1])
    start = folded.find(phrase)
    original = text[:len(folded)]
    if start < 0 or len(original) != len(folded):  # lower() changed the length: no span to copy
        return phrase
    return original[start:start + len(phrase)]
