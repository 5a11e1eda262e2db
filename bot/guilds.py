"""A server's Kindred settings: channel, local post time, time zone, mode, paused, problems."""
from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import time

from . import i18n
from .clock import Clock
from .storage import Database, to_db
from .storage.base import Connection
from .localtime import zone


@dataclass(frozen=True)
class GuildSettings:
    guild_id: int
    channel_id: int
    post_time: time
    timezone: str
    mode: str
    paused: bool
    channel_problem: str | None
    removed_at: str | None
    reveal: str = "instant"
    retention_days: int | None = None
    setup_by: int | None = None     # the admin who ran /kindred setup
    partner_id: int | None = None   # partner mode: the member they named (or the intent showed)
    chosen_language: str | None = None   # /kindred settings language:, else Discord's preferred locale
    discord_locale: str | None = None

    @property
    def language(self) -> str:
        """What the server's posts are written in (English when its locale isn't supported)."""
        return i18n.resolve(self.chosen_language, self.discord_locale)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zone(self.timezone)

    @property
    def active(self) -> bool:
        return not self.paused and not self.channel_problem and not self.removed_at


async def get(db: Database, guild_id: int) -> GuildSettings | None:
    row = await db.fetchone("SELECT * FROM guilds WHERE guild_id = ?", (guild_id,))
    if row is None:
        return None
    hour, minute = map(int, row["post_time"].split(":"))
    return GuildSettings(row["guild_id"], row["channel_id"], time(hour, minute), row["timezone"], row["mode"],
                         bool(row["paused"]), row["channel_problem"], row["removed_at"], row["reveal"],
                         row["retention_days"], row["setup_by"], row["partner_id"], row["language"],
                         row["discord_locale"])


async def save(db: Database, clock: Clock, guild_id: int, channel_id: int, post_time: time, timezone: str, mode: str,
               setup_by: int | None = None, discord_locale: str | None = None) -> None:
    """Store a (re)setup; it clears a pause, a recorded channel problem and a pending removal."""
    now = to_db(clock.now())
    await db.execute(
        """INSERT INTO guilds (guild_id, channel_id, post_time, timezone, mode, setup_by, discord_locale, created_at,
                               updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, post_time = excluded.post_time,
               timezone = excluded.timezone, mode = excluded.mode, paused = 0, channel_problem = NULL,
               removed_at = NULL, setup_by = COALESCE(excluded.setup_by, guilds.setup_by),
               discord_locale = COALESCE(excluded.discord_locale, guilds.discord_locale),
               updated_at = excluded.updated_at""",
        (guild_id, channel_id, f"{post_time:%H:%M}", timezone, mode, setup_by, discord_locale, now, now),
    )


async def update(db: Database, clock: Clock, guild_id: int, conn: Connection | None = None,
                 **fields: object) -> None:
    """Change some of the columns below (names are checked: they are spliced into SQL); inside the
    caller's transaction when `conn` is given."""
    allowed = {"post_time", "timezone", "mode", "channel_id", "paused", "channel_problem", "removed_at", "reveal",
               "retention_days", "setup_by", "partner_id", "language", "discord_locale"}
    if not fields or set(fields) - allowed:
        raise ValueError(f"can't update {sorted(set(fields) - allowed)}")
    values = {k: (f"{v:%H:%M}" if isinstance(v, time) else v) for k, v in fields.items()}
    assignments = ", ".join(f"{k} = ?" for k in values)
    await (conn or db).execute(
        f"UPDATE guilds SET {assignments}, updated_at = ? WHERE guild_id = ?",
        (*values.values(), to_db(clock.now()), guild_id),
    )


async def seen_locale(db: Database, guild_id: int, locale: str) -> None:
    """Keep the server's preferred locale as Discord last reported it (no write when unchanged)."""
    await db.execute("UPDATE guilds SET discord_locale = ? WHERE guild_id = ? AND discord_locale IS NOT ?",
                     (locale, guild_id, locale))
