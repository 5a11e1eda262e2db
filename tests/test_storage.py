"""The storage backends: one interface, the dialect's translations, migrations tracked alike on both,
claims that two processes share without ever taking the same row, and shards."""
from __future__ import annotations

import asyncio
from datetime import time, timedelta
from pathlib import Path

import pytest

from bot import guilds, roster, shards
from bot.scheduling import JobQueue
from bot.storage import Database, DatabaseError, migrations
from bot.storage.dialect import PostgresDialect, returns_rows
from bot.storage.postgres import redact

SNOWFLAKE = 1_180_000_000_000_000_000  # a 2026 Discord id: far past 2^31


def pg(sql: str) -> str:
    return PostgresDialect().translate(sql)


def test_placeholders_are_numbered_outside_quotes_and_comments():
    assert pg("SELECT * FROM t WHERE a = ? AND b IN (?, ?)") == "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)"
    assert pg("SELECT '?', \"?\", 'it''s ?' -- why?\n FROM t WHERE a = ?") == \
        "SELECT '?', \"?\", 'it''s ?' -- why?\n FROM t WHERE a = $1"
    assert pg("SELECT ?1, ?2, ?1") == "SELECT $1, $2, $1"
    with pytest.raises(ValueError, match="mixes"):
        pg("SELECT ?1, ?")


def test_sqlite_spellings_become_postgresql():
    assert pg("SELECT uses, group_concat(CAST(question_id AS TEXT)) FROM question_uses GROUP BY uses") == \
        "SELECT uses, string_agg(CAST(question_id AS TEXT), ',') FROM question_uses GROUP BY uses"
    assert pg("INSERT OR IGNORE INTO t (a) VALUES (?)") == "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING"
    assert pg("INSERT OR IGNORE INTO t (a) VALUES (?) RETURNING id") == \
        "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING RETURNING id"
    assert pg("SELECT CAST(json_extract(payload, '$.followup_id') AS INTEGER) FROM jobs") == \
        "SELECT CAST((payload::jsonb ->> 'followup_id') AS INTEGER) FROM jobs"
    assert pg("SELECT 1 FROM t WHERE a IS ? AND b IS NOT ? AND c IS NULL") == \
        "SELECT 1 FROM t WHERE a IS NOT DISTINCT FROM $1 AND b IS DISTINCT FROM $2 AND c IS NULL"
    assert returns_rows("UPDATE t SET a = 1 RETURNING *") and returns_rows("WITH x AS (SELECT 1) SELECT * FROM x")
    assert not returns_rows("UPDATE t SET a = 1") and not returns_rows("WITH x AS (SELECT 1) DELETE FROM t")


def test_every_migration_has_its_postgresql_twin():
    assert [name for _, name, _ in migrations("sqlite")] == [name for _, name, _ in migrations("postgresql")]


async def test_both_backends_migrate_to_the_same_tables_and_columns(tmp_path, postgres):
    lite = await Database.open(tmp_path / "k.db")
    big = await Database.open(await postgres.new_database(migrated=False))
    try:
        assert await lite.tables() == await big.tables()
        for table in await lite.tables():  # in any order: SQLite rebuilds a table where PostgreSQL adds a column
            assert sorted(await lite.columns(table)) == sorted(await big.columns(table)), table
        assert await lite.schema_version() == await big.schema_version() == len(migrations())
    finally:
        await lite.close()
        await big.close()


async def test_postgresql_tracks_migrations_in_a_version_table(postgres):
    url = await postgres.new_database(migrated=False)
    first, second = await asyncio.gather(Database.open(url), Database.open(url))  # two processes starting at once
    try:
        rows = await first.fetchall("SELECT version, name FROM schema_version ORDER BY version")
        assert [tuple(r) for r in rows] == [(v, n) for v, n, _ in migrations("postgresql")], "each applied once"
        await first.execute("INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'x', 'now')")
    finally:
        await first.close()
        await second.close()
    with pytest.raises(DatabaseError, match="newer than this Kindred"):
        await Database.open(url)


async def test_unreachable_postgresql_is_a_clear_error_without_the_password():
    with pytest.raises(DatabaseError, match="Can't connect to PostgreSQL") as caught:
        await Database.open("postgresql://kindred:s3cret@127.0.0.1:1/kindred")
    assert "s3cret" not in str(caught.value) and "***" in str(caught.value)
    assert redact("postgresql://u:p@h/db") == "postgresql://u:***@h/db" and redact("postgresql://h/db") == "postgresql://h/db"


