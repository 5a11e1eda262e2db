"""The server's last four weeks, in figures: answers per local day, the answer streak, and
check-in nudges sent and acted on per week.

Only what members may see counts: answers visible to the group (a private or still-hidden answer
is never counted, so no figure tells that someone answered privately), and check-in nudges between
members (a /remember reminder is its author's own, not a check-in). A week is seven local days
ending today (the current one) or seven days before it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..clock import Clock
from ..storage import Database, from_db, to_db
from ..localtime import end_of_local_day, local_date, zone

WEEKS = 4
VISIBLE_ANSWER = "s.source IN ('answer', 'thread') AND s.visibility = 'group' AND s.held = 0"


@dataclass(frozen=True)
class Week:
    start: date
    answers: int
    members_answering: int
    nudges_sent: int
    nudges_acted_on: int        # "I checked in"

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)


@dataclass(frozen=True)
class Figures:
    today: date
    days: tuple[tuple[date, int], ...]  # answers per local day, the last 28, oldest first
    weeks: tuple[Week, ...]             # the last four, oldest first; weeks[-1] ends today
    streak_days: int                    # consecutive local days up to today (or yesterday) with an answer

    @property
    def this_week(self) -> Week:
        return self.weeks[-1]


async def four_weeks(db: Database, clock: Clock, guild_id: int, timezone: str) -> Figures:
    tz = zone(timezone)
    today = local_date(clock.now(), tz)
    first = today - timedelta(days=7 * WEEKS - 1)
    answers = await db.fetchall(
        f"""SELECT p.local_date, s.author_id FROM shares s JOIN prompts p ON p.id = s.prompt_id
            WHERE s.guild_id = ? AND p.local_date BETWEEN ? AND ? AND {VISIBLE_ANSWER}""",
        (guild_id, first.isoformat(), today.isoformat()))
    nudges = await db.fetchall(
        """SELECT due_at, status FROM followups
           WHERE guild_id = ? AND due_at >= ? AND due_at < ? AND status IN ('sent', 'done', 'skipped')
             AND recipient_id <> subject_id
             AND (share_id IS NULL OR share_id NOT IN (SELECT id FROM shares WHERE source = 'note'))""",
        (guild_id, to_db(end_of_local_day(first - timedelta(days=1), tz)), to_db(end_of_local_day(today, tz))))
    answered = [(date.fromisoformat(r["local_date"]), r["author_id"]) for r in answers]
    sent = [(local_date(from_db(r["due_at"]), tz), r["status"]) for r in nudges]
    weeks = []
    for n in range(WEEKS):
        start = first + timedelta(days=7 * n)
        end = start + timedelta(days=6)
        in_week = [author for day, author in answered if start <= day <= end]
        statuses = [status for day, status in sent if start <= day <= end]
        weeks.append(Week(start, len(in_week), len(set(in_week)), len(statuses), statuses.count("done")))
    per_day = {first + timedelta(days=i): 0 for i in range(7 * WEEKS)}
    for day, _ in answered:
        per_day[day] += 1
    return Figures(today, tuple(per_day.items()), tuple(weeks), await _streak(db, guild_id, today))


async def _streak(db: Database, guild_id: int, today: date) -> int:
    days = {date.fromisoformat(r["local_date"]) for r in await db.fetchall(
        f"""SELECT DISTINCT p.local_date FROM prompts p JOIN shares s ON s.prompt_id = p.id
            WHERE p.guild_id = ? AND {VISIBLE_ANSWER}""", (guild_id,))}
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak
