"""Group commit for the SQLite backend: the statements that tasks issue while the connection is busy
are run together, the reads in one trip to aiosqlite's thread and the writes in another, in one
transaction.

With many jobs in flight (32 daily posts at once), each statement was a trip of its own and each
writing statement a transaction of its own: a commit (locks, a WAL append) for every `UPDATE`. A
batch keeps each caller's statement atomic and its result its own, and reports success only once the
batch's transaction is committed, so callers see what they saw before, sooner and for less CPU.

Which statements share the transaction: INSERT, UPDATE, DELETE and REPLACE (also behind a WITH).
Everything else (SELECT, PRAGMA) runs on its own outside it, in a trip before the writes' trip: a
read never takes the write lock nor waits for it, so it still answers at once while another process
holds that lock. Calls that were queued at the same moment are concurrent, so any order among them
is one they could have had.
"""
from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .dialect import changes_rows

MAX_BATCH = 64  # statements per trip: bounds how long one trip keeps a late caller waiting
# How long background statements (sweeper jobs') wait for company, while some running jobs have none
# queued (they are waiting on Discord). At 50 posts a second each post's statements come 20 ms after
# the last post's, so without the wait most trips carried one statement. The wait ends as soon as
# every running job has a statement queued (a fan-out to a fast Discord never waits) or a member's
# statement arrives; a job's statements each wait at most this, well inside its lease.
LINGER_SECONDS = 0.02


@dataclass(slots=True)
class Call:
    sql: str
    params: tuple
    rows: bool                # the caller wants the rows (else the number of rows changed)
    writes: bool              # it changes rows (`writes(sql)`): it goes in the writes' transaction
    background: bool          # a sweeper job's (Database.background): it may wait LINGER_SECONDS for company
    queued: float             # time.monotonic() when it was queued
    future: asyncio.Future


writes = lru_cache(maxsize=4096)(changes_rows)  # the same few statement texts, asked about at every call


def run_reads(conn: sqlite3.Connection, calls: list[Call]) -> list[tuple[bool, Any]]:
    """In the connection's thread: each read on its own, outside any transaction (a trip of its own,
    so that a read never waits while the writes queued beside it wait for the write lock)."""
    return [_one(conn, call) for call in calls]


def run_writes(conn: sqlite3.Connection, calls: list[Call]) -> list[tuple[bool, Any]]:
    """In the connection's thread: the writes in one BEGIN IMMEDIATE ... COMMIT (a lone write is its
    own transaction, as any statement outside one). Returns (ok, rows, row count or the exception)
    per call, in order. If one statement's error ends the transaction (an ON CONFLICT ROLLBACK, disk
    full), or COMMIT fails for any reason but the lock, nothing of the batch is applied, and each
    write is run again on its own, so that it gets its own result, as it would have alone."""
    if len(calls) == 1:
        return [_one(conn, calls[0])]
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:  # another process holds the write lock past the busy timeout
        return [(False, exc)] * len(calls)
    out = []
    for call in calls:
        out.append(_one(conn, call))
        if not out[-1][0] and not conn.in_transaction:  # its error undid the whole batch
            return [_one(conn, c) for c in calls]
    try:
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if locked(exc):
            return [(False, exc)] * len(calls)
        return [_one(conn, c) for c in calls]
    return out


def _one(conn: sqlite3.Connection, call: Call) -> tuple[bool, Any]:
    try:
        cursor = conn.execute(call.sql, call.params)
        rows = cursor.fetchall()  # a RETURNING statement has done all its work only once read to the end
        return True, (rows if call.rows else cursor.rowcount)
    except Exception as exc:  # sqlite3's errors, and a parameter it can't bind (an int past 64 bits): the caller's alone
        return False, exc


def locked(exc: BaseException) -> bool:
    """Whether SQLite refused because another process holds the write lock."""
    return isinstance(exc, sqlite3.OperationalError) and (
        getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY or "locked" in str(exc))