async def test_snowflakes_and_rows_read_the_same_on_both(db, clock):
    await guilds.save(db, clock, SNOWFLAKE, SNOWFLAKE + 1, time(9), "Europe/Berlin", "group",
                      setup_by=SNOWFLAKE + 2)
    settings = await guilds.get(db, SNOWFLAKE)
    assert (settings.guild_id, settings.channel_id, settings.setup_by) == (SNOWFLAKE, SNOWFLAKE + 1, SNOWFLAKE + 2)
    row = await db.fetchone("SELECT guild_id, mode FROM guilds WHERE guild_id = ?", (SNOWFLAKE,))
    assert (row[0], row["mode"], dict(row), tuple(row)) == (SNOWFLAKE, "group", {"guild_id": SNOWFLAKE, "mode": "group"},
                                                            (SNOWFLAKE, "group"))


async def test_transactions_return_rows_and_counts_on_both(db, clock):
    async with db.transaction() as conn:
        cur = await conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) RETURNING key", ("a", "1"))
        assert (await cur.fetchone())["key"] == "a"
        await conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [("b", "2"), ("c", "3")])
        cur = await conn.execute("UPDATE meta SET value = 'x' WHERE key <> ?", ("a",))
        assert cur.rowcount == 2
        cur = await conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?) RETURNING key", ("a", "again"))
        assert await cur.fetchone() is None, "ignored"
        assert [r[0] for r in await conn.execute_fetchall("SELECT key FROM meta ORDER BY key")] == ["a", "b", "c"]
    assert await db.execute("DELETE FROM meta WHERE value = ?", ("x",)) == 2


def test_shard_settings():
    assert shards.parse("", "") is None
    assert shards.parse("4", "") == shards.Shards(4, (0, 1, 2, 3))
    assert shards.parse("4", "0-1") == shards.Shards(4, (0, 1))
    assert shards.parse("6", "0,2-3, 5") == shards.Shards(6, (0, 2, 3, 5))
    for count, ids, words in (("", "0-1", "needs KINDRED_SHARD_COUNT"), ("0", "", "1 or more"), ("x", "", "whole number"),
                              ("4", "2-5", "numbered 0 to 3"), ("4", "a", "like 0-3")):
        with pytest.raises(ValueError, match=words):
            shards.parse(count, ids)
    two = shards.Shards(2, (1,))
    assert two.owns(1 << 22) and not two.owns(2 << 22) and two.owns(None)


async def _fill(queue: JobQueue, clock, count: int) -> None:
    for i in range(count):
        await queue.schedule("daily", f"daily:{i}", clock.now() - timedelta(minutes=1), guild_id=(i << 22) | 7)


async def test_claims_follow_the_shards(db, clock):
    await _fill(JobQueue(db, clock), clock, 8)
    even, odd = JobQueue(db, clock, shards.Shards(2, (0,))), JobQueue(db, clock, shards.Shards(2, (1,)))
    assert sorted(j.guild_id >> 22 for j in await even.claim(100)) == [0, 2, 4, 6]
    assert sorted(j.guild_id >> 22 for j in await odd.claim(100)) == [1, 3, 5, 7]
    assert await even.claim(100) == [] and await odd.claim(100) == []


async def test_two_processes_sweeping_one_table_never_claim_the_same_job(db_target, clock):
    """Two connections (pools, on PostgreSQL) claiming as fast as they can from one table."""
    first, second = await Database.open(db_target), await Database.open(db_target)
    try:
        await _fill(JobQueue(first, clock), clock, 400)

        async def drain(db) -> list[int]:
            queue, got = JobQueue(db, clock), []
            while jobs := await queue.claim(7):
                got.extend(j.id for j in jobs)
                await asyncio.sleep(0)
            return got

        claimed = sum(await asyncio.gather(drain(first), drain(second), drain(first), drain(second)), [])
        assert len(claimed) == len(set(claimed)) == 400
        assert (await first.fetchone("SELECT COUNT(*) FROM jobs WHERE status = 'sending' AND attempts = 1"))[0] == 400
    finally:
        await first.close()
        await second.close()


def test_database_and_shard_settings_from_the_environment():
    from bot.config import ConfigError, load_config

    config = load_config({"DISCORD_TOKEN": "t", "KINDRED_DATABASE": "postgresql://kindred:pw@db:5432/kindred",
                          "KINDRED_SHARD_COUNT": "4", "KINDRED_SHARD_IDS": "2-3"})
    assert config.database == "postgresql://kindred:pw@db:5432/kindred" and config.shards == shards.Shards(4, (2, 3))
    assert "pw" not in repr(config) and "postgresql://kindred:***@db:5432/kindred" in repr(config)
    plain = load_config({"DISCORD_TOKEN": "t"})
    assert str(plain.database) == "data/kindred.db" and plain.shards is None
    from bot.app import KindredBot, ShardedKindredBot, bot_class

    assert bot_class(plain) is KindredBot and bot_class(config) is ShardedKindredBot
    with pytest.raises(ConfigError, match="numbered 0 to 3"):
        load_config({"DISCORD_TOKEN": "t", "KINDRED_SHARD_COUNT": "4", "KINDRED_SHARD_IDS": "3-4"})


