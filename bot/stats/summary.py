"""The figures as short text: beside the picture for screen readers, and as its alt text."""
from __future__ import annotations

from ..i18n import DEFAULT
from .figures import Figures
from .words import say


def summary(figures: Figures, language: str = DEFAULT) -> str:
    weeks, week = figures.weeks, figures.this_week
    days = " · ".join(f"{say('weekday', language=language, day=day)} {count}" for day, count in figures.days[-7:])
    return "\n".join((
        f"**{say('title', language=language)}** ({say('period', language=language, start=weeks[0].start, end=week.end)})",
        say("answers_per_week", language=language, counts=" · ".join(str(w.answers) for w in weeks)),
        f"{say('this_week', count=week.answers, language=language)} "
        f"{say('from_members', count=week.members_answering, language=language)}; "
        f"{say('by_day', language=language, days=days)}",
        say("streak", count=figures.streak_days, language=language),
        say("nudges_per_week", language=language,
            pairs=" · ".join(f"{w.nudges_sent}/{w.nudges_acted_on}" for w in weeks)),
    ))


def alt_text(figures: Figures, language: str = DEFAULT) -> str:
    """For the image's description (Discord shows it to screen readers; at most 1,024 characters)."""
    plain = summary(figures, language).replace("**", "").replace("\n", ". ")
    return say("alt", language=language, summary=plain)[:1024]
