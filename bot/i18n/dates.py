"""Times shown to members: Discord's timestamp markup (each client renders it in its own language and
zone) and, where text must name a day, Babel in the reader's language."""
from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date

from .languages import babel_locale


def timestamp(when: datetime, style: str = "F") -> str:
    """`<t:…:F>`: Discord shows it as a full date and time in the reader's language and zone."""
    return f"<t:{int(when.timestamp())}:{style}>"


def day_name(day: date, language: str) -> str:
    """`Friday`, `viernes`, `Freitag`: the day's name as it is written mid-sentence."""
    return format_date(day, "EEEE", locale=babel_locale(language))
