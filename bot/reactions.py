"""Signals on the daily prompt: 💛 resonates, 🎉 good news, 🫂 could use support, 💬 want to talk,
given with the post's buttons or as the member's own emoji reaction (both count the same). A 🫂 or
💬 from a member who allows follow-ups is stored as a "reached out" signal, with its time, for the
people who look out for them."""
from __future__ import annotations

from . import guilds, members, roster
from .clock import Clock
from .storage import Database, to_db
from .ports import REACTIONS

REACHING_OUT = ("🫂", "💬")


async def _prompt_id(db: Database, guild_id: int, message_id: int) -> int | None:
    row = await db.fetchone("SELECT id FROM prompts WHERE guild_id = ? AND message_id = ?", (guild_id, message_id))
    return row["id"] if row else None


async def record(db: Database, clock: Clock, guild_id: int, message_id: int, user_id: int, emoji: str,
                 user_name: str | None = None) -> tuple[str, int | None] | None:
    """Store a reaction on a daily prompt; returns ('signal', signal id) or ('reaction', None), or
    None when ignored (not a Kindred prompt, or not one of its reactions)."""
    if emoji not in REACTIONS:
        return None
    prompt_id = await _prompt_id(db, guild_id, message_id)
    if prompt_id is None:
        return None
    return await record_on_prompt(db, clock, guild_id, prompt_id, user_id, emoji, user_name)


async def record_on_prompt(db: Database, clock: Clock, guild_id: int, prompt_id: int, user_id: int, emoji: str,
                           user_name: str | None = None) -> tuple[str, int | None]:
    """`record` for a known prompt (a signal button carries its id)."""
    now = to_db(clock.now())
    await db.execute("INSERT OR IGNORE INTO reactions (guild_id, prompt_id, user_id, emoji, created_at) VALUES (?, ?, ?, ?, ?)",
                     (guild_id, prompt_id, user_id, emoji, now))
    await roster.record(db, clock, guild_id, user_id, "reaction", user_name)
    if emoji not in REACHING_OUT:
        return "reaction", None
    settings = await guilds.get(db, guild_id)
    if settings is None:
        return "reaction", None
    member = await members.get(db, guild_id, user_id, settings.mode, settings.timezone)
    if not member.allow_followups:
        return "reaction", None
    async with db.transaction() as conn:
        cur = await conn.execute(
            "INSERT OR IGNORE INTO signals (guild_id, user_id, prompt_id, emoji, created_at, user_name) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (guild_id, user_id, prompt_id, emoji, now, user_name))
        row = await cur.fetchone()
        return ("signal", row["id"]) if row else ("reaction", None)


async def remove(db: Database, guild_id: int, message_id: int, user_id: int, emoji: str) -> bool:
    """Un-reacting removes the reaction, and a signal nobody acted on yet."""
    prompt_id = await _prompt_id(db, guild_id, message_id)
    if prompt_id is None:
        return False
    return await remove_on_prompt(db, prompt_id, user_id, emoji)


async def given(db: Database, prompt_id: int, user_id: int, emoji: str) -> bool:
    row = await db.fetchone("SELECT 1 FROM reactions WHERE prompt_id = ? AND user_id = ? AND emoji = ?",
                            (prompt_id, user_id, emoji))
    return row is not None


async def remove_on_prompt(db: Database, prompt_id: int, user_id: int, emoji: str) -> bool:
    async with db.transaction() as conn:
        cur = await conn.execute("DELETE FROM reactions WHERE prompt_id = ? AND user_id = ? AND emoji = ?",
                                 (prompt_id, user_id, emoji))
        await conn.execute("DELETE FROM signals WHERE prompt_id = ? AND user_id = ? AND emoji = ? AND handled_at IS NULL",
                           (prompt_id, user_id, emoji))
        return cur.rowcount > 0
