"""A member's privacy choices in one server, with the defaults from the spec:
group-visible answers, follow-ups about them allowed, check-in DMs on in partner mode and off in
group mode until they opt in, the server's time zone, quiet hours 22:00-08:00."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from . import roster
from .clock import Clock
from .storage import Database, to_db
from .localtime import parse_post_time, zone

DEFAULT_QUIET = (time(22, 0), time(8, 0))


@dataclass(frozen=True)
class MemberSettings:
    guild_id: int
    user_id: int
    default_visibility: str
    allow_followups: bool
    receive_checkins: bool
    timezone: str
    quiet_start: time
    quiet_end: time
    customised: bool  # False when every value is a default


def _hhmm(value: str | None, default: time) -> time:
    if value is None:
        return default
    hour, minute = map(int, value.split(":"))
    return time(hour, minute)


async def get(db: Database, guild_id: int, user_id: int, mode: str, server_timezone: str) -> MemberSettings:
    row = await db.fetchone("SELECT * FROM member_settings WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))
    row = dict(row) if row else {}
    pick = lambda key, default: default if row.get(key) is None else row[key]  # noqa: E731
    return MemberSettings(
        guild_id, user_id,
        pick("default_visibility", "group"),
        bool(pick("allow_followups", 1)),
        bool(pick("receive_checkins", 1 if mode == "partner" else 0)),
        pick("timezone", server_timezone),
        _hhmm(row.get("quiet_start"), DEFAULT_QUIET[0]),
        _hhmm(row.get("quiet_end"), DEFAULT_QUIET[1]),
        bool(row),
    )


async def update(db: Database, clock: Clock, guild_id: int, user_id: int, *, default_visibility: str | None = None,
                 allow_followups: bool | None = None, receive_checkins: bool | None = None, timezone: str | None = None,
                 quiet_start: str | None = None, quiet_end: str | None = None) -> None:
    """Change the given choices (validated first, so a bad one changes nothing)."""
    values: dict[str, object] = {}
    if default_visibility is not None:
        if default_visibility not in ("group", "private"):
            raise ValueError(default_visibility)
        values["default_visibility"] = default_visibility
    if allow_followups is not None:
        values["allow_followups"] = int(allow_followups)
    if receive_checkins is not None:
        values["receive_checkins"] = int(receive_checkins)
    if timezone is not None:
        values["timezone"] = zone(timezone).key
    if quiet_start is not None:
        values["quiet_start"] = f"{parse_post_time(quiet_start):%H:%M}"
    if quiet_end is not None:
        values["quiet_end"] = f"{parse_post_time(quiet_end):%H:%M}"
    await roster.record(db, clock, guild_id, user_id, "command")
    if not values:
        return
    columns = ", ".join(values)
    placeholders = ", ".join("?" * len(values))
    updates = ", ".join(f"{k} = excluded.{k}" for k in values)
    await db.execute(
        f"""INSERT INTO member_settings (guild_id, user_id, {columns}, updated_at) VALUES (?, ?, {placeholders}, ?)
            ON CONFLICT (guild_id, user_id) DO UPDATE SET {updates}, updated_at = excluded.updated_at""",
        (guild_id, user_id, *values.values(), to_db(clock.now())),
    )
