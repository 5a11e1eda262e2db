"""The alarm clock: due work lives in the `jobs` table; APScheduler only wakes the sweep.

A row goes pending -> sending (claimed in one `BEGIN IMMEDIATE` transaction, with a lease) -> sent,
or to a final status (failed, cancelled, skipped, missed, expired). A `sending` row whose lease ran
out (the process died between claiming and marking) is claimed again; every send carries a nonce
made from the dedupe key, so Discord returns the first message instead of posting a second one, and
a re-sent job looks back at the channel first (the nonce is only remembered for minutes).

Retries are bounded by relevance, not by a count: each job has `expires_at` (a daily post: the end
of its local day; a nudge: a day after it was due). A transient failure retries with capped backoff
until then; past it the kind's `expire` hook runs and the job ends `missed` or `expired`.
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .clock import Clock
from .shards import Shards
from .storage import UNAVAILABLE, Database, from_db, to_db

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
JOB_TIMEOUT = timedelta(seconds=60)  # one job's handler, all its requests included: well inside the lease
# Concurrent jobs per kind. Posts: enough to keep 50 requests/s busy at Discord's ~100 ms per request.
DEFAULT_LANES = {"daily": 32, "followup": 16, "other": 4}
IDLE_LANE_SECONDS = 1.0  # a lane that had nothing due is asked again after this, during a long sweep
RELEVANCE = timedelta(days=1)  # how long a job matters after it was due, unless it says otherwise
MAX_BACKOFF_SECONDS = 600
SWEEP_INTERVAL_SECONDS = 5.0
FINAL = ("sent", "failed", "cancelled", "skipped", "missed", "expired")


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
    expires_at: datetime | None = None
    last_error: str | None = None  # of the previous attempt
    lease_until: str | None = None  # as claimed: a later claim of the same row has a later one

    @property
    def retried(self) -> bool:
        """An earlier attempt ran (and may have reached Discord): look before sending again."""
        return self.attempts > 1

    @property
    def nonce(self) -> str:
        """Deterministic per job and at most 25 characters, as Discord requires."""
        return f"k{self.id:x}"[:25]


def backoff(attempts: int, retry_after: float = 0.0) -> timedelta:
    """5 s, 10 s, 20 s ... capped at 10 minutes, and never sooner than Discord asked."""
    return timedelta(seconds=max(retry_after, min(5 * 2 ** min(max(attempts - 1, 0), 16), MAX_BACKOFF_SECONDS)))


def _job(row: Any) -> Job:
    return Job(row["id"], row["kind"], row["dedupe_key"], row["guild_id"], from_db(row["due_at"]), row["attempts"],
               json.loads(row["payload"]), from_db(row["expires_at"]), row["last_error"], row["lease_until"])


class JobQueue:
    """SQL over the jobs table."""

    def __init__(self, db: Database, clock: Clock, shards: Shards | None = None) -> None:
        self.db = db
        self.clock = clock
        self.shards = shards  # claim only these shards' servers' jobs (None: every job)

    async def schedule(self, kind: str, dedupe_key: str, due_at: datetime, guild_id: int | None = None,
                       payload: dict[str, Any] | None = None, expires_at: datetime | None = None) -> None:
        """Add a pending job, or move the pending/cancelled job with this key to `due_at`.
        A job that was already claimed or finished is left alone: that is the dedupe. It matters
        until `expires_at` (default: a day after `due_at`)."""
        now = to_db(self.clock.now())
        await self.db.execute(
            """INSERT INTO jobs (kind, dedupe_key, guild_id, due_at, expires_at, payload, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (dedupe_key) DO UPDATE SET due_at = excluded.due_at, expires_at = excluded.expires_at,
                   payload = excluded.payload, status = 'pending', attempts = 0, last_error = NULL,
                   updated_at = excluded.updated_at
               WHERE jobs.status IN ('pending', 'cancelled')""",
            (kind, dedupe_key, guild_id, to_db(due_at), to_db(expires_at or due_at + RELEVANCE),
             json.dumps(payload or {}), now, now),
        )

    async def claim(self, limit: int = 100, kinds: tuple[str, ...] | None = None) -> list[Job]:
        """Claim due pending jobs and expired leases (of `kinds`, or any), the soonest to stop mattering
        first, in one statement (one transaction). Each branch takes its rows with the dialect's lock
        clause (FOR UPDATE SKIP LOCKED on PostgreSQL), so processes sweeping one table at once never
        claim the same row; with shards, only this process's servers' jobs."""
        now = self.clock.now()
        stamp = to_db(now)
        of_kind = f" AND kind IN ({', '.join('?' * len(kinds))})" if kinds else ""
        mine, lock = self.shards.where() if self.shards else "", self.db.dialect.skip_locked
        rows = await self.db.fetchall(
            f"""UPDATE jobs SET status = 'sending', lease_until = ?, attempts = attempts + 1, updated_at = ?
               WHERE id IN (SELECT id FROM (
                   SELECT id, expires_at, due_at FROM (
                       SELECT id, expires_at, due_at FROM jobs WHERE status = 'pending' AND due_at <= ?{of_kind}{mine}
                       ORDER BY expires_at, due_at LIMIT ?{lock}) AS due
                   UNION ALL
                   SELECT id, expires_at, due_at FROM (
                       SELECT id, expires_at, due_at FROM jobs WHERE status = 'sending' AND lease_until <= ?{of_kind}{mine}
                       ORDER BY expires_at, due_at LIMIT ?{lock}) AS expired
                   ORDER BY expires_at, due_at LIMIT ?) AS claimed)
               RETURNING *""",
            (to_db(now + LEASE), stamp, stamp, *(kinds or ()), limit, stamp, *(kinds or ()), limit, limit),
        )
        return sorted((_job(r) for r in rows), key=lambda j: (j.expires_at or j.due_at, j.due_at, j.id))

    async def finish(self, job: Job, status: str, error: str | None = None) -> bool:
        """End a claimed job; False when its lease was lost (another claim owns the row now)."""
        if status not in FINAL:
            raise ValueError(status)
        return await self._owned(job, "status = ?, last_error = ?, lease_until = NULL", (status, error))

    async def _owned(self, job: Job, changes: str, params: tuple) -> bool:
        changed = await self.db.execute(
            f"UPDATE jobs SET {changes}, updated_at = ? WHERE id = ? AND status = 'sending' AND lease_until IS ?",
            (*params, to_db(self.clock.now()), job.id, job.lease_until))
        if not changed:
            log.error("job %s (%s) lost its lease before it was marked", job.id, job.dedupe_key)
        return bool(changed)

    async def retry(self, job: Job, error: str, retry_after: float = 0.0) -> datetime:
        """Back to pending, due after the backoff but never after the job stops mattering (then the
        sweep that claims it runs its `expire` hook)."""
        due = self.clock.now() + backoff(job.attempts, retry_after)
        if job.expires_at is not None:
            due = min(due, job.expires_at)
        await self._owned(job, "status = 'pending', due_at = ?, last_error = ?, lease_until = NULL", (to_db(due), error))
        return due

    async def postpone(self, job: Job, until: datetime, reason: str) -> None:
        """Not a failure: the job moves to `until`. It keeps its deadline, unless `until` lies beyond it
        (e.g. a daily cap moved it days on): then it gets its usual window of relevance after `until`."""
        expires = job.expires_at or job.due_at + RELEVANCE
        if until >= expires:
            expires = until + (expires - job.due_at)
        await self._owned(job, "status = 'pending', due_at = ?, expires_at = ?, attempts = attempts - 1, last_error = ?, "
                               "lease_until = NULL", (to_db(until), to_db(expires), reason))

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

    async def rearm(self, kind: str, guild_id: int) -> int:
        """Make a server's pending jobs of one kind due now (a problem was just fixed)."""
        now = to_db(self.clock.now())
        return await self.db.execute(
            "UPDATE jobs SET due_at = ?, updated_at = ? WHERE kind = ? AND guild_id = ? AND status = 'pending'",
            (now, now, kind, guild_id))

    async def next_due(self) -> datetime | None:
        row = await self.db.fetchone("SELECT MIN(due_at) AS due FROM jobs WHERE status = 'pending'")
        return from_db(row["due"]) if row else None


Handler = Callable[[Job], Awaitable[None]]
Expire = Callable[[Job], Awaitable[str]]  # clean up after a job that stopped mattering; returns its final status


class Sweeper:
    """Claims due jobs and runs the handler for their kind, many at once; one sweep at a time.

    Each kind has its own lane of `lanes[kind]` concurrent jobs (claimed only as slots free up, so a
    claimed job starts at once and ends, bounded by JOB_TIMEOUT, well inside its lease), so nudges
    never queue behind a fan-out of posts and a slow channel holds one slot, not the sweep. Requests
    share one Rate in the adapter. `expiries` maps a kind to what happens when its job stops mattering
    (default: it ends `expired`). `close()` waits for the jobs in flight."""

    def __init__(self, queue: JobQueue, handlers: dict[str, Handler] | None = None, batch: int = 100,
                 expiries: dict[str, Expire] | None = None, lanes: dict[str, int] | None = None) -> None:
        self.queue = queue
        self.handlers: dict[str, Handler] = dict(handlers or {})
        self.expiries: dict[str, Expire] = dict(expiries or {})
        self.lanes = {**DEFAULT_LANES, **(lanes or {})}
        self.batch = batch  # the most claimed at once for one lane
        self._running = asyncio.Lock()
        self._closed = False

    def _lane(self, kind: str) -> int:
        return self.lanes.get(kind, self.lanes["other"])

    async def run_once(self) -> int:
        """Sweep until nothing is due and nothing is in flight; returns how many jobs were handled."""
        handled = 0
        in_flight: dict[asyncio.Task, str] = {}
        finished: list[asyncio.Task] = []  # each job's task adds itself when done: no wait over them all
        one_done = asyncio.Event()

        def done(task: asyncio.Task) -> None:
            finished.append(task)
            one_done.set()

        idle_until: dict[tuple[str, ...] | None, float] = {}  # lanes that had nothing due: not asked again till then
        loop = asyncio.get_running_loop()
        rechecked = False
        async with self._running:
            try:
                while True:
                    if not self._closed:
                        for kinds, free, size in self._free_slots(in_flight):
                            # Refill a lane in halves, not one slot at a time: each claim is a query.
                            if (free < max(1, size // 2) and in_flight) or idle_until.get(kinds, 0) > loop.time():
                                continue
                            jobs = await self.queue.claim(min(free, self.batch), kinds)
                            if len(jobs) < min(free, self.batch):
                                idle_until[kinds] = loop.time() + IDLE_LANE_SECONDS
                            for job in jobs:
                                task = asyncio.create_task(self._run(job))
                                task.add_done_callback(done)
                                in_flight[task] = job.kind
                    if not in_flight:
                        if idle_until and not rechecked and not self._closed:
                            idle_until.clear()  # nothing in flight: one more look at every lane, then stop
                            rechecked = True
                            continue
                        break
                    rechecked = False
                    await one_done.wait()
                    one_done.clear()
                    while finished:
                        task = finished.pop()
                        del in_flight[task]
                        handled += 1
                        task.result()  # _run handles errors; a cancellation (shutdown) surfaces here
            finally:
                if in_flight:  # cancelled ourselves: the jobs keep their leases and are reclaimed later
                    for task in in_flight:
                        task.cancel()
                    await asyncio.gather(*in_flight, return_exceptions=True)
        return handled

    def _free_slots(self, in_flight: dict[asyncio.Task, str]) -> list[tuple[tuple[str, ...], int, int]]:
        """(kinds to claim, free slots, lane size) per lane: one per named kind, one for the others."""
        busy: dict[str, int] = {}
        for kind in in_flight.values():
            key = kind if kind in self.lanes else "other"
            busy[key] = busy.get(key, 0) + 1
        lanes = [((k,), self.lanes[k] - busy.get(k, 0), self.lanes[k]) for k in self.handlers if k in self.lanes]
        others = tuple(k for k in self.handlers if k not in self.lanes)
        if others:
            lanes.append((others, self.lanes["other"] - busy.get("other", 0), self.lanes["other"]))
        return [lane for lane in lanes if lane[1] > 0]


    async def _expire(self, job: Job, why: str) -> None:
        hook = self.expiries.get(job.kind)
        status = await hook(job) if hook else "expired"
        await self.queue.finish(job, status, why)
        log.warning("job %s (%s) %s: %s", job.id, job.dedupe_key, status, why)

    async def _run(self, job: Job) -> None:
        with self.queue.db.background():  # its statements may wait a moment to share a commit with other jobs'
            try:
                await self._handle(job)
            except Exception:  # recording its outcome failed (database locked or gone): the others carry on
                log.exception("job %s (%s): its outcome could not be recorded; it runs again once its lease ends",
                              job.id, job.dedupe_key)

    async def _handle(self, job: Job) -> None:
        handler = self.handlers.get(job.kind)
        if handler is None:
            await self.queue.finish(job, "failed", f"no handler for {job.kind!r}")
            log.error("job %s (%s): no handler", job.id, job.dedupe_key)
            return
        if job.expires_at is not None and self.queue.clock.now() >= job.expires_at:
            await self._expire(job, f"not sent before it stopped mattering (last error: {job.last_error or 'none'})")
            return
        try:
            async with asyncio.timeout(JOB_TIMEOUT.total_seconds()):
                await handler(job)
        except TimeoutError:
            due = await self.queue.retry(job, f"took longer than {JOB_TIMEOUT.total_seconds():.0f} s")
            log.warning("job %s (%s) timed out, retrying at %s", job.id, job.dedupe_key, to_db(due))
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
            due = await self.queue.retry(job, str(exc), exc.retry_after)
            log.warning("job %s (%s) attempt %s failed, retrying at %s: %s", job.id, job.dedupe_key, job.attempts,
                        to_db(due), exc)
        except Exception as exc:  # a bug in a handler must not stop the sweep for everyone else
            log.exception("job %s (%s) crashed", job.id, job.dedupe_key)
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
        except UNAVAILABLE as exc:  # e.g. another process holds the write lock: one line, no traceback
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
