"""The server's week: answers, answer streaks, nudges sent and acted on.

Only what members may see counts: answers visible to the group (a private or still-hidden answer
is never counted, so no figure tells that someone answered privately), and check-in nudges between
members (a /remember reminder is its author's own, not a check-in)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .clock import Clock
from .db import Database, to_db
from .localtime import local_date, zone


@dataclass(frozen=True)
class Week:
    start: date
    answers: int
    members_answering: int
    streak_days: int            # consecutive local days up to today (or yesterday) with at least one answer
    nudges_sent: int
    nudges_acted_on: int        # "I checked in"


async def week(db: Database, clock: Clock, guild_id: int, timezone: str) -> Week:
    tz = zone(timezone)
    today = local_date(clock.now(), tz)
    start = today - timedelta(days=6)
    answers = await db.fetchone(
        """SELECT COUNT(*) AS n, COUNT(DISTINCT s.author_id) AS members FROM shares s JOIN prompts p ON p.id = s.prompt_id
           WHERE s.guild_id = ? AND p.local_date >= ? AND s.source IN ('answer', 'thread')
             AND s.visibility = 'group' AND s.held = 0""",
        (guild_id, start.isoformat()))
    days = {date.fromisoformat(r["local_date"]) for r in await db.fetchall(
        """SELECT DISTINCT p.local_date FROM prompts p JOIN shares s ON s.prompt_id = p.id
           WHERE p.guild_id = ? AND s.source IN ('answer', 'thread') AND s.visibility = 'group' AND s.held = 0""",
        (guild_id,))}
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    since = to_db(clock.now() - timedelta(days=7))
    nudges = await db.fetchone(
        """SELECT SUM(status IN ('sent', 'done', 'skipped')) AS sent, SUM(status = 'done') AS done FROM followups
           WHERE guild_id = ? AND due_at >= ? AND recipient_id <> subject_id
             AND (share_id IS NULL OR share_id NOT IN (SELECT id FROM shares WHERE source = 'note'))""", (guild_id, since))
    return Week(start, answers["n"], answers["members"], streak, nudges["sent"] or 0, nudges["done"] or 0)
