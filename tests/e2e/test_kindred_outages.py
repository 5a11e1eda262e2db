"""Outages and half-done sends end to end: Discord down for minutes or hours, a crash right after a
send followed by an hour of downtime, and a thread Discord refused until a permission was fixed."""
from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from kindred_world import berlin

EVERY_ROUTE_BUT_INTERACTIONS = r"^/(channels|users|guilds)/"


async def _sweep_every(kindred, start, end, step: timedelta) -> None:
    when = start
    while when <= end:
        await kindred.at(when)
        when += step


async def _outage(kindred, start, length: timedelta, step: timedelta) -> None:
    """Discord answers 503 to everything Kindred sends for `length` from `start`, swept every `step`."""
    fault = kindred.emu.fail("*", EVERY_ROUTE_BUT_INTERACTIONS, 503, times=10**6)
    await _sweep_every(kindred, start, start + length - step, step)
    fault.remaining = 0


async def test_outages_at_post_and_nudge_time_delay_but_never_drop_or_double(kindred):
    await kindred.setup(mode="partner")
    await kindred.alice.slash("share", text="looking forward to the weekend")
    await kindred.bob.slash("share", text="exam tomorrow, so stressed")  # Tuesday: the nudge is Wednesday 18:00
    await _sweep_every(kindred, berlin(7, 9), berlin(9, 8), timedelta(hours=6))
    assert len(kindred.prompts()) == 2, "Monday's and Tuesday's"

    # Wednesday 09:00: three minutes of 503s.
    await _outage(kindred, berlin(9, 9), timedelta(minutes=3), timedelta(seconds=30))
    assert len(kindred.prompts()) == 2
    status = await kindred.alice.slash("kindred status")
    assert "failing" in status.message.content and "503" in status.message.content
    await kindred.at(berlin(9, 9, 4))
    assert len(kindred.prompts()) == 3, "posted once Discord was back"

    # Wednesday 18:00: three hours of 503s when the nudge is due.
    await _outage(kindred, berlin(9, 18), timedelta(hours=3), timedelta(minutes=5))
    assert await kindred.alice.dm_messages() == []
    await _sweep_every(kindred, berlin(9, 21), berlin(9, 21, 20), timedelta(minutes=5))
    [dm] = await kindred.alice.wait_dms(1)
    assert "exam" in dm.content

    await _sweep_every(kindred, berlin(9, 22), berlin(10, 9), timedelta(hours=1))
    assert len(kindred.prompts()) == 4, "Thursday's post comes as usual"
    assert len(await kindred.alice.dm_messages()) == 1, "the nudge arrived once"
    days = [p.embeds[0]["footer"]["text"].split(" · ")[0] for p in kindred.prompts()]
    assert len(set(days)) == 4, "one post per day"


async def test_a_nudge_discord_refuses_all_day_expires_and_checkins_says_so(kindred):
    await kindred.setup(mode="partner")
    await kindred.alice.slash("share", text="looking forward to the weekend")
    await kindred.bob.slash("share", text="exam tomorrow, so stressed")
    kindred.emu.fail("POST", r"^/channels/\d+/messages$", 503, times=10**6)
    await _sweep_every(kindred, berlin(9, 18), berlin(10, 20), timedelta(hours=1))
    assert await kindred.alice.dm_messages() == []
    [(status,)] = await kindred.query("SELECT status FROM followups")
    assert status == "expired"
    checkins = await kindred.alice.slash("checkins")
    assert "expired" in checkins.message.content


async def test_crash_after_posting_then_an_hour_down_still_posts_once(kindred):
    await kindred.setup()
    real = kindred.bot.port.post_prompt

    async def post_then_die(*args):
        await real(*args)
        raise asyncio.CancelledError("killed right after the send")

    kindred.bot.port.post_prompt = post_then_die
    with pytest.raises(asyncio.CancelledError):
        await kindred.at(berlin(7, 9))
    assert len(kindred.prompts()) == 1
    await kindred.stop()
    kindred.emu.forget_nonces()  # an hour later Discord no longer knows the nonce
    kindred.clock.set(berlin(7, 10, 5))
    await kindred.start()
    await kindred.sweep()
    assert len(kindred.prompts()) == 1, "found in the channel instead of posted again"
    assert len(kindred.emu.requests_to("GET", r"^/channels/\d+/messages$")) == 1
    [(message_id,)] = await kindred.query("SELECT message_id FROM prompts")
    assert message_id == kindred.prompts()[0].id
    opened = await kindred.bob.click(kindred.prompts()[0], "Answer")
    reply = await (await kindred.bob.submit_modal(opened.modal, "still works")).wait_followup()
    assert "posted in the day's thread" in reply.content


async def test_a_refused_thread_is_completed_once_the_permission_is_fixed(kindred):
    await kindred.setup()
    await kindred.at(berlin(7, 9))
    [post] = kindred.prompts()
    kindred.us.deny(kindred.emu.bot_user, "create_public_threads")
    opened = await kindred.bob.click(post, "Answer")
    reply = await (await kindred.bob.submit_modal(opened.modal, "kept safe")).wait_followup()
    assert "saved" in reply.content and "couldn't put it in the day's thread yet" in reply.content
    assert "posted in the day's thread" not in reply.content, "never both"
    assert kindred.emu.thread_of(post) is None
    status = await kindred.alice.slash("kindred status")
    assert "thread for Mon 07 Dec isn't open yet" in status.message.content and "50013" in status.message.content

    await kindred.at(berlin(7, 9, 20))  # still refused: tried again, nothing lost
    assert kindred.emu.thread_of(post) is None
    kindred.us.overwrites[kindred.emu.bot_user.id].deny = 0  # an admin fixes the permission
    resumed = await kindred.alice.slash("kindred resume")
    assert "Resumed" in resumed.message.content
    await kindred.sweep()
    thread = kindred.emu.thread_of(post)
    assert [m.embeds[0]["description"] for m in kindred.emu.messages_in(thread)] == ["kept safe"]
    status = await kindred.alice.slash("kindred status")
    assert "isn't open yet" not in status.message.content

    alice = await (await kindred.alice.submit_modal((await kindred.alice.click(post, "Answer")).modal, "me too"))\
        .wait_followup()
    assert "posted in the day's thread" in alice.content
    assert len(kindred.emu.messages_in(thread)) == 2


async def test_a_long_429_reschedules_the_post_instead_of_waiting(kindred):
    await kindred.setup()
    kindred.emu.fail("POST", r"^/channels/\d+/messages$", 429, retry_after=90)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await kindred.at(berlin(7, 9))
    assert loop.time() - started < 5, "discord.py's max_ratelimit_timeout: no 90 s sleep"
    assert kindred.prompts() == []
    [(error,)] = await kindred.query("SELECT last_error FROM jobs WHERE status = 'pending' AND kind = 'daily'")
    assert "rate limited" in error
    await kindred.at(berlin(7, 9, 1))
    assert kindred.prompts() == [], "not before Discord said"
    await kindred.at(berlin(7, 9, 2))
    assert len(kindred.prompts()) == 1
