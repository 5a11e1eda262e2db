"""SQLite, the embedded default: one aiosqlite connection (WAL, foreign keys, busy timeout),
serialised transactions, migrations tracked by PRAGMA user_version."""
from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from . import group_commit
from .group_commit import locked
from .base import Database, DatabaseError, migrations
from .dialect import Dialect

log = logging.getLogger(__name__)

# How long a statement waits for another process's write lock (a backup tool, an `sqlite3` shell
# with a transaction open) before failing "database is locked". Well under Discord's 3 s, so an
# interaction can still be answered "busy, try again"; see Database._turn for callers queued behind.
BUSY_TIMEOUT_MS = 1000
CHECKPOINT_SECONDS = 30


class SQLiteDatabase(Database):
    """The single connection. Every statement runs under one lock: on a shared connection another
    task's commit would otherwise commit our half-done work."""

    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self._locked_at = 0.0  # time.monotonic() of the last statement that found the file locked
        self._calls: list[group_commit.Call] = []  # queued for the next trip to the connection's thread
        self._flusher: asyncio.Task | None = None
        self._lingering: asyncio.Future | None = None  # the flusher waiting for company, while it does
        self._background_queued = 0  # how many of self._calls are background statements
        self.path = self.target = path

    dialect = Dialect()

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection, one caller at a time. A caller that was already waiting when a statement
        failed because another process holds the write lock fails at once too ("database is
        locked"), instead of waiting a busy timeout of its own behind every other waiter: so no
        caller waits much more than two busy timeouts, however many queue up."""
        queued = time.monotonic()
        async with self._lock:
            if self._locked_at > queued:
                raise sqlite3.OperationalError("database is locked (another process holds the write lock)")
            try:
                yield self._conn
            except sqlite3.OperationalError as exc:
                if locked(exc):
                    self._locked_at = time.monotonic()
                raise

    @classmethod
    async def open(cls, path: str | Path) -> "SQLiteDatabase":
        path = str(path)
        if path != ":memory:":
            _check_location(Path(path))
        try:
            conn = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise DatabaseError(f"Can't open the database at {path}: {exc}. Check KINDRED_DATABASE.") from exc
        conn.row_factory = aiosqlite.Row
        db = cls(conn, path)
        try:
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA synchronous = NORMAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            # Deleted rows are overwritten with zeros, whatever SQLite's build default: erased means gone.
            await conn.execute("PRAGMA secure_delete = ON")
            # No checkpoint inside our own commits (each an fsync that stalls whoever committed):
            # checkpoint() runs them from a second connection, every CHECKPOINT_SECONDS.
            await conn.execute("PRAGMA wal_autocheckpoint = 0")
            await db.migrate()
        except BaseException as exc:  # whatever went wrong (even a cancellation), the connection's thread ends
            await conn.close()
            if isinstance(exc, sqlite3.DatabaseError):
                raise DatabaseError(
                    f"The database at {path} can't be used: {exc}. If the file is damaged, restore it from a backup "
                    "or move it away to start fresh (KINDRED_DATABASE chooses another path)."
                ) from exc
            raise
        return db

    async def migrate(self) -> int:
        """Apply every migration newer than PRAGMA user_version, each in its own transaction."""
        async with self._lock:
            current = await self._version()
            known = migrations("sqlite")
            if current > len(known):
                raise DatabaseError(
                    f"The database is at schema version {current}, newer than this Kindred ({len(known)}). "
                    "Upgrade Kindred or use another KINDRED_DATABASE."
                )
            for version, _name, sql in known[current:]:
                try:
                    await self._conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")
                except BaseException:
                    if self._conn.in_transaction:
                        await self._conn.rollback()
                    raise
            return len(known)

    async def _version(self) -> int:
        async with self._conn.execute("PRAGMA user_version") as cur:
            return (await cur.fetchone())[0]

    async def schema_version(self) -> int:
        async with self._lock:
            return await self._version()

    async def tables(self) -> list[str]:
        rows = await self.fetchall("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                                   "ORDER BY name")
        return [r[0] for r in rows]

    async def columns(self, table: str) -> list[str]:
        return [r["name"] for r in await self.fetchall("SELECT name FROM pragma_table_info(?) ORDER BY cid", (table,))]

    async def references(self, table: str) -> set[str]:
        return {r["table"] for r in await self.fetchall('SELECT "table" FROM pragma_foreign_key_list(?)', (table,))}

    async def rows(self, table: str, batch: int) -> AsyncIterator[list[aiosqlite.Row]]:
        """By rowid, a page at a time (every Kindred table has one)."""
        columns = ", ".join(await self.columns(table))
        last = -(2 ** 63)
        while page := await self.fetchall(f"SELECT rowid, {columns} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?",
                                          (last, batch)):
            last = page[-1][0]
            yield [tuple(r)[1:] for r in page]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """`BEGIN IMMEDIATE` ... `COMMIT`, rolled back on any error; one at a time."""
        async with self._turn() as conn:
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                await conn.rollback()
                raise
            else:
                await conn.commit()

    # Statements go through `_submit`: those queued while the connection is busy (or, for background
    # jobs', within LINGER_SECONDS while other jobs run) go to its thread together, the reads in one
    # trip and the writes in another, in one transaction (see group_commit).
    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        return await self._submit(sql, params, rows=True)

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        rows = await self._submit(sql, params, rows=True)
        return rows[0] if rows else None

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one writing statement, atomically; returns the rows changed."""
        return await self._submit(sql, params, rows=False)

    async def _submit(self, sql: str, params: Iterable[Any], rows: bool) -> Any:
        loop = asyncio.get_running_loop()
        background = self.in_background()
        call = group_commit.Call(sql, tuple(params), rows, group_commit.writes(sql), background, time.monotonic(),
                                 loop.create_future())
        self._calls.append(call)
        self._background_queued += background
        if self._lingering is not None and not self._worth_waiting():
            _release(self._lingering)  # a member is waiting, the batch is full, or no one else will come
        if self._flusher is None or self._flusher.done():  # done: cancelled before it ever ran
            self._flusher = loop.create_task(self._flush())
        return await call.future

    async def _flush(self) -> None:
        """Run what is queued, a batch at a time, until nothing is: the batch's reads in one trip, then
        its writes in another. Background statements that find the connection idle first wait a
        moment for company (`_worth_waiting`). A write that was already queued when a statement
        found the file locked by another process fails at once (as in `_turn`); reads don't need
        that lock."""
        batch: list[group_commit.Call] = []
        try:
            while self._calls:
                if self._worth_waiting():
                    await self._linger()
                async with self._lock:
                    taken = self._calls[:group_commit.MAX_BATCH]
                    del self._calls[:group_commit.MAX_BATCH]
                    self._background_queued -= sum(c.background for c in taken)
                    batch = [c for c in taken if not c.future.done()]
                    reads = [c for c in batch if not c.writes]
                    writes = []
                    for call in (c for c in batch if c.writes):
                        if self._locked_at > call.queued:
                            call.future.set_exception(sqlite3.OperationalError(
                                "database is locked (another process holds the write lock)"))
                        else:
                            writes.append(call)
                    for run, calls in ((group_commit.run_reads, reads), (group_commit.run_writes, writes)):
                        if calls:
                            await self._trip(run, calls)
                batch = []
        except BaseException as exc:  # the connection is gone, or the loop is stopping: nobody waits forever
            failure = exc if isinstance(exc, Exception) else DatabaseError("the database was closed mid-statement")
            for call in batch + self._calls:
                if not call.future.done():
                    call.future.set_exception(failure)
            self._calls.clear()
            self._background_queued = 0
            if not isinstance(exc, Exception):
                raise
        finally:
            self._flusher = None

    def _worth_waiting(self) -> bool:
        """Only background statements are queued, the batch has room, and some running jobs have none
        queued (they wait on Discord), so theirs may come. When every job waits on the database, as
        in a fan-out to a fast Discord, nobody else will come: waiting would only slow it down."""
        queued = len(self._calls)
        return (self._background_queued == queued < group_commit.MAX_BATCH
                and queued < self.background_tasks)

    async def _linger(self) -> None:
        loop = asyncio.get_running_loop()
        self._lingering = waiter = loop.create_future()
        timer = loop.call_later(group_commit.LINGER_SECONDS, _release, waiter)
        try:
            await waiter
        finally:
            timer.cancel()
            self._lingering = None

    async def _trip(self, run, calls: list[group_commit.Call]) -> None:
        """One trip to the connection's thread with `calls`; each caller gets its own result."""
        if self._conn is None:
            raise DatabaseError("the database is closed")
        # aiosqlite runs a callable in its thread only through _execute (and gives the sqlite3
        # connection only as _conn): the one way to run a batch in one trip.
        results = await self._conn._execute(run, self._conn._conn, calls)
        for call, (ok, value) in zip(calls, results):
            if not ok and locked(value):
                self._locked_at = time.monotonic()
            if not call.future.done():
                call.future.set_result(value) if ok else call.future.set_exception(value)

    async def checkpoint(self) -> None:
        """Copy the WAL into the database file from a short-lived second connection in a worker
        thread; PASSIVE never blocks the bot's own connection."""
        if self.path == ":memory:":
            return

        def run() -> None:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            finally:
                conn.close()

        await asyncio.to_thread(run)

    async def erase_checkpoint(self, attempts: int = 50, pause: float = 0.1) -> bool:
        """After an erasure: copy the WAL into the file and truncate it to nothing, so that neither the
        file (deleted rows are zeroed, secure_delete) nor its WAL (old page versions) holds the erased
        words. Retried while another process's reader blocks it; returns whether it completed."""
        if self.path == ":memory:":
            return True
        for _ in range(attempts):
            async with self._lock:
                busy, _, _ = (await self._conn.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)"))[0]
            if not busy:
                return True
            await asyncio.sleep(pause)
        log.warning("an erasure's checkpoint was blocked by another reader for %.0f s; the next one retries",
                    attempts * pause)
        return False

    async def close(self) -> None:
        """Close once; a second call (a second shutdown signal) does nothing."""
        async with self._lock:
            if self._conn is not None:
                await self._conn.close()
                self._conn = None


def _release(waiter: asyncio.Future) -> None:
    if not waiter.done():
        waiter.set_result(None)


def _check_location(path: Path) -> None:
    """Fail early, with a clear message, when the database file can't be created or written."""
    import os

    parent = path.parent if str(path.parent) else Path(".")
    if path.exists():
        if path.is_dir():
            raise DatabaseError(f"KINDRED_DATABASE={path} is a folder; point it at a file such as data/kindred.db.")
        if not os.access(path, os.R_OK | os.W_OK):
            raise DatabaseError(f"The database file {path} is not readable and writable by this user. Fix its permissions.")
        return
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"Can't create the folder {parent} for the database: {exc.strerror}.") from exc
    if not os.access(parent, os.W_OK):
        raise DatabaseError(f"The folder {parent} is not writable, so the database {path.name} can't be created there.")
