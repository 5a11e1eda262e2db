"""The alarm clock: due work lives in the `jobs` table; APScheduler only wakes the sweep.

A row goes pending -> sending (claimed in one `BEGIN IMMEDIATE` transaction, with a lease) -> sent,
or to a final status (failed, cancelled, skipped, missed). A `sending` row whose lease ran out
(the process died between claiming and marking) is claimed again; every send carries a nonce made
from the dedupe key, so Discord returns the first message instead of posting a second one.
"""
from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .clock import Clock
from .db import Database, from_db, to_db

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 6
SWEEP_INTERVAL_SECONDS = 5.0
FINAL = ("sent", "failed", "cancelled", "skipped", "missed")


class PermanentError(Exception):
    """Retrying can't help (cannot DM, missing permission, unknown channel): the job ends `failed`."""

    def __init__(self, reason: str, code: int | None = None) -> None:
        super().__init__(reason)
        self.code = code  # Discord's error code, when Discord gave one


class TransientError(Exception):
    """Worth retrying later (5xx, 429, a locked database)."""

    def __init__(self, reason: str, retry_after: float = 0.0) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class Obsolete(Exception):
    """The job no longer applies (its day is over, the server paused): it ends with `status`."""

    def __init__(self, reason: str, status: str = "cancelled") -> None:
        super().__init__(reason)
        self.status = status


class Postpone(Exception):
    """Not now (e.g. the recipient's quiet hours): the job waits until `until`, no attempt counted."""

    def __init__(self, until: datetime, reason: str) -> None:
        super().__init__(reason)
        self.until = until


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    dedupe_key: str
    guild_id: int | None
    due_at: datetime
    attempts: int
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def nonce(self) -> str:
        """Deterministic per job and at most 25 characters, as Discord requires."""
        return f"k{self.id:x}"[:25]


def backoff(attempts: int, retry_after: float = 0.0) -> timedelta:
    """5 s, 10 s, 20 s ... capped at 10 minutes, and never sooner than Discord asked."""
    return timedelta(seconds=max(retry_after, min(5 * 2 ** max(attempts - 1, 0), 600)))


def _job(row: Any) -> Job:
    return Job(row["id"], row["kind"], row["dedupe_key"], row["guild_id"], from_db(row["due_at"]), row["attempts"], json.loads(row["payload"]))


class JobQueue:
    """SQL over the jobs table."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def schedule(self, kind: str, dedupe_key: str, due_at: datetime, guild_id: int | None = None,
                       payload: dict[str, Any] | None = None) -> None:
        """Add a pending job, or move the pending/cancelled job with this key to `due_at`.
        A job that was already claimed or finished is left alone: that is the dedupe."""
        now = to_db(self.clock.now())
        await self.db.execute(
            """INSERT INTO jobs (kind, dedupe_key, guild_id, due_at, payload, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (dedupe_key) DO UPDATE SET due_at = excluded.due_at, payload = excluded.payload,
                   status = 'pending', attempts = 0, last_error = NULL, updated_at = excluded.updated_at
               WHERE jobs.status IN ('pending', 'cancelled')""",
            (kind, dedupe_key, guild_id, to_db(due_at), json.dumps(payload or {}), now, now),
        )

    async def claim(self, limit: int = 100) -> list[Job]:
        """Claim due pending jobs and expired leases, oldest first, in one statement (one transaction)."""
        now = self.clock.now()
        stamp = to_db(now)
        rows = await self.db.fetchall(
            """UPDATE jobs SET status = 'sending', lease_until = ?, attempts = attempts + 1, updated_at = ?
               WHERE id IN (SELECT id FROM (SELECT id, due_at FROM jobs WHERE status = 'pending' AND due_at <= ?
                                            UNION ALL
                                            SELECT id, due_at FROM jobs WHERE status = 'sending' AND lease_until <= ?
                                            ORDER BY due_at LIMIT ?))
               RETURNING *""",
            (to_db(now + LEASE), stamp, stamp, stamp, limit),
        )
        return sorted((_job(r) for r in rows), key=lambda j: (j.due_at, j.id))

    async def finish(self, job: Job, status: str, error: str | None = None) -> None:
        if status not in FINAL:
            raise ValueError(status)
        await self.db.execute(
            "UPDATE jobs SET status = ?, last_error = ?, lease_until = NULL, updated_at = ? WHERE id = ? AND status = 'sending'",
            (status, error, to_db(self.clock.now()), job.id),
        )

    async def retry(self, job: Job, error: str, retry_after: float = 0.0) -> datetime:
        due = self.clock.now() + backoff(job.attempts, retry_after)
        await self.db.execute(
            "UPDATE jobs SET status = 'pending', due_at = ?, last_error = ?, lease_until = NULL, updated_at = ? WHERE id = ? AND status = 'sending'",
            (to_db(due), error, to_db(self.clock.now()), job.id),
        )
        return due

    async def postpone(self, job: Job, until: datetime, reason: str) -> None:
        await self.db.execute(
            "UPDATE jobs SET status = 'pending', due_at = ?, attempts = attempts - 1, last_error = ?, lease_until = NULL, "
            "updated_at = ? WHERE id = ? AND status = 'sending'",
            (to_db(until), reason, to_db(self.clock.now()), job.id),
        )

    async def release(self, jobs: list[Job]) -> None:
        """Give claimed jobs back unsent (at shutdown), as if never claimed: no attempt counted."""
        if jobs:
            await self.db.execute(
                f"UPDATE jobs SET status = 'pending', attempts = attempts - 1, lease_until = NULL, updated_at = ? "
                f"WHERE status = 'sending' AND id IN ({', '.join('?' * len(jobs))})",
                (to_db(self.clock.now()), *(job.id for job in jobs)),
            )

    async def cancel(self, kind: str, guild_id: int, status: str = "cancelled") -> int:
        """End the pending jobs of one kind for a server."""
        return await self.db.execute(
            "UPDATE jobs SET status = ?, updated_at = ? WHERE kind = ? AND guild_id = ? AND status = 'pending'",
            (status, to_db(self.clock.now()), kind, guild_id),
        )

    async def next_due(self) -> datetime | None:
        row = await self.db.fetchone("SELECT MIN(due_at) AS due FROM jobs WHERE status = 'pending'")
        return from_db(row["due"]) if row else None


Handler = Callable[[Job], Awaitable[None]]


class Sweeper:
    """Claims due jobs and runs the handler for their kind; one sweep at a time.

    `close()` waits for a sweep in flight, so a shutdown never cuts a send in half."""

    def __init__(self, queue: JobQueue, handlers: dict[str, Handler] | None = None, batch: int = 100) -> None:
        self.queue = queue
        self.handlers: dict[str, Handler] = dict(handlers or {})
        self.batch = batch
        self._running = asyncio.Lock()
        self._closed = False

    async def run_once(self) -> int:
        """Sweep until nothing is due; returns how many jobs were handled."""
        handled = 0
        async with self._running:
            while not self._closed:
                jobs = await self.queue.claim(self.batch)
                if not jobs:
                    break
                for index, job in enumerate(jobs):
                    if self._closed:  # shutting down: what isn't started yet goes back to pending
                        await self.queue.release(jobs[index:])
                        break
                    await self._run(job)
                    handled += 1
        return handled

    async def _run(self, job: Job) -> None:
        handler = self.handlers.get(job.kind)
        if handler is None:
            await self.queue.finish(job, "failed", f"no handler for {job.kind!r}")
            log.error("job %s (%s): no handler", job.id, job.dedupe_key)
            return
        try:
            await handler(job)
        except Postpone as exc:
            await self.queue.postpone(job, exc.until, str(exc))
            log.info("job %s (%s) postponed to %s: %s", job.id, job.dedupe_key, to_db(exc.until), exc)
        except Obsolete as exc:
            await self.queue.finish(job, exc.status, str(exc))
            log.info("job %s (%s) %s: %s", job.id, job.dedupe_key, exc.status, exc)
        except PermanentError as exc:
            await self.queue.finish(job, "failed", str(exc))
            log.warning("job %s (%s) failed for good: %s", job.id, job.dedupe_key, exc)
        except TransientError as exc:
            if job.attempts >= MAX_ATTEMPTS:
                await self.queue.finish(job, "failed", f"gave up after {job.attempts} attempts: {exc}")
                log.error("job %s (%s) gave up after %s attempts: %s", job.id, job.dedupe_key, job.attempts, exc)
            else:
                due = await self.queue.retry(job, str(exc), exc.retry_after)
                log.warning("job %s (%s) will retry at %s: %s", job.id, job.dedupe_key, to_db(due), exc)
        except Exception as exc:  # a bug in a handler must not stop the sweep for everyone else
            log.exception("job %s (%s) crashed", job.id, job.dedupe_key)
            if job.attempts >= MAX_ATTEMPTS:
                await self.queue.finish(job, "failed", f"error: {exc!r}")
            else:
                await self.queue.retry(job, f"error: {exc!r}")
        else:
            await self.queue.finish(job, "sent")

    async def close(self) -> None:
        """Stop sweeping; returns once a sweep in flight has finished."""
        self._closed = True
        await self._running.acquire()
        self._running.release()


class AlarmClock:
    """APScheduler (3.x, asyncio, in-memory store) running the sweep every few seconds, and a date
    job that wakes it at the next due time. Started in `setup_hook`, stopped in `close()`."""

    def __init__(self, sweeper: Sweeper, interval: float = SWEEP_INTERVAL_SECONDS,
                 ready: Callable[[], Awaitable[object]] | None = None) -> None:
        from apscheduler.schedulers.asyncio import AsyncIOScheduler

        self.sweeper = sweeper
        self.interval = interval
        self.ready = ready  # awaited before each sweep: nothing is sent before the gateway is ready
        self.scheduler = AsyncIOScheduler(timezone="UTC")

    def start(self) -> None:
        if self.scheduler.running:
            return
        self.scheduler.add_job(self._sweep, "interval", seconds=self.interval, id="sweep",
                               max_instances=1, coalesce=True, replace_existing=True)
        self.scheduler.start()

    def every(self, seconds: float, func: Callable[[], Awaitable[None]], job_id: str) -> None:
        """Run `func` every `seconds` too (errors logged, never raised into the scheduler)."""
        async def guarded() -> None:
            try:
                await func()
            except Exception:
                log.exception("%s failed; it runs again in %ss", job_id, seconds)

        self.scheduler.add_job(guarded, "interval", seconds=seconds, id=job_id, max_instances=1, coalesce=True,
                               replace_existing=True)

    def wake_at(self, when: datetime) -> None:
        """Sweep at `when` too, e.g. the next daily post, without waiting for the interval. One wake
        job is kept, for the earliest time asked."""
        if not self.scheduler.running:
            return
        current = self.scheduler.get_job("wake")
        if current is not None and current.next_run_time is not None and current.next_run_time <= when:
            return
        self.scheduler.add_job(self._sweep, "date", run_date=when, id="wake", replace_existing=True,
                               misfire_grace_time=None)

    async def _sweep(self) -> None:
        try:
            if self.ready is not None:
                await self.ready()
            await self.sweeper.run_once()
        except sqlite3.OperationalError as exc:  # e.g. another process holds the write lock: one line, no traceback
            log.warning("sweep failed (%s); the next one will try again", exc)
        except Exception:
            log.exception("sweep failed; the next one will try again")

    async def stop(self, grace: float | None = None) -> None:
        """Stop sweeping, waiting up to `grace` seconds for a send in flight. A send still running then
        is cancelled with the scheduler; its lease expires and the same nonce makes the retry safe."""
        try:
            await asyncio.wait_for(self.sweeper.close(), grace)
        except asyncio.TimeoutError:
            log.warning("a send was still running %.0f s after shutdown began; it is cut off and retried after "
                        "its lease", grace)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
