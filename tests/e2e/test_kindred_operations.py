"""Operations end to end, in-process: a locked database, mentions that aren't commands, shutdown
while work is claimed. (The real process, with signals, is in test_kindred_process.py.)"""
from __future__ import annotations

import logging

from kindred_world import berlin


async def test_mentioning_kindred_in_a_thread_is_an_answer_not_a_command(kindred, caplog):
    await kindred.setup()
    await kindred.at(berlin(7, 9))
    [post] = kindred.prompts()
    thread = kindred.emu.thread_of(post)
    with caplog.at_level(logging.INFO):
        await kindred.bob.say(thread, "hello there, this is my answer", mention_bot=True)
        await kindred.eventually("SELECT text, source FROM shares", [("hello there, this is my answer", "thread")])
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
