"""Operations end to end, in-process: a locked database, mentions that aren't commands, shutdown
while work is claimed. (The real process, with signals, is in test_kindred_process.py.)"""
from __future__ import annotations

import asyncio
import logging
import sqlite3
import sys
import time

import pytest

from bot.i18n import render
from bot.replies import BUSY as BUSY_TEXT
from kindred_world import berlin

BUSY = render(BUSY_TEXT, "en")

# Another process that takes the database's write lock and keeps it until told to let go.
LOCKER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
"""


async def test_mentioning_kindred_in_a_thread_is_an_answer_not_a_command(kindred, caplog):
    await kindred.setup()
    await kindred.at(berlin(7, 9))
    [post] = kindred.prompts()
    await (await kindred.alice.submit_modal((await kindred.alice.click(post, "Answer")).modal, "first")).wait_followup()
    thread = kindred.emu.thread_of(post)  # opened with the first answer
    with caplog.at_level(logging.INFO):
        await kindred.bob.say(thread, "hello there, this is my answer", mention_bot=True)
        await kindred.eventually("SELECT text, source FROM shares WHERE author_id = ?",
                                 [("hello there, this is my answer", "thread")], (kindred.bob.id,))
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], [r.getMessage() for r in caplog.records]
    assert "CommandNotFound" not in caplog.text


async def test_a_region_or_an_overlong_time_zone_or_time_gets_a_short_clear_error(kindred):
    for timezone, words in (("America/Indiana", "America/Indiana/Indianapolis"),
                            ("America/Argentina", "America/Argentina/Buenos_Aires"),
                            ("x" * 2500, "That time zone is too long")):
        res = await kindred.alice.slash("kindred setup", channel=kindred.us, time="09:00", timezone=timezone)
        assert res.message.ephemeral and words in res.message.content, res.message.content
        assert len(res.message.content) < 400
    res = await kindred.alice.slash("kindred setup", channel=kindred.us, time="9" * 2500, timezone="Europe/Berlin")
    assert "That time is too long" in res.message.content and len(res.message.content) < 400
    assert await kindred.query("SELECT COUNT(*) FROM guilds") == [(0,)], "nothing was set up"

    await kindred.setup()
    res = await kindred.bob.slash("privacy", timezone="America/Indiana")
    assert "is a region, not one time zone" in res.message.content
    res = await kindred.bob.slash("privacy", quiet_start="1" * 2500)
    assert "That time is too long" in res.message.content


@pytest.mark.sqlite_only("another process holding SQLite's write lock; PostgreSQL locks rows, not the database")
async def test_a_database_locked_by_another_process_gets_busy_replies_in_time_and_loses_nothing(kindred):
    await kindred.setup()
    locker = await asyncio.create_subprocess_exec(sys.executable, "-c", LOCKER, str(kindred.db_path),
                                                  stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    try:
        assert await locker.stdout.readline() == b"locked\n"
        # Six shares at once, each a write queued behind the others: every one is answered within
        # Discord's 3 s (the emulator enforces it), with "busy, try again".
        began = time.monotonic()
        people = [kindred.alice, kindred.bob] * 3
        results = await asyncio.gather(*(p.slash("share", text=f"share {i}") for i, p in enumerate(people)))
        assert [r.message.content for r in results] == [BUSY] * 6
        assert all(r.message.ephemeral for r in results)
        assert time.monotonic() - began < 3
        # Reading needs no write: alice was recorded in the roster moments ago, so status still answers.
        status = await kindred.alice.slash("kindred status")
        assert "Next post" in status.message.content
        # The day's post comes due while the file is locked: the sweep can't claim it yet.
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            await kindred.at(berlin(7, 9))
        assert kindred.prompts() == []
    finally:
        locker.stdin.write(b"\n")
        await locker.stdin.drain()
        await locker.wait()
    assert await kindred.query("SELECT COUNT(*) FROM shares") == [(0,)], "nothing half-saved"
    await kindred.sweep()  # the next sweep posts it
    assert len(kindred.prompts()) == 1
    again = await kindred.bob.slash("share", text="share again")
    assert "Saved" in again.message.content
    assert await kindred.query("SELECT text FROM shares") == [("share again",)]


async def test_a_reconnect_is_one_log_line(kindred, caplog):
    with caplog.at_level(logging.INFO, logger="bot"):
        await kindred.emu.drop_connection(4000)
        await kindred.emu.wait_resumed(1)
        await kindred.emu.wait_for(lambda: "resumed the Discord session" in caplog.text, what="the log line")
        await kindred.emu.drop_connection(4000, resumable=False)
        await kindred.emu.wait_identified(2)
        await kindred.emu.wait_for(lambda: "reconnected to Discord as Kindred" in caplog.text, what="the log line")
    assert not [r for r in caplog.records if " started as " in r.getMessage()], "the start-up line is logged once"
