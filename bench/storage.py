"""Database bytes per share, per follow-up (its row and its job) and per daily post (its prompt and
its job): page_count * page_size before and after inserting N rows shaped as the bot writes them."""
from __future__ import annotations

import json
import sqlite3
import tempfile
from datetime import timedelta
from pathlib import Path

from bot.storage import to_db

from . import corpus, data
from .runner import Report

NAME = "storage"
TITLE = "database bytes per share, per follow-up and per daily post"


def _size(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return data.size_bytes(conn)
    finally:
        conn.close()


def _grow(path: Path, fill) -> int:
    before = _size(path)
    with data.bulk(path) as conn:
        fill(conn)
    return _size(path) - before


def run(quick: bool) -> Report:
    report = Report(NAME, TITLE)
    count = 10_000 if quick else 100_000
    servers = 1_000
    texts = corpus.texts(20_000, seed=51)
    avg_text = sum(len(t.encode()) for t in texts) / len(texts)
    report.params = {"rows": count, "servers": servers, "average_share_text_bytes": round(avg_text, 1)}
    with tempfile.TemporaryDirectory(prefix="kindred-bench-") as tmp:
        path = Path(tmp) / "kindred.db"
        data.create_schema(path)
        with data.bulk(path) as conn:
            guild_ids = data.insert_guilds(conn, servers)
        report.params["empty_db_bytes"] = _size(path)

        shares = _grow(path, lambda c: c.executemany(data.SHARE_INSERT, data.share_rows(count, texts, guild_ids, 6)))
        jobs = list(data.followup_job_rows(count, first_id=10_000_000, guild_count=servers))
        followup_rows = _grow(path, lambda c: c.executemany(data.FOLLOWUP_INSERT, data.followup_rows(jobs)))
        followup_jobs = _grow(path, lambda c: c.executemany(data.JOB_INSERT, jobs))

        def daily(conn: sqlite3.Connection) -> None:
            question = conn.execute("INSERT INTO questions (bank_key, text, category, created_at) VALUES "
                                    "('bench', 'What made you smile this week?', 'light', ?)", (to_db(data.NOW),)).lastrowid
            days = count // servers
            prompts, daily_jobs = [], []
            for d in range(days):
                day = (data.NOW - timedelta(days=days - d)).date()
                stamp = to_db(data.NOW - timedelta(days=days - d))
                for gid in guild_ids:
                    prompts.append((gid, "daily", day.isoformat(), question, gid + 7, data.SNOWFLAKE + len(prompts),
                                    data.SNOWFLAKE + len(prompts), stamp, stamp))
                    daily_jobs.append(("daily", f"daily:{gid}:{day.isoformat()}", gid, stamp, stamp,
                                       json.dumps({"local_date": day.isoformat()}), stamp, stamp))
            conn.executemany("INSERT INTO prompts (guild_id, kind, local_date, question_id, channel_id, message_id, "
                             "thread_id, created_at, posted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", prompts)
            conn.executemany(data.JOB_INSERT, daily_jobs)

        posts = _grow(path, daily)
        report.params["final_db_mb"] = round(_size(path) / 1e6, 1)
    report.add("per share", shares / count, "bytes")
    report.add("per follow-up (row + job)", (followup_rows + followup_jobs) / count, "bytes")
    report.add("follow-up: row alone", followup_rows / count, "bytes")
    report.add("follow-up: job alone", followup_jobs / count, "bytes")
    report.add("per daily post (prompt + job)", posts / (count // servers * servers), "bytes")
    report.add("1M shares", shares / count * 1e6 / 1e6, "MB")
    report.add("1M follow-ups", (followup_rows + followup_jobs) / count * 1e6 / 1e6, "MB")
    return report
