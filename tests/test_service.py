"""Running as a service: backups, the health file, log formats, start-up retries, giving claimed
work back at shutdown."""
from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import aiohttp
import discord
import pytest

from bot.storage import Database
from bot.scheduling import JobQueue, Sweeper
from bot.service import health, lifecycle, logs
from bot.service.backup import BackupError, backup

ROOT = Path(__file__).resolve().parents[1]


def _bot_command(tmp_path, *args, **env):
    (tmp_path / "empty.env").write_text("")
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "KINDRED_"))}
    environ.update(KINDRED_ENV_FILE=str(tmp_path / "empty.env"), PYTHONPATH=str(ROOT), **env)
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=tmp_path, env=environ, capture_output=True,
                          text=True, timeout=60)


async def test_backup_while_the_bot_writes_is_one_consistent_copy(tmp_path):
    db = await Database.open(tmp_path / "kindred.db")
    for i in range(2000):  # a few MB, so the copy takes several steps
        await db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"seed{i}", "x" * 2000))
    stop = asyncio.Event()

    async def keep_writing() -> int:
        written = 0
        while not stop.is_set():
            async with db.transaction() as conn:  # two rows that only ever appear together
                await conn.execute("INSERT INTO meta (key, value) VALUES (?, 'a')", (f"pair{written}a",))
                await conn.execute("INSERT INTO meta (key, value) VALUES (?, 'b')", (f"pair{written}b",))
            written += 1
            await asyncio.sleep(0)
        return written

    writer = asyncio.create_task(keep_writing())
    done = await asyncio.to_thread(_bot_command, tmp_path, "backup", str(tmp_path / "copy.db"),
                                   KINDRED_DATABASE=str(tmp_path / "kindred.db"))
    stop.set()
    written = await writer
    await db.close()
    assert done.returncode == 0, done.stderr
    assert "Backed up" in done.stdout and "copy.db" in done.stdout
    assert written > 0, "the bot kept writing during the backup"
    copy = sqlite3.connect(tmp_path / "copy.db")
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",), "a single self-contained file"
        assert copy.execute("SELECT COUNT(*) FROM meta WHERE key LIKE 'seed%'").fetchone() == (2000,)
        a, b = (copy.execute("SELECT COUNT(*) FROM meta WHERE key LIKE ?", (f"pair%{s}",)).fetchone()[0] for s in "ab")
        assert a == b, "no transaction is half in the copy"
        assert copy.execute("PRAGMA user_version").fetchone()[0] > 0
    finally:
        copy.close()
    assert not (tmp_path / "copy.db.partial").exists()


def test_backup_into_a_folder_and_its_errors(tmp_path):
    conn = sqlite3.connect(tmp_path / "kindred.db")
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    (tmp_path / "backups").mkdir()
    assert backup(tmp_path / "kindred.db", tmp_path / "backups") == tmp_path / "backups" / "kindred-backup.db"
    with pytest.raises(BackupError, match="no database"):
        backup(tmp_path / "missing.db", tmp_path / "x.db")
    with pytest.raises(BackupError, match="another file"):
        backup(tmp_path / "kindred.db", tmp_path / "kindred.db")
    made = backup(tmp_path / "kindred.db", tmp_path / "new-folder" / "x.db")
    assert made.is_file(), "a missing folder is created, as a dated path from cron needs"
    into = backup(tmp_path / "kindred.db", f"{tmp_path / 'not-yet'}/")
    assert into == tmp_path / "not-yet" / "kindred-backup.db" and into.is_file(), "a trailing slash names a folder"
    (tmp_path / "a-file").write_text("")
    with pytest.raises(BackupError, match="can't write"):
        backup(tmp_path / "kindred.db", tmp_path / "a-file" / "x.db")
    failed = _bot_command(tmp_path, "backup", str(tmp_path / "x.db"), KINDRED_DATABASE=str(tmp_path / "missing.db"))
    assert failed.returncode == 1 and "No backup made: there is no database" in failed.stderr
    assert "Traceback" not in failed.stderr


def test_health_file(tmp_path):
    from datetime import datetime, timezone

    path = health.path_for(tmp_path / "kindred.db")
    now = datetime(2026, 12, 7, 9, tzinfo=timezone.utc)
    assert health.check(path, now)[0] is False
    health.write(path, now, connected=True)
    assert health.check(path, now + timedelta(seconds=30)) == (True, "Kindred is running and connected to Discord")
    healthy, why = health.check(path, now + timedelta(minutes=5))
    assert not healthy and "stuck or stopped" in why
    health.write(path, now, connected=False)
    healthy, why = health.check(path, now)
    assert not healthy and "not connected" in why
    path.write_text("{half")
    assert health.check(path, now) == (False, f"the health file {path} is unreadable")


def test_health_command_exit_status(tmp_path):
    from datetime import datetime, timezone

    env = {"KINDRED_DATABASE": str(tmp_path / "kindred.db")}
    missing = _bot_command(tmp_path, "health", **env)
    assert missing.returncode == 1 and "isn't running" in missing.stderr
    health.write(health.path_for(tmp_path / "kindred.db"), datetime.now(timezone.utc), connected=True)
    fine = _bot_command(tmp_path, "health", **env)
    assert fine.returncode == 0 and "connected" in fine.stdout