async def _everything(db, clock, daily, queue) -> None:
    """Rows in every table: two servers, a post, answers, shares, notes, reactions, a signal, settings,
    a draft, a suggestion, a circle, planned nudges and their jobs, a nudge DM, a DM channel."""
    from bot import followups as followups_module
    from bot import shares as shares_module
    from test_memory import ALEX, G, SAM, _fill_everything

    await daily.setup(G, 222, "09:00", "Europe/Berlin", "partner")
    await daily.setup(999, 333, "09:00", "Europe/Berlin", "group")
    await _fill_everything(db, clock, daily)
    await roster.name_partner(db, clock, G, SAM, ALEX, "Alex")
    planner = followups_module.FollowUps(db, clock, queue)
    share = await shares_module.add(
        db, clock, G, SAM, "I have a job interview on Thursday and I'm really nervous", visibility="group")
    assert await planner.plan_share(share)
    await db.execute("INSERT INTO meta (key, value) VALUES ('command_hash', 'abc')")
    await db.execute("INSERT INTO circles (guild_id, owner_id, member_id, created_at) VALUES (999, ?, 2, 'x')", (SAM,))
    await db.execute("INSERT INTO question_texts (question_id, language, text) "
                     "SELECT id, 'de', 'Worauf freust du dich?' FROM questions ORDER BY id LIMIT 1")
    await db.execute("INSERT INTO dm_channels (user_id, channel_id) VALUES (?, ?)", (SAM, SNOWFLAKE))
    await db.execute("INSERT INTO nudge_dms (guild_id, recipient_id, subject_id, channel_id, message_id, sent_at) "
                     "VALUES (?, 2, ?, ?, ?, 'x')", (G, SAM, SNOWFLAKE, SNOWFLAKE + 9))
    await db.execute("INSERT INTO pending_deletions (message_id, channel_id, what) VALUES (?, ?, 'nudge DM')",
                     (SNOWFLAKE + 10, SNOWFLAKE))


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_migrate_copies_an_sqlite_database_into_postgresql_row_for_row(db, clock, daily, queue, postgres,
                                                                            capsys):
    from bot.storage.copy import CopyError, copy

    await _everything(db, clock, daily, queue)
    empty = [t for t in await db.tables() if not (await db.fetchone(f"SELECT COUNT(*) FROM {t}"))[0]]
    assert empty == [], "the source has rows in every table"
    target = await Database.open(await postgres.new_database())
    try:
        seen = []
        copied = await copy(db, target, lambda table, done, total: seen.append((table, done, total)), batch=3)
        for table in await db.tables():
            columns = ", ".join(await db.columns(table))
            order = f"SELECT {columns} FROM {table} ORDER BY {columns}"
            assert sorted(map(tuple, await db.fetchall(order))) == sorted(map(tuple, await target.fetchall(order))), table
            assert copied[table] == (await db.fetchone(f"SELECT COUNT(*) FROM {table}"))[0]
        assert seen.index(("questions", copied["questions"], copied["questions"])) < \
            seen.index(("prompts", copied["prompts"], copied["prompts"])), "parents first"
        # New rows continue after the copied ids.
        before = (await target.fetchone("SELECT MAX(id) FROM shares"))[0]
        await target.execute("INSERT INTO shares (guild_id, author_id, source, text, visibility, created_at, updated_at) "
                             "VALUES (1, 1, 'share', 'new', 'group', 'x', 'x')")
        assert (await target.fetchone("SELECT MAX(id) FROM shares"))[0] == before + 1
        with pytest.raises(CopyError, match="already holds Kindred data"):
            await copy(db, target)
    finally:
        await target.close()


def test_migrate_command_reports_counts_and_refuses_a_missing_source(tmp_path, postgres, capsys):
    from bot.__main__ import main

    url = asyncio.run(postgres.new_database(migrated=False))
    assert main(["migrate", url, "--from", str(tmp_path / "none.db")]) == 2
    assert "There is no SQLite database" in capsys.readouterr().err

    async def make() -> None:
        source = await Database.open(tmp_path / "k.db")
        await source.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
        await source.close()

    asyncio.run(make())
    assert main(["migrate", url, "--from", str(tmp_path / "k.db")]) == 0
    out = capsys.readouterr()
    assert "the same count in each table on both sides" in out.out and "meta" in out.err
    with pytest.raises(SystemExit):
        main(["migrate", "data/kindred.db"])  # not a URL: argparse says so


