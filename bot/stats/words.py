"""Every word the stats show, in the reply and in the picture, comes from `say`: one place, through
the catalogs (`bot.i18n`), in the reader's language. Keys name the message, values fill its
{placeholders}; a message that depends on a number takes `count`; dates are written with Babel
patterns (compact, for chart labels), in the reader's language."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..i18n import DEFAULT, Day, _, _n, render

MESSAGES = {
    "title": _("Last four weeks"),
    "period": _("{start} – {end}"),
    "answers_per_week": _("Answers per week: {counts} (oldest first)"),
    "this_week": _n("This week: **{count}** answer", "This week: **{count}** answers", 0),
    "from_members": _n("from {count} member", "from {count} members", 0),
    "by_day": _("by day: {days}"),
    "streak": _n("Answer streak: **{count}** day", "Answer streak: **{count}** days", 0),
    "nudges_per_week": _("Check-in nudges sent / acted on, per week: {pairs}"),
    "chart_answers": _("Answers per day"),
    "chart_streak": _n("{count}-day answer streak", "{count}-day answer streak", 0),
    "chart_nudges": _("Check-in nudges per week"),
    "chart_sent": _("sent"),
    "chart_acted_on": _("acted on"),
    "alt": _("Chart of this server's last four weeks. {summary}"),
}
# How dates are written, by message (or, for a date alone, by key): Babel patterns.
DATES = {"period": "EEE dd MMM", "chart_week_of": "dd MMM", "chart_day": "EEE dd", "weekday": "EEE"}


def say(key: str, count: int | None = None, language: str = DEFAULT, **values) -> str:
    """The message `key` in `language`, filled in; with `count`, the form for that number. A key with
    only a date pattern (`chart_day`, `weekday`, ...) writes its one date."""
    values = {k: Day(v, DATES[key]) if isinstance(v, date) else v for k, v in values.items()}
    if key not in MESSAGES:
        [only] = values.values()
        return render(only, language)
    message = MESSAGES[key]
    if count is not None:
        message = replace(message, n=count)
        values["count"] = count
    return render(replace(message, params={**message.params, **values}), language)