def test_json_log_lines_and_quiet_libraries():
    stream = io.StringIO()
    logs.configure("INFO", "json", stream)
    try:
        logging.getLogger("bot.daily").info("guild %s: posted prompt %s", 1, 2)
        logging.getLogger("apscheduler.executors.default").info("Running job sweep")
        logging.getLogger("discord.client").warning("PyNaCl is not installed, voice will NOT be supported")
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("bot.app").exception("it broke")
    finally:
        logs.configure("WARNING", "text", sys.stderr)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(e["logger"], e["message"]) for e in lines] == [("bot.daily", "guild 1: posted prompt 2"), ("bot.app", "it broke")]
    assert lines[0]["level"] == "INFO" and lines[0]["time"].endswith("+00:00")
    assert "ValueError: boom" in lines[1]["exception"]


async def test_until_reachable_backs_off_to_a_cap_and_stops_at_success(caplog):
    failures = [ConnectionRefusedError(111, "Connection refused"), aiohttp.ServerDisconnectedError(),
                asyncio.TimeoutError()] + \
        [discord.DiscordServerError(type("R", (), {"status": 503, "reason": "Service Unavailable"})(), "")] * 5
    waits, resets = [], []

    async def attempt():
        if failures:
            raise failures.pop(0)

    async def reset():
        resets.append(1)

    async def sleep(seconds):
        waits.append(seconds)

    with caplog.at_level(logging.WARNING):
        await lifecycle.until_reachable(attempt, reset, sleep)
    assert waits == [5, 10, 20, 40, 80, 160, 300, 300]
    assert len(resets) == 8
    assert len(caplog.records) == 8 and all("can't reach Discord" in r.getMessage() for r in caplog.records)
    assert all("\n" not in r.getMessage() for r in caplog.records)


async def test_a_rejected_token_is_not_retried():
    async def attempt():
        raise discord.LoginFailure("Improper token has been passed.")

    async def never(*_):
        raise AssertionError("no retry for a bad token")

    with pytest.raises(discord.LoginFailure):
        await lifecycle.until_reachable(attempt, never, never)


async def test_closing_mid_batch_gives_unstarted_jobs_back_unsent(bank_db, clock):
    queue = JobQueue(bank_db, clock)
    for i in range(5):
        await queue.schedule("test", f"test:{i}", clock.now() - timedelta(minutes=1))
    sent = []
    sweeper = Sweeper(queue, lanes={"other": 1})  # one at a time, so "mid-batch" is well defined

    async def handler(job):
        sent.append(job.dedupe_key)
        if len(sent) == 2:
            asyncio.get_running_loop().call_soon(asyncio.ensure_future, sweeper.close())
        await asyncio.sleep(0.01)

    sweeper.handlers["test"] = handler
    assert await sweeper.run_once() == 2
    rows = await bank_db.fetchall("SELECT dedupe_key, status, attempts, lease_until FROM jobs ORDER BY dedupe_key")
    assert [tuple(r) for r in rows] == [("test:0", "sent", 1, None), ("test:1", "sent", 1, None),
                                        *((f"test:{i}", "pending", 0, None) for i in range(2, 5))]


async def test_a_send_still_running_after_the_grace_is_cut_off_and_keeps_its_lease(bank_db, clock):
    import time

    from bot.scheduling import AlarmClock

    queue = JobQueue(bank_db, clock)
    await queue.schedule("test", "test:slow", clock.now() - timedelta(minutes=1))
    started, cancelled = asyncio.Event(), asyncio.Event()

    async def hangs(job):
        started.set()
        try:
            await asyncio.sleep(3600)  # Discord never answers
        except asyncio.CancelledError:
            cancelled.set()
            raise

    alarm = AlarmClock(Sweeper(queue, {"test": hangs}), interval=3600)
    alarm.start()
    alarm.wake_at(clock.now())
    await asyncio.wait_for(started.wait(), 5)
    began = time.monotonic()
    await alarm.stop(grace=0.3)
    await asyncio.wait_for(cancelled.wait(), 2)
    assert time.monotonic() - began < 1.5
    [row] = await bank_db.fetchall("SELECT status, lease_until FROM jobs")
    assert row["status"] == "sending" and row["lease_until"] is not None, \
        "left claimed: its lease runs out and the next start sends it again, with the same nonce"


async def test_discord_py_walks_its_rate_limit_buckets_at_most_once_a_minute():
    """Many new channels in a few minutes must not walk every bucket per new one; idle ones still go."""
    from bot.service import ratelimits

    loop = asyncio.get_running_loop()
    http = discord.http.HTTPClient(loop)
    now = [1000.0]
    ratelimits.sweep_at_most_every(http, 60.0, clock=lambda: now[0])
    walked = []
    original = discord.http.Ratelimit.is_inactive

    def counting(bucket):
        walked.append(bucket)
        return original(bucket)

    discord.http.Ratelimit.is_inactive = counting
    try:
        for n in range(300):
            http.get_ratelimit(f"route-{n}")
        first = len(walked)  # one walk once 256 buckets exist, none for the other 44 new ones
        assert 256 <= first <= 300
        for bucket in list(http._buckets.values())[:100]:
            bucket._last_request = loop.time() - 301  # idle for over five minutes
        http.get_ratelimit("route-new")
        assert len(walked) == first and len(http._buckets) == 301  # within the minute: no walk
        now[0] += 60.0
        http.get_ratelimit("route-later")
        assert len(walked) > first
        assert len(http._buckets) == 202  # the 100 idle buckets are dropped, as discord.py would
    finally:
        discord.http.Ratelimit.is_inactive = original
        await http.close()