def test_a_postgresql_deployment_keeps_one_health_file_per_set_of_shards(tmp_path):
    import tempfile

    from bot.service import health

    url = "postgresql://kindred:pw@db/kindred"
    assert health.path_for(url, shards.Shards(4, (0, 1))) == Path(tempfile.gettempdir()) / "kindred-shards-0-1.health"
    assert health.path_for(url, shards.Shards(4, (2, 3))) != health.path_for(url, shards.Shards(4, (0, 1)))
    assert health.path_for(tmp_path / "k.db") == tmp_path / "k.db.health", "beside an SQLite file, as before"


# -- group commit (SQLite): statements issued at once share a trip (reads) or a transaction (writes) ---

async def _counting_trips(monkeypatch) -> list[int]:
    from bot.storage import group_commit

    trips: list[int] = []

    def counting(real):
        def run(conn, calls):
            trips.append(len(calls))
            return real(conn, calls)
        return run

    for name in ("run_reads", "run_writes"):
        monkeypatch.setattr(group_commit, name, counting(getattr(group_commit, name)))
    return trips


async def test_statements_issued_at_once_share_a_trip_and_fail_alone(tmp_path, monkeypatch):
    import sqlite3

    db = await Database.open(tmp_path / "k.db")
    await db.execute("INSERT INTO meta (key, value) VALUES ('taken', 'x')")
    trips = await _counting_trips(monkeypatch)
    results = await asyncio.gather(
        *(db.execute("INSERT INTO meta (key, value) VALUES (?, 'v')", (f"k{i}",)) for i in range(10)),
        db.execute("INSERT INTO meta (key, value) VALUES ('taken', 'again')"),  # the primary key refuses it
        db.fetchall("UPDATE meta SET value = 'w' WHERE key IN ('k1', 'k2') RETURNING key"),
        db.fetchone("SELECT COUNT(*) FROM meta"),
        return_exceptions=True)
    assert results[:10] == [1] * 10
    assert isinstance(results[10], sqlite3.IntegrityError), "only the statement that broke the key fails"
    assert sorted(r["key"] for r in results[11]) == ["k1", "k2"]
    assert results[12][0] == 1, "the reads go first, in a trip of their own"
    assert trips == [1, 12], "issued at once: one trip for the read, one for the writes"
    other = sqlite3.connect(tmp_path / "k.db")  # committed, as another process sees it
    assert other.execute("SELECT COUNT(*), SUM(value = 'w') FROM meta").fetchone() == (11, 2)
    other.close()
    await db.close()


async def test_background_jobs_statements_wait_a_moment_to_share_a_commit_and_a_member_never_waits(tmp_path,
                                                                                                      monkeypatch):
    """Sweeper jobs' statements, 20 ms apart as a paced fan-out issues them, share a transaction; a
    member's statement (not in the background) goes at once and takes the waiting ones along."""
    from bot.storage import group_commit

    db = await Database.open(tmp_path / "k.db")
    trips = await _counting_trips(monkeypatch)
    loop = asyncio.get_running_loop()

    async def job(n: int, pause: float) -> float:
        with db.background():
            await asyncio.sleep(pause)
            began = loop.time()
            await db.execute("INSERT INTO meta (key, value) VALUES (?, 'v')", (f"job{n}",))
            return loop.time() - began

    waits = await asyncio.gather(*(job(n, n * group_commit.LINGER_SECONDS / 4) for n in range(3)))
    assert trips == [3], "three jobs' writes, issued within the wait, share one trip and one commit"
    assert max(waits) < group_commit.LINGER_SECONDS * 3

    trips.clear()
    async def member() -> float:
        await asyncio.sleep(0.001)
        began = loop.time()
        await db.execute("INSERT INTO meta (key, value) VALUES ('member', 'v')")
        return loop.time() - began

    *_, member_wait = await asyncio.gather(job(10, 0), job(11, 0), job(12, 0.2), member())
    assert trips == [3, 1], "the member's statement took the waiting jobs' along"
    assert member_wait < group_commit.LINGER_SECONDS / 2

    trips.clear()
    waits = await asyncio.gather(job(20, 0), job(21, 0))
    assert trips == [2] and max(waits) < group_commit.LINGER_SECONDS / 2, \
        "every running job has its statement queued: nobody else will come, so no wait"
    trips.clear()
    alone = await job(30, 0)
    assert trips == [1] and alone < group_commit.LINGER_SECONDS / 2, "a job running alone has no one to wait for"
    assert db.background_tasks == 0
    await db.close()


