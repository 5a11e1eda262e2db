"""The daily question: configuring it, scheduling one post per server per local day, posting it.

Scheduling rule: a server has at most one pending `daily` job, keyed `daily:{server}:{local date}`.
After a post (or skip) the next one is scheduled for the next local day. If the bot was down at the
post time, or Discord kept failing, it posts as soon as it can while that local day lasts; a job whose
local day ended unsent is `missed` and the next post is scheduled at once (never yesterday's question
today).

The post is one message: the question, Answer / Answer privately, and the four signals as buttons.
The day's thread is opened with the first answer shown (`answers.AnswerService.open_thread`).
"""
from __future__ import annotations

import asyncio
import logging
import random
import weakref
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from . import custom_ids, guilds, i18n, questions
from .clock import Clock
from .storage import Database, from_db, to_db
from .errors import UserError
from .problems import readable_problem
from .i18n import _
from .guilds import GuildSettings
from .localtime import at_local, end_of_local_day, local_date, next_post, parse_post_time, zone
from .ports import DiscordPort, PromptCard
from .scheduling import Job, JobQueue, Obsolete, PermanentError

log = logging.getLogger(__name__)
KIND = "daily"


@dataclass(frozen=True)
class Prompt:
    id: int
    guild_id: int
    kind: str
    local_date: date
    question_id: int
    channel_id: int
    message_id: int | None
    thread_id: int | None


def _prompt(row) -> Prompt:
    return Prompt(row["id"], row["guild_id"], row["kind"], date.fromisoformat(row["local_date"]), row["question_id"],
                  row["channel_id"], row["message_id"], row["thread_id"])


def dedupe_key(guild_id: int, day: date) -> str:
    return f"daily:{guild_id}:{day.isoformat()}"


@dataclass(frozen=True)
class Status:
    settings: GuildSettings
    next_post: datetime | None
    last_post: datetime | None
    failures: list[str]
    failing: str | None = None  # why the post due now hasn't gone out yet (it keeps retrying)
    unfinished: list[tuple[date, str]] = field(default_factory=list)  # days whose thread isn't open yet, and why


