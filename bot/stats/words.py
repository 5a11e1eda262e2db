"""Every word the stats show, in the reply and in the picture, comes from `say`: one place for the
catalogs to translate (keys name the message, values fill its {placeholders}, and a message that
depends on a number has a `_one` and an `_other` form)."""
from __future__ import annotations

MESSAGES = {
    "title": "Last four weeks",
    "period": "{start:%a %d %b} – {end:%a %d %b}",
    "answers_per_week": "Answers per week: {counts} (oldest first)",
    "this_week_one": "This week: **{count}** answer",
    "this_week_other": "This week: **{count}** answers",
    "from_members_one": "from {count} member",
    "from_members_other": "from {count} members",
    "by_day": "by day: {days}",
    "streak_one": "Answer streak: **{count}** day",
    "streak_other": "Answer streak: **{count}** days",
    "nudges_per_week": "Check-in nudges sent / acted on, per week: {pairs}",
    "chart_answers": "Answers per day",
    "chart_streak_one": "{count}-day answer streak",
    "chart_streak_other": "{count}-day answer streak",
    "chart_nudges": "Check-in nudges per week",
    "chart_sent": "sent",
    "chart_acted_on": "acted on",
    "chart_week_of": "{start:%d %b}",
    "chart_day": "{day:%a %d}",
    "alt": "Chart of this server's last four weeks. {summary}",
}


def say(key: str, count: int | None = None, **values) -> str:
    """The message `key`, filled in; with `count`, its singular or plural form (`key_one`, `key_other`)."""
    if count is not None:
        return MESSAGES[f"{key}_{'one' if count == 1 else 'other'}"].format(count=count, **values)
    return MESSAGES[key].format(**values)