async def test_a_read_queued_with_writes_answers_while_another_process_holds_the_write_lock(tmp_path):
    import sqlite3

    db = await Database.open(tmp_path / "k.db")
    await db.execute("INSERT INTO meta (key, value) VALUES ('a', 'b')")
    other = sqlite3.connect(tmp_path / "k.db", timeout=0)
    other.execute("BEGIN IMMEDIATE")
    loop = asyncio.get_running_loop()
    began = loop.time()

    async def timed(statement):
        result = await statement
        return result, loop.time() - began

    try:
        writes = [db.execute("INSERT INTO meta (key, value) VALUES (?, 'v')", (f"k{i}",)) for i in range(3)]
        read = timed(db.fetchone("SELECT value FROM meta WHERE key = 'a'"))
        *written, (found, seconds) = await asyncio.gather(*writes, read, return_exceptions=True)
        late_read = await db.fetchone("SELECT COUNT(*) FROM meta")  # queued after the writes found the lock
    finally:
        other.rollback()
        other.close()
    assert all(isinstance(w, sqlite3.OperationalError) and "locked" in str(w) for w in written)
    assert found["value"] == "b" and seconds < 0.5, "a read never waits for the write lock (busy timeout 1 s)"
    assert late_read[0] == 1
    assert (await db.fetchone("SELECT COUNT(*) FROM meta"))[0] == 1, "nothing half-written"
    await db.close()


async def test_a_statement_whose_caller_gave_up_before_its_trip_never_runs(tmp_path):
    db = await Database.open(tmp_path / "k.db")
    async with db._lock:  # the connection is busy: both wait in the queue
        kept = asyncio.ensure_future(db.execute("INSERT INTO meta (key, value) VALUES ('kept', 'v')"))
        dropped = asyncio.ensure_future(db.execute("INSERT INTO meta (key, value) VALUES ('dropped', 'v')"))
        await asyncio.sleep(0)
        dropped.cancel()
    assert await kept == 1
    assert [r["key"] for r in await db.fetchall("SELECT key FROM meta")] == ["kept"]
    await db.close()


async def test_a_parameter_sqlite_cant_bind_fails_its_own_statement_only(tmp_path):
    db = await Database.open(tmp_path / "k.db")
    good, bad = await asyncio.gather(
        db.execute("INSERT INTO meta (key, value) VALUES ('a', 'b')"),
        db.execute("INSERT INTO meta (key, value) VALUES (?, 'c')", (2 ** 70,)),
        return_exceptions=True)
    assert good == 1 and isinstance(bad, OverflowError)
    assert await db.execute("INSERT INTO meta (key, value) VALUES ('d', 'e')") == 1, "no transaction left open"
    assert [r["key"] for r in await db.fetchall("SELECT key FROM meta ORDER BY key")] == ["a", "d"]
    await db.close()


async def test_a_statement_that_ends_the_transaction_fails_alone(tmp_path):
    import sqlite3

    db = await Database.open(tmp_path / "k.db")
    await db.execute("INSERT INTO meta (key, value) VALUES ('taken', 'x')")
    results = await asyncio.gather(
        db.execute("INSERT INTO meta (key, value) VALUES ('a', 'v')"),
        db.execute("INSERT OR ROLLBACK INTO meta (key, value) VALUES ('taken', 'y')"),  # rolls back all it shares
        db.execute("INSERT INTO meta (key, value) VALUES ('b', 'v')"),
        return_exceptions=True)
    assert results[0] == 1 and isinstance(results[1], sqlite3.IntegrityError) and results[2] == 1
    assert [r["key"] for r in await db.fetchall("SELECT key FROM meta ORDER BY key")] == ["a", "b", "taken"]
    await db.close()


async def test_a_flusher_cancelled_before_it_ran_does_not_stall_the_next_statement(tmp_path):
    db = await Database.open(tmp_path / "k.db")
    first = asyncio.ensure_future(db.execute("INSERT INTO meta (key, value) VALUES ('a', 'v')"))
    await asyncio.sleep(0)  # the flusher is made, not yet run
    db._flusher.cancel()
    first.cancel()
    await asyncio.gather(first, return_exceptions=True)
    assert await asyncio.wait_for(db.fetchone("SELECT COUNT(*) FROM meta"), 5) is not None
    await db.close()