class DailyService:
    def __init__(self, db: Database, clock: Clock, queue: JobQueue, port: DiscordPort,
                 rng: random.Random | None = None, on_scheduled=None) -> None:
        self.db, self.clock, self.queue, self.port = db, clock, queue, port
        self.rng = rng or random.Random()
        self.bank = questions.Bank(db)
        self.on_scheduled = on_scheduled  # called with the UTC due time, to wake the sweep then
        self._scheduling: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    # -- settings ---------------------------------------------------------------------------
    async def setup(self, guild_id: int, channel_id: int, time_raw: str, tz_raw: str, mode: str,
                    discord_locale: str | None = None) -> datetime | None:
        post_time, tz = parse_post_time(time_raw), zone(tz_raw)
        if mode not in questions.MODES:
            raise UserError(_("Mode must be `partner` (a couple) or `group` (friends, family, a team)."))
        await guilds.save(self.db, self.clock, guild_id, channel_id, post_time, tz.key, mode,
                          discord_locale=discord_locale)
        return await self.reschedule(guild_id)

    async def change(self, guild_id: int, *, time_raw: str | None = None, tz_raw: str | None = None,
                     mode: str | None = None, reveal: str | None = None,
                     retention_days: int | None = None, language: str | None = None) -> datetime | None:
        """Change settings (all validated before any is saved); time, time zone or mode reschedule at once.
        `retention_days` 0 means keep shares until erased; `language` "auto" follows Discord's locale again."""
        fields: dict[str, object] = {}
        if language is not None:
            if language != "auto" and language not in i18n.available():
                raise UserError(_("Kindred speaks {languages}; pick one of those (or `auto` to follow the server's "
                                  "Discord language).", languages=", ".join(i18n.available())))
            fields["language"] = None if language == "auto" else language
        if reveal is not None:
            if reveal not in ("instant", "together"):
                raise UserError(_("Reveal must be `instant` or `together`."))
            fields["reveal"] = reveal
        if retention_days is not None:
            if retention_days < 0:
                raise UserError(_("Retention is a number of days, 0 or more (0 keeps shares until they're erased)."))
            fields["retention_days"] = retention_days or None
        if time_raw is not None:
            fields["post_time"] = parse_post_time(time_raw)
        if tz_raw is not None:
            fields["timezone"] = zone(tz_raw).key
        if mode is not None:
            if mode not in questions.MODES:
                raise UserError(_("Mode must be `partner` or `group`."))
            fields["mode"] = mode
        await self.require(guild_id)
        if fields:
            await guilds.update(self.db, self.clock, guild_id, **fields)
        if time_raw is None and tz_raw is None and mode is None:
            return (await self.status(guild_id)).next_post
        return await self.reschedule(guild_id)

    async def require(self, guild_id: int) -> GuildSettings:
        settings = await guilds.get(self.db, guild_id)
        if settings is None or settings.removed_at:
            raise UserError(_("Kindred isn't set up here yet. An admin can start with `/kindred setup`."))
        return settings

    async def pause(self, guild_id: int) -> None:
        await self.require(guild_id)
        await guilds.update(self.db, self.clock, guild_id, paused=1)
        await self.reschedule(guild_id)  # paused: cancels the pending post

    async def resume(self, guild_id: int) -> datetime | None:
        """Post again; a thread Discord refused earlier is tried again at once too."""
        await self.require(guild_id)
        await guilds.update(self.db, self.clock, guild_id, paused=0, channel_problem=None)
        await self.queue.rearm("thread", guild_id)
        return await self.reschedule(guild_id)

    async def skip(self, guild_id: int) -> tuple[date, datetime | None]:
        """Skip the next post; returns the skipped local date and the new next post time."""
        settings = await self.require(guild_id)
        if not settings.active:
            raise UserError(_("Posting is paused or stopped, so there's no next post to skip. `/kindred status` says why."))
        row = await self.db.fetchone(
            "SELECT * FROM jobs WHERE kind = ? AND guild_id = ? AND status = 'pending' ORDER BY due_at LIMIT 1",
            (KIND, guild_id),
        )
        if row is None:
            raise UserError(_("There's no scheduled post to skip right now."))
        skipped = date.fromisoformat(row["dedupe_key"].rsplit(":", 1)[1])
        await self.db.execute("UPDATE jobs SET status = 'skipped', updated_at = ? WHERE id = ? AND status = 'pending'",
                              (to_db(self.clock.now()), row["id"]))
        return skipped, await self.reschedule(guild_id, not_before=skipped + timedelta(days=1))

    # -- scheduling -------------------------------------------------------------------------
    async def _done_dates(self, guild_id: int, since: date) -> set[date]:
        """Local dates that already had their daily post (or were skipped, or are being sent)."""
        rows = await self.db.fetchall(
            """SELECT dedupe_key FROM jobs WHERE kind = ? AND guild_id = ? AND status IN ('sending', 'sent', 'skipped')
                 AND dedupe_key >= ?
               UNION SELECT 'daily:' || guild_id || ':' || local_date FROM prompts
                 WHERE guild_id = ? AND kind = 'daily' AND local_date >= ?""",
            (KIND, guild_id, dedupe_key(guild_id, since), guild_id, since.isoformat()),
        )
        return {date.fromisoformat(r[0].rsplit(":", 1)[1]) for r in rows}

    async def reschedule(self, guild_id: int, not_before: date | None = None,
                         catch_up: bool = False) -> datetime | None:
        """Replace the server's pending daily job with one for its next post; None when not posting.

        With `catch_up`, today counts even if its post time has passed (the bot was down then).
        One server's reschedules run one at a time, each reading the settings afresh, so the last
        one follows the latest settings (a post that finishes sending after an admin paused or
        moved it doesn't bring back what they had before)."""
        lock = self._scheduling.get(guild_id)
        if lock is None:
            lock = self._scheduling[guild_id] = asyncio.Lock()
        async with lock:
            return await self._reschedule(guild_id, not_before, catch_up)

    async def _reschedule(self, guild_id: int, not_before: date | None, catch_up: bool) -> datetime | None:
        settings = await guilds.get(self.db, guild_id)
        await self.queue.cancel(KIND, guild_id)
        if settings is None or not settings.active:
            return None
        now, tz = self.clock.now(), settings.tz
        today = local_date(now, tz)
        done = await self._done_dates(guild_id, min(today, not_before or today))
        if catch_up and today not in done and at_local(today, settings.post_time, tz) <= now:
            day, due = today, now
        else:
            day, due = next_post(now, tz, settings.post_time, not_before)
            while day in done:
                day, due = next_post(now, tz, settings.post_time, day + timedelta(days=1))
        await self.queue.schedule(KIND, dedupe_key(guild_id, day), due, guild_id, {"local_date": day.isoformat()},
                                  expires_at=end_of_local_day(day, tz))
        if self.on_scheduled:
            self.on_scheduled(due)
        return due

    # -- posting ----------------------------------------------------------------------------
    async def deliver(self, job: Job) -> None:
        """The job handler: post the day's question once."""
        settings = await guilds.get(self.db, job.guild_id)
        if settings is None or settings.removed_at:
            raise Obsolete("the server is no longer set up")
        if not settings.active:
            raise Obsolete("posting is paused or stopped")
        day = date.fromisoformat(job.payload["local_date"])
        if self.clock.now() >= end_of_local_day(day, settings.tz):
            raise Obsolete("its local day ended before it could be posted", await self.expire(job))
        try:
            await self.publish(settings, "daily", day, job.nonce, look_back=job.retried)
        except PermanentError as exc:
            await guilds.update(self.db, self.clock, settings.guild_id, channel_problem=str(exc))
            log.warning("guild %s: daily posting stopped: %s", settings.guild_id, exc)
            raise
        await self.reschedule(settings.guild_id, not_before=day + timedelta(days=1))

    async def expire(self, job: Job) -> str:
        """The day ended before its post went out: schedule the next one; the job is `missed`."""
        await self.reschedule(job.guild_id, catch_up=True)
        return "missed"

    async def post_now(self, guild_id: int, nonce: str) -> Prompt:
        """`/question now`: an extra question straight away; the daily schedule is unchanged."""
        settings = await self.require(guild_id)
        if settings.channel_problem:
            raise UserError(_("I can't post in the Kindred channel: {problem} Fix it, then run `/kindred resume`.",
                              problem=readable_problem(settings.channel_problem)))
        try:
            return await self.publish(settings, "extra", local_date(self.clock.now(), settings.tz), nonce)
        except PermanentError as exc:
            raise UserError(_("I couldn't post the question: {problem}", problem=readable_problem(str(exc)))) from exc

    async def publish(self, settings: GuildSettings, kind: str, day: date, nonce: str, look_back: bool = False) -> Prompt:
        """Record the prompt before sending, then send it unless it is out already: safe to repeat.

        With `look_back` (an earlier attempt may have reached Discord, longer ago than its nonce is
        remembered), Kindred's own recent messages in the channel are searched for this prompt first."""
        prompt, question = await self._prompt_for(settings, kind, day, known=look_back)
        if prompt.message_id is not None:
            return prompt
        message_id = await self.port.find_own_message(prompt.channel_id, custom_ids.answer(prompt.id, "group")) if look_back else None
        if message_id is None:
            if question is None or question.id != prompt.question_id:
                question = await questions.get(self.db, settings.guild_id, prompt.question_id, settings.language)
            card = PromptCard(prompt.id, prompt.question_id, question.text, question.category, day, settings.language)
            message_id = await self.port.post_prompt(prompt.channel_id, card, nonce)
            how = "posted"
        else:
            how = "found already posted"
        await self.db.execute("UPDATE prompts SET message_id = ?, posted_at = ? WHERE id = ?",
                              (message_id, to_db(self.clock.now()), prompt.id))
        log.info("guild %s: %s prompt %s (question %s) as message %s", settings.guild_id, how, prompt.id,
                 prompt.question_id, message_id)
        return Prompt(prompt.id, prompt.guild_id, kind, day, prompt.question_id, prompt.channel_id, message_id, None)

    async def _daily_prompt(self, guild_id: int, day: date) -> Prompt | None:
        row = await self.db.fetchone("SELECT * FROM prompts WHERE guild_id = ? AND kind = 'daily' AND local_date = ?",
                                     (guild_id, day.isoformat()))
        return _prompt(row) if row else None

    async def _prompt_for(self, settings: GuildSettings, kind: str, day: date,
                          known: bool = False) -> tuple[Prompt, questions.Question | None]:
        """The day's prompt row, made now with a fresh question unless it exists (with the question
        picked for it, in the server's language, when this call picked one). `known`: an earlier
        attempt probably made it, so look first."""
        if kind == "daily" and known and (existing := await self._daily_prompt(settings.guild_id, day)):
            return existing, None
        question = await self.bank.pick(settings.guild_id, settings.mode, self.rng, settings.language)
        row = await self.db.fetchone(  # one statement: the unique (server, local date) index decides
            """INSERT INTO prompts (guild_id, kind, local_date, question_id, channel_id, created_at)
               VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, local_date) WHERE kind = 'daily' DO NOTHING
               RETURNING *""",
            (settings.guild_id, kind, day.isoformat(), question.id, settings.channel_id, to_db(self.clock.now())),
        )
        if row is None:  # a daily prompt for that day was made already
            return await self._daily_prompt(settings.guild_id, day), None
        return _prompt(row), question

    # -- reading ----------------------------------------------------------------------------
    async def prompt(self, prompt_id: int) -> Prompt | None:
        row = await self.db.fetchone("SELECT * FROM prompts WHERE id = ?", (prompt_id,))
        return _prompt(row) if row else None

    async def prompt_by_thread(self, guild_id: int, thread_id: int) -> Prompt | None:
        row = await self.db.fetchone("SELECT * FROM prompts WHERE guild_id = ? AND thread_id = ?", (guild_id, thread_id))
        return _prompt(row) if row else None

    async def status(self, guild_id: int) -> Status:
        settings = await self.require(guild_id)
        pending = await self.db.fetchone(
            "SELECT due_at, attempts, last_error FROM jobs WHERE kind = ? AND guild_id = ? AND status = 'pending' "
            "ORDER BY due_at LIMIT 1", (KIND, guild_id))
        last = await self.db.fetchone(
            "SELECT posted_at FROM prompts WHERE guild_id = ? AND posted_at IS NOT NULL ORDER BY posted_at DESC LIMIT 1",
            (guild_id,))
        failed = await self.db.fetchall(
            """SELECT dedupe_key, last_error FROM jobs WHERE kind = ? AND guild_id = ? AND status IN ('failed', 'missed')
               ORDER BY updated_at DESC LIMIT 3""",
            (KIND, guild_id))
        threads = await self.db.fetchall(
            """SELECT DISTINCT p.local_date, j.last_error FROM jobs j
               JOIN prompts p ON p.id = CAST(json_extract(j.payload, '$.prompt_id') AS INTEGER)
               WHERE j.kind = 'thread' AND j.guild_id = ? AND j.status IN ('pending', 'sending') ORDER BY p.local_date""",
            (guild_id,))
        failing = None
        if pending and pending["attempts"] and pending["last_error"]:
            failing = f"{pending['attempts']} attempt(s) failed so far, the last with: {pending['last_error']}"
        return Status(settings, from_db(pending["due_at"]) if pending else None,
                      from_db(last["posted_at"]) if last else None,
                      [f"{r['dedupe_key'].rsplit(':', 1)[1]}: {r['last_error']}" for r in failed], failing,
                      [(date.fromisoformat(r["local_date"]), r["last_error"] or "waiting") for r in threads])
