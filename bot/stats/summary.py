"""The figures as short text: beside the picture for screen readers, and as its alt text."""
from __future__ import annotations

from .figures import Figures
from .words import say


def summary(figures: Figures) -> str:
    weeks, week = figures.weeks, figures.this_week
    days = " · ".join(f"{day:%a} {count}" for day, count in figures.days[-7:])
    return "\n".join((
        f"**{say('title')}** ({say('period', start=weeks[0].start, end=week.end)})",
        say("answers_per_week", counts=" · ".join(str(w.answers) for w in weeks)),
        f"{say('this_week', count=week.answers)} {say('from_members', count=week.members_answering)}; "
        f"{say('by_day', days=days)}",
        say("streak", count=figures.streak_days),
        say("nudges_per_week", pairs=" · ".join(f"{w.nudges_sent}/{w.nudges_acted_on}" for w in weeks)),
    ))


def alt_text(figures: Figures) -> str:
    """For the image's description (Discord shows it to screen readers; at most 1,024 characters)."""
    plain = summary(figures).replace("**", "").replace("\n", ". ")
    return say("alt", summary=plain)[:1024]
