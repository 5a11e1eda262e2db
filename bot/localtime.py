"""Local wall times, IANA time zones and the next post time, computed with zoneinfo.

APScheduler's cron trigger fires twice in a repeated DST hour and skips days after spring-forward,
so post times are computed here: `datetime.combine(local_date, post_time, tzinfo=zone)` in UTC.
A post time that doesn't exist on a spring-forward day (02:30 in Berlin) falls on the instant the
clock would have shown it before the jump (03:30 local); one that happens twice falls on the first.
"""
from __future__ import annotations

import re
import zoneinfo
from contextlib import suppress
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

from .errors import UserError
from .i18n import _, timestamp
from .text import clip

_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.h](\d{2}))?\s*([ap])?\.?\s*(?:m\.?)?\s*$", re.IGNORECASE)


LONGEST_TIME = 16  # "12:30 p.m." with room to spare
LONGEST_ZONE = 64  # IANA names are at most about 30 characters


def _shown(raw: str) -> str:
    """What someone typed, quoted back short enough for any error message."""
    return repr(clip(raw.strip(), 30))


def parse_post_time(raw: str) -> time:
    """Accept `9:00`, `09:00`, `9am`, `21:30`, `9:30 pm`, `9.30`, `12am`; reject the rest clearly."""
    raw = raw or ""
    if len(raw) > LONGEST_TIME:
        raise UserError(_("That time is too long. A time is short, like `09:00`, `21:30` or `9:30 pm`."))
    match = _TIME.match(raw)
    if not match:
        raise UserError(_("I couldn't read the time {raw}. Use 24-hour `HH:MM` like `09:00` or `21:30`, or `9am` / `9:30 pm`.",
                          raw=_shown(raw)))
    hour, minute, meridiem = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            raise UserError(_("{raw} isn't a time: with am/pm the hour must be 1 to 12.", raw=repr(raw)))
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    elif match.group(2) is None:
        raise UserError(_("I couldn't read the time {raw}: add minutes (`{hour}:00`) or am/pm (`{hour}am`).",
                          raw=repr(raw), hour=hour))
    if hour > 23 or minute > 59:
        raise UserError(_("{raw} isn't a time of day: hours go 0 to 23 and minutes 0 to 59.", raw=repr(raw)))
    return time(hour, minute)


@lru_cache(maxsize=1)
def all_timezones() -> tuple[str, ...]:
    """Canonical IANA names people pick from (no legacy `Etc/`-style or `posix/` aliases)."""
    names = {n for n in zoneinfo.available_timezones() if "/" in n and not n.startswith(("Etc/", "posix/", "right/", "SystemV/", "US/"))}
    names.add("UTC")
    return tuple(sorted(names))


@lru_cache(maxsize=1024)
def zone(name: str) -> zoneinfo.ZoneInfo:
    """The zone called `name` (an Area/Location name, or UTC), or a UserError that says how to find one."""
    name = name or ""
    if len(name) > LONGEST_ZONE:
        raise UserError(_("That time zone is too long. Zone names are short, like `Europe/Berlin`: pick one from the "
                          "list as you type."))
    if name == "UTC" or "/" in name:
        # A folder of the zone database (America/Indiana) raises IsADirectoryError, an OSError.
        with suppress(zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            return zoneinfo.ZoneInfo(name)
    inside = [n for n in all_timezones() if n.startswith(name.rstrip("/") + "/")] if name.strip("/") else []
    if inside:
        raise UserError(_("{name} is a region, not one time zone. Pick the one you live in, e.g. {examples} (the list "
                          "as you type shows them all).", name=_shown(name),
                          examples=", ".join(f"`{n}`" for n in inside[:3])))
    raise UserError(_(
        "{name} isn't a time zone I know. Pick one from the list as you type, "
        "e.g. `Europe/Berlin` or `America/New_York`.", name=_shown(name)))


def search_timezones(current: str, limit: int = 25) -> list[str]:
    """Autocomplete: names that start with, then contain, what was typed (case-insensitive)."""
    needle = current.strip().lower().replace(" ", "_")
    names = all_timezones()
    if not needle:
        return list(names[:limit])
    starts = [n for n in names if n.lower().startswith(needle) or n.lower().split("/")[-1].startswith(needle)]
    contains = [n for n in names if needle in n.lower() and n not in starts]
    return (starts + contains)[:limit]


def local_date(now: datetime, tz: zoneinfo.ZoneInfo) -> date:
    return now.astimezone(tz).date()


def at_local(day: date, clock_time: time, tz: zoneinfo.ZoneInfo) -> datetime:
    """The UTC instant of `clock_time` on `day` in `tz` (see the module note for DST gaps and folds)."""
    return datetime.combine(day, clock_time, tzinfo=tz).astimezone(timezone.utc)


def end_of_local_day(day: date, tz: zoneinfo.ZoneInfo) -> datetime:
    """The UTC instant the local day `day` ends (the next local midnight)."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz).astimezone(timezone.utc)


def next_post(now: datetime, tz: zoneinfo.ZoneInfo, post_time: time, not_before: date | None = None) -> tuple[date, datetime]:
    """The first local date (on or after `not_before`) whose post time is still ahead of `now`."""
    day = local_date(now, tz)
    if not_before is not None and not_before > day:
        day = not_before
    while at_local(day, post_time, tz) < now:
        day += timedelta(days=1)
    return day, at_local(day, post_time, tz)


def format_local(when: datetime) -> str:
    """Discord's timestamp markup: each reader sees the date and time in their own language and zone,
    and how far off it is."""
    return f"{timestamp(when, 'F')} · {timestamp(when, 'R')}"
