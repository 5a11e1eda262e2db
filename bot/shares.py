"""What members share: answers to a prompt, /share, DM shares, thread replies, and /remember notes.

Visibility: 'group' shares are visible to members of the same server; 'private' ones to their
author alone. A note (/remember) has an author and a subject and is private to its author.
Nothing here ever reads across servers: every query is scoped by guild_id."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from . import roster
from .clock import Clock
from .storage import Database, from_db, to_db
from .errors import UserError
from .i18n import _
from .text import clean_answer

VISIBILITIES = ("group", "private")
SOURCES = ("answer", "share", "dm", "thread", "note")
PAGE_SIZE = 10


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
    subject_id: int | None = None
    check_in: bool = False
    held: bool = False
    created_at: datetime | None = None
    about_name: str | None = None
    updated_at: datetime | None = None

    @property
    def about(self) -> int:
        """Whom the share is about: the subject of a note, else its author."""
        return self.subject_id if self.subject_id is not None else self.author_id


def _share(row) -> Share:
    return Share(row["id"], row["guild_id"], row["author_id"], row["prompt_id"], row["source"], row["text"],
                 row["visibility"], row["posted_message_id"], row["subject_id"], bool(row["check_in"]),
                 bool(row["held"]), from_db(row["created_at"]), row["about_name"], from_db(row["updated_at"]))


async def add(db: Database, clock: Clock, guild_id: int, author_id: int, raw: str, *, visibility: str,
              source: str = "share", check_in: bool = False, subject_id: int | None = None,
              prompt_id: int | None = None, source_message_id: int | None = None, about_name: str | None = None) -> Share:
    """Keep something a member shared (validated: not empty, at most 2,000 characters)."""
    if visibility not in VISIBILITIES or source not in SOURCES:
        raise ValueError((visibility, source))
    text = clean_answer(raw)
    async with db.transaction() as conn:
        return await _insert(conn, clock, guild_id, author_id, text, visibility, source, check_in, subject_id,
                             prompt_id, source_message_id, about_name)


_MET_BY = {"answer": "answer", "share": "share", "dm": "dm", "thread": "thread", "note": "command"}


async def _insert(conn, clock: Clock, guild_id: int, author_id: int, text: str, visibility: str, source: str,
                  check_in: bool = False, subject_id: int | None = None, prompt_id: int | None = None,
                  source_message_id: int | None = None, about_name: str | None = None) -> Share:
    now = to_db(clock.now())
    cur = await conn.execute(
        """INSERT INTO shares (guild_id, author_id, prompt_id, source, text, visibility, subject_id, check_in,
                               source_message_id, about_name, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *""",
        (guild_id, author_id, prompt_id, source, text, visibility, subject_id, int(check_in), source_message_id,
         about_name, now, now),
    )
    share = _share(await cur.fetchone())
    await roster.record(conn, clock, guild_id, author_id, _MET_BY.get(source, "share"),
                        None if source == "note" else about_name)
    return share


async def add_note(db: Database, clock: Clock, guild_id: int, author_id: int, subject_id: int, raw: str,
                   subject_name: str | None = None) -> Share:
    """A /remember note: private to its author, about `subject_id`."""
    if subject_id == author_id:
        raise UserError(_("A note is about someone else. For yourself, use `/share` (add `private:true` to keep it to yourself)."))
    return await add(db, clock, guild_id, author_id, raw, visibility="private", source="note", subject_id=subject_id,
                     about_name=subject_name)


async def save_answer(db: Database, clock: Clock, guild_id: int, prompt_id: int, author_id: int, raw: str,
                      visibility: str, together: bool = False, about_name: str | None = None,
                      day_end: datetime | None = None, unlocked_by: set[int] | None = None) -> tuple[Share, Share | None]:
    """Store (or replace) a member's answer to a prompt; returns (new, previous).

    With `together`, the answer is held (hidden) unless another member's group-visible answer to
    the prompt exists that may be shown (not held, or held but saved before `day_end`: a held
    answer saved after the day ended is never revealed), from one of `unlocked_by` when given (the
    couple); decided in the same transaction, so two answers at once can't both wait."""
    if visibility not in VISIBILITIES:
        raise ValueError(visibility)
    text = clean_answer(raw)
    now = to_db(clock.now())
    async with db.transaction() as conn:
        held = False
        if together:
            cur = await conn.execute("SELECT author_id FROM shares WHERE prompt_id = ? AND author_id <> ? AND source = 'answer' "
                                     "AND visibility = 'group' AND (held = 0 OR updated_at < ?)",
                                     (prompt_id, author_id, to_db(day_end) if day_end else "9999"))
            held = not any(unlocked_by is None or row[0] in unlocked_by for row in await cur.fetchall())
        cur = await conn.execute("SELECT * FROM shares WHERE prompt_id = ? AND author_id = ? AND source = 'answer'",
                                 (prompt_id, author_id))
        old = await cur.fetchone()
        previous = _share(old) if old else None
        if previous is None:
            cur = await conn.execute(
                """INSERT INTO shares (guild_id, author_id, prompt_id, source, text, visibility, held, about_name,
                                      created_at, updated_at)
                   VALUES (?, ?, ?, 'answer', ?, ?, ?, ?, ?, ?) RETURNING *""",
                (guild_id, author_id, prompt_id, text, visibility, int(held), about_name, now, now),
            )
        else:
            cur = await conn.execute(
                "UPDATE shares SET text = ?, visibility = ?, held = ?, about_name = ?, updated_at = ? WHERE id = ? RETURNING *",
                (text, visibility, int(held), about_name, now, previous.id),
            )
        row = await cur.fetchone()
        await roster.record(conn, clock, guild_id, author_id, "answer", about_name)
    return _share(row), previous


async def set_posted_message(db: Database, share_id: int, message_id: int | None) -> None:
    await db.execute("UPDATE shares SET posted_message_id = ?, held = 0 WHERE id = ?", (message_id, share_id))


async def answers_to(db: Database, prompt_id: int) -> list[Share]:
    rows = await db.fetchall("SELECT * FROM shares WHERE prompt_id = ? AND source = 'answer' ORDER BY id", (prompt_id,))
    return [_share(r) for r in rows]


async def get(db: Database, share_id: int) -> Share | None:
    row = await db.fetchone("SELECT * FROM shares WHERE id = ?", (share_id,))
    return _share(row) if row else None


async def edit_from_message(db: Database, clock: Clock, message_id: int, raw: str) -> tuple[int, Share | None] | None:
    """A member edited the message a share came from: keep the share in step (dropped if emptied).
    Returns (share id, the share or None if dropped), or None when no share came from that message."""
    row = await db.fetchone("SELECT * FROM shares WHERE source_message_id = ?", (message_id,))
    if row is None:
        return None
    text = (raw or "").strip()
    if not text:
        await db.execute("DELETE FROM shares WHERE id = ?", (row["id"],))
        return row["id"], None
    await db.execute("UPDATE shares SET text = ?, updated_at = ? WHERE id = ?",
                     (text[:2000], to_db(clock.now()), row["id"]))
    return row["id"], await get(db, row["id"])


async def delete_from_message(db: Database, message_id: int) -> int | None:
    """A member deleted the message a share came from; returns the deleted share's id."""
    async with db.transaction() as conn:
        cur = await conn.execute("DELETE FROM shares WHERE source_message_id = ? RETURNING id", (message_id,))
        row = await cur.fetchone()
    return row["id"] if row else None


def _visible_to(viewer_id: int, subject_id: int) -> tuple[str, tuple]:
    """SQL (and parameters) for what `viewer_id` may see about `subject_id` in one server:
    their own shares (private ones too) when it's themselves; otherwise the subject's group-visible,
    revealed shares, plus the viewer's own notes about the subject. Never someone else's notes."""
    if viewer_id == subject_id:
        return "author_id = ? AND subject_id IS NULL", (viewer_id,)
    return ("((author_id = ? AND subject_id IS NULL AND visibility = 'group' AND held = 0)"
            " OR (author_id = ? AND subject_id = ?))", (subject_id, viewer_id, subject_id))


async def memories(db: Database, guild_id: int, viewer_id: int, subject_id: int, page: int = 0) -> tuple[list[Share], int]:
    """One page (newest first) of what the viewer may see about the subject, and the total count."""
    where, params = _visible_to(viewer_id, subject_id)
    total = (await db.fetchone(f"SELECT COUNT(*) FROM shares WHERE guild_id = ? AND {where}", (guild_id, *params)))[0]
    rows = await db.fetchall(
        f"SELECT * FROM shares WHERE guild_id = ? AND {where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
        (guild_id, *params, PAGE_SIZE, page * PAGE_SIZE),
    )
    return [_share(r) for r in rows], total


async def save_draft(db: Database, clock: Clock, user_id: int, raw: str) -> int:
    text = clean_answer(raw)
    async with db.transaction() as conn:
        cur = await conn.execute("INSERT INTO dm_drafts (user_id, text, created_at) VALUES (?, ?, ?) RETURNING id",
                                 (user_id, text, to_db(clock.now())))
        return (await cur.fetchone())["id"]


async def file_draft(db: Database, clock: Clock, draft_id: int, user_id: int, guild_id: int, visibility: str,
                     about_name: str | None = None) -> Share:
    """Move a DM draft into the chosen server (the caller checked they are a member there): only its
    author can, only once (one transaction)."""
    async with db.transaction() as conn:
        cur = await conn.execute("DELETE FROM dm_drafts WHERE id = ? AND user_id = ? RETURNING text", (draft_id, user_id))
        row = await cur.fetchone()
        if row is None:
            raise UserError(_("That message was already saved (or erased). Send it again if you like."))
        return await _insert(conn, clock, guild_id, user_id, row["text"], visibility, "dm", about_name=about_name)
