"""Building benchmark databases fast: the schema from bot/migrations, rows by executemany in one
transaction on a separate sqlite3 connection (journal off while building), then the WAL mode the
bot uses. Row shapes follow bot/migrations/*.sql."""
from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bot.storage import migrations, to_db

# A Monday morning; every benchmark runs on a FakeClock from here.
NOW = datetime(2026, 12, 7, 8, 59, 30, tzinfo=timezone.utc)
SNOWFLAKE = 1_100_000_000_000_000_000  # ids look like Discord's

# (time zone, local post time) pairs that are all 09:00 UTC on NOW's date (no DST change that week).
SAME_MINUTE = (("UTC", "09:00"), ("Europe/London", "09:00"), ("Europe/Berlin", "10:00"), ("Europe/Paris", "10:00"),
               ("Europe/Helsinki", "11:00"), ("America/New_York", "04:00"), ("America/Chicago", "03:00"),
               ("Asia/Tokyo", "18:00"), ("Asia/Kolkata", "14:30"), ("Australia/Sydney", "20:00"))


def create_schema(path: Path) -> None:
    """An empty Kindred database at the newest schema version, as Database.open leaves it."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        for version, _name, sql in migrations():
            conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")
    finally:
        conn.close()


@contextmanager
def bulk(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection for building: no journal, no syncing, one transaction, committed at the end;
    the file is left in WAL mode like the bot's."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")  # 256 MB
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("BEGIN")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.close()


def guild_id(n: int) -> int:
    return SNOWFLAKE + 1_000_000 + n


def user_id(n: int) -> int:
    return SNOWFLAKE + 50_000_000 + n


def insert_guilds(conn: sqlite3.Connection, count: int, *, first: int = 0, mode: str | None = None,
                  now: datetime = NOW) -> list[int]:
    """`count` set-up servers whose posts all fall at 09:00 UTC (zones and local times vary)."""
    stamp = to_db(now - timedelta(days=30))
    rows = []
    for n in range(first, first + count):
        tz, post_time = SAME_MINUTE[n % len(SAME_MINUTE)]
        rows.append((guild_id(n), guild_id(n) + 7, post_time, tz, mode or ("partner" if n % 3 == 0 else "group"),
                     stamp, stamp))
    conn.executemany("INSERT INTO guilds (guild_id, channel_id, post_time, timezone, mode, created_at, updated_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return [r[0] for r in rows]


def insert_daily_jobs(conn: sqlite3.Connection, guild_ids: list[int], due: datetime, now: datetime = NOW) -> None:
    """One pending `daily` job per server, due at `due`, as DailyService.reschedule writes them."""
    stamp = to_db(now - timedelta(days=1))
    rows = []
    for gid in guild_ids:
        day = due.date().isoformat()  # every SAME_MINUTE zone is on the same local date at 09:00 UTC
        rows.append(("daily", f"daily:{gid}:{day}", gid, to_db(due), to_db(due + timedelta(hours=12)),
                     json.dumps({"local_date": day}), stamp, stamp))
    conn.executemany("INSERT INTO jobs (kind, dedupe_key, guild_id, due_at, expires_at, payload, created_at, updated_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)


def followup_job_rows(count: int, *, first_id: int, guild_count: int, now: datetime = NOW, due_now: int = 0,
                      spread: timedelta = timedelta(days=60), seed: int = 1) -> Iterator[tuple]:
    """Pending `followup` job rows: the first `due_now` are due in the past minute, the rest spread
    over the coming `spread`, in due order (ids and keys ascend with it, as they would in time)."""
    rng = random.Random(seed)
    stamp = to_db(now - timedelta(days=1))
    step = spread.total_seconds() / max(count - due_now, 1)
    for i in range(count):
        fid = first_id + i
        if i < due_now:
            due = now - timedelta(seconds=60 - 60 * i / max(due_now, 1))
        else:
            due = now + timedelta(seconds=60 + step * (i - due_now))
        gid = guild_id(rng.randrange(guild_count))
        yield ("followup", f"followup:{fid}:0", gid, to_db(due), to_db(due + timedelta(days=1)),
               f'{{"followup_id": {fid}}}', stamp, stamp)


JOB_INSERT = ("INSERT INTO jobs (kind, dedupe_key, guild_id, due_at, expires_at, payload, created_at, updated_at) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")


def followup_rows(job_rows: list[tuple], now: datetime = NOW, seed: int = 2) -> Iterator[tuple]:
    """The `followups` rows matching `followup_job_rows` output (same ids, due times and servers)."""
    rng = random.Random(seed)
    stamp = to_db(now - timedelta(days=1))
    for _kind, key, gid, due, _expires, _payload, _c, _u in job_rows:
        fid = int(key.split(":")[1])
        day = due[:10]
        yield (fid, gid, user_id(rng.randrange(200_000)), user_id(rng.randrange(200_000)), None,
               "upcoming interview on " + day + "; worry", "interview", day, None, due, stamp, stamp)


FOLLOWUP_INSERT = ("INSERT INTO followups (id, guild_id, recipient_id, subject_id, share_id, reason, topic, event_date, "
                   "event_time, due_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")

SHARE_INSERT = ("INSERT INTO shares (guild_id, author_id, source, text, visibility, about_name, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")


def share_rows(count: int, texts: list[str], guild_ids: list[int], authors_per_guild: int, *, now: datetime = NOW,
               days: int = 365, seed: int = 3) -> Iterator[tuple]:
    """`count` past shares spread over the last `days` days, round-robin over the servers."""
    rng = random.Random(seed)
    for i in range(count):
        gid = guild_ids[i % len(guild_ids)]
        author = user_id((gid % 100_000) * 100 + rng.randrange(authors_per_guild))
        when = to_db(now - timedelta(seconds=rng.randrange(days * 86_400)))
        yield (gid, author, "share", texts[i % len(texts)], "private" if i % 10 == 0 else "group",
               f"member {author % 1000}", when, when)


def size_bytes(conn: sqlite3.Connection) -> int:
    """page_count * page_size: what the database occupies, free pages included."""
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    return pages * conn.execute("PRAGMA page_size").fetchone()[0]
