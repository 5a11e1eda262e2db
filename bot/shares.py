"""What members share. For now: answers to a prompt (one per member per prompt, replaceable)."""
from __future__ import annotations

from dataclasses import dataclass

from .clock import Clock
from .db import Database, to_db
from .text import clean_answer

VISIBILITIES = ("group", "private")


@dataclass(frozen=True)
class Share:
    id: int
    guild_id: int
    author_id: int
    prompt_id: int | None
    source: str
    text: str
    visibility: str
    posted_message_id: int | None


def _share(row) -> Share:
    return Share(row["id"], row["guild_id"], row["author_id"], row["prompt_id"], row["source"], row["text"],
                 row["visibility"], row["posted_message_id"])


async def save_answer(db: Database, clock: Clock, guild_id: int, prompt_id: int, author_id: int, raw: str,
                      visibility: str) -> tuple[Share, Share | None]:
    """Store (or replace) a member's answer to a prompt; returns (new, previous)."""
    if visibility not in VISIBILITIES:
        raise ValueError(visibility)
    text = clean_answer(raw)
    now = to_db(clock.now())
    async with db.transaction() as conn:
        cur = await conn.execute("SELECT * FROM shares WHERE prompt_id = ? AND author_id = ? AND source = 'answer'",
                                 (prompt_id, author_id))
        old = await cur.fetchone()
        previous = _share(old) if old else None
        if previous is None:
            cur = await conn.execute(
                """INSERT INTO shares (guild_id, author_id, prompt_id, source, text, visibility, created_at, updated_at)
                   VALUES (?, ?, ?, 'answer', ?, ?, ?, ?) RETURNING *""",
                (guild_id, author_id, prompt_id, text, visibility, now, now),
            )
        else:
            cur = await conn.execute(
                "UPDATE shares SET text = ?, visibility = ?, updated_at = ? WHERE id = ? RETURNING *",
                (text, visibility, now, previous.id),
            )
        row = await cur.fetchone()
    return _share(row), previous


async def set_posted_message(db: Database, share_id: int, message_id: int | None) -> None:
    await db.execute("UPDATE shares SET posted_message_id = ? WHERE id = ?", (message_id, share_id))


async def answers_to(db: Database, prompt_id: int) -> list[Share]:
    rows = await db.fetchall("SELECT * FROM shares WHERE prompt_id = ? AND source = 'answer' ORDER BY id", (prompt_id,))
    return [_share(r) for r in rows]
