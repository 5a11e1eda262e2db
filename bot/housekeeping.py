"""The server lifecycle: the bot removed from a server stops its schedule and keeps the data
30 days (in case it's re-added), then purges it; optional per-server retention of shares."""
from __future__ import annotations

import logging
from datetime import timedelta

from . import guilds
from .clock import Clock
from .storage import Database, from_db, to_db
from .scheduling import JobQueue
from .shards import Shards

log = logging.getLogger(__name__)
PURGE_AFTER = timedelta(days=30)

# Every table with a guild_id, in an order that respects foreign keys.
GUILD_TABLES = ("followups", "nudge_dms", "circles", "signals", "reactions", "shares", "member_settings", "roster",
                "jobs", "prompts", "question_uses", "questions", "guilds")


async def bot_removed(db: Database, clock: Clock, queue: JobQueue, guild_id: int) -> None:
    if await guilds.get(db, guild_id) is None:
        return
    now = to_db(clock.now())
    async with db.transaction() as conn:  # one step: no reader sees a removed server with live jobs
        await guilds.update(db, clock, guild_id, conn, removed_at=now)
        cursor = await conn.execute("UPDATE jobs SET status = 'cancelled', updated_at = ? "
                                    "WHERE guild_id = ? AND status = 'pending'", (now, guild_id))
        cancelled = cursor.rowcount
    log.info("guild %s: Kindred was removed; %d pending jobs cancelled, data purged in 30 days", guild_id, cancelled)


async def bot_added(db: Database, clock: Clock, queue: JobQueue, guild_id: int) -> bool:
    """Re-added within 30 days: clear the removal mark and give planned nudges their delivery jobs
    back; returns True when the daily schedule should restart."""
    settings = await guilds.get(db, guild_id)
    if settings is None or settings.removed_at is None:
        return False
    await guilds.update(db, clock, guild_id, removed_at=None)
    from .followups import KIND, job_key

    for row in await db.fetchall("SELECT id, round, due_at FROM followups WHERE guild_id = ? AND status = 'planned'",
                                 (guild_id,)):
        await queue.schedule(KIND, job_key(row["id"], row["round"]), max(from_db(row["due_at"]), clock.now()),
                             guild_id, {"followup_id": row["id"]})
    return True


async def reconcile(db: Database, clock: Clock, queue: JobQueue, serving: set[int],
                    shards: Shards | None = None) -> list[int]:
    """At start-up: servers set up with Kindred that Discord no longer reports were removed while the
    bot was offline (their 30-day purge clock starts now); servers marked removed that Discord
    reports again were re-added. Returns the re-added ones, whose schedule should restart. With
    shards, Discord reports only this process's shards' servers: only those are reconciled."""
    rows = await db.fetchall("SELECT guild_id, removed_at FROM guilds")
    readded = []
    for row in rows:
        if shards is not None and not shards.owns(row["guild_id"]):
            continue
        if row["removed_at"] is None and row["guild_id"] not in serving:
            await bot_removed(db, clock, queue, row["guild_id"])
        elif row["removed_at"] is not None and row["guild_id"] in serving:
            await bot_added(db, clock, queue, row["guild_id"])
            readded.append(row["guild_id"])
    return readded


async def purge_removed(db: Database, clock: Clock) -> list[int]:
    """Delete every row of servers the bot left more than 30 days ago; returns their ids."""
    cutoff = to_db(clock.now() - PURGE_AFTER)
    rows = await db.fetchall("SELECT guild_id FROM guilds WHERE removed_at IS NOT NULL AND removed_at <= ?", (cutoff,))
    purged = [r["guild_id"] for r in rows]
    for guild_id in purged:
        async with db.transaction() as conn:
            for table in GUILD_TABLES:
                await conn.execute(f"DELETE FROM {table} WHERE guild_id = ?", (guild_id,))
        log.info("guild %s: data purged 30 days after removal", guild_id)
    if purged:
        await db.erase_checkpoint()
    return purged


async def apply_retention(db: Database, clock: Clock) -> int:
    """Delete shares older than each server's retention_days, and DM shares never filed within a
    week; returns how many shares."""
    drafts = await db.execute("DELETE FROM dm_drafts WHERE created_at < ?", (to_db(clock.now() - timedelta(days=7)),))
    rows = await db.fetchall("SELECT guild_id, retention_days FROM guilds WHERE retention_days IS NOT NULL")
    deleted = 0
    for row in rows:
        cutoff = to_db(clock.now() - timedelta(days=row["retention_days"]))
        deleted += await db.execute("DELETE FROM shares WHERE guild_id = ? AND created_at < ?", (row["guild_id"], cutoff))
    if deleted or drafts:
        await db.erase_checkpoint()  # expired words leave the disk with them
    return deleted
