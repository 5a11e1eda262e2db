"""The daily question: one post per server per local day, through restarts, DST and failures."""
from __future__ import annotations

import asyncio
import random
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot import guilds
from bot.daily import DailyService
from bot.errors import UserError
from bot.scheduling import JobQueue, PermanentError, Sweeper, TransientError

G = 111
CHANNEL = 222


async def sweep_through(clock, sweeper, until: datetime, step=timedelta(minutes=10)) -> None:
    """Move the fake clock in steps, sweeping at each, like the alarm clock would."""
    while clock.now() < until:
        clock.advance(step)
        await sweeper.run_once()


def posted_dates(port) -> list[date]:
    return [card.local_date for _, card, _ in port.prompts]


async def test_setup_schedules_next_post_in_server_time(daily, clock, bank_db):
    # 06:00 UTC = 07:00 in Berlin: 09:00 today is still ahead.
    due = await daily.setup(G, CHANNEL, "9am", "Europe/Berlin", "partner")
    assert due == datetime(2026, 11, 27, 8, 0, tzinfo=timezone.utc)
    # Already past 05:00 Berlin: tomorrow.
    due = await daily.change(G, time_raw="05:00")
    assert due == datetime(2026, 11, 28, 4, 0, tzinfo=timezone.utc)
    rows = await bank_db.fetchall("SELECT dedupe_key, status FROM jobs ORDER BY id")
    assert [tuple(r) for r in rows] == [("daily:111:2026-11-27", "cancelled"), ("daily:111:2026-11-28", "pending")]


@pytest.mark.parametrize("bad_time", ["25:00", "nine", "9", "13pm", ""])
async def test_setup_rejects_bad_time_and_keeps_nothing(daily, bank_db, bad_time):
    with pytest.raises(UserError):
        await daily.setup(G, CHANNEL, bad_time, "Europe/Berlin", "partner")
    assert await guilds.get(bank_db, G) is None


@pytest.mark.parametrize("bad_zone", ["Mars/Olympus", "Berlin", "", "../../etc/passwd", "CET+1"])
async def test_setup_rejects_bad_timezone(daily, bank_db, bad_zone):
    with pytest.raises(UserError, match="time zone"):
        await daily.setup(G, CHANNEL, "09:00", bad_zone, "partner")
    assert await guilds.get(bank_db, G) is None


async def test_posts_once_as_one_message(daily, sweeper, clock, port, bank_db):
    await daily.setup(G, CHANNEL, "09:00", "Europe/Berlin", "partner")
    await sweep_through(clock, sweeper, datetime(2026, 11, 27, 7, 50, tzinfo=timezone.utc))
    assert port.prompts == []
    await sweep_through(clock, sweeper, datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc))
    assert posted_dates(port) == [date(2026, 11, 27)]
    channel, card, nonce = port.prompts[0]
    assert channel == CHANNEL and len(nonce) <= 25
    prompt = await bank_db.fetchone("SELECT * FROM prompts")
    assert prompt["message_id"] and prompt["posted_at"] == "2026-11-27T08:00:00Z"
    assert prompt["thread_id"] is None and port.threads == {}, "the thread comes with the first answer"
    assert port.look_backs == 0, "a first attempt has nothing to look for"
    next_job = await bank_db.fetchone("SELECT dedupe_key, due_at FROM jobs WHERE status = 'pending'")
    assert tuple(next_job) == ("daily:111:2026-11-28", "2026-11-28T08:00:00Z")


@pytest.mark.parametrize("tz_name", ["Europe/Berlin", "America/New_York"])
@pytest.mark.parametrize("post_time", ["00:30", "02:30"])
@pytest.mark.parametrize("season", ["spring", "fall"])
async def test_one_post_per_local_day_through_dst(tz_name, post_time, season, bank_db, clock, port):
    transitions = {  # local dates of the 2026 changes
        ("Europe/Berlin", "spring"): date(2026, 3, 29), ("Europe/Berlin", "fall"): date(2026, 10, 25),
        ("America/New_York", "spring"): date(2026, 3, 8), ("America/New_York", "fall"): date(2026, 11, 1),
    }
    change = transitions[(tz_name, season)]
    tz = ZoneInfo(tz_name)
    clock.set(datetime.combine(change - timedelta(days=3), datetime.min.time(), tzinfo=tz) + timedelta(hours=3))
    queue = JobQueue(bank_db, clock)
    daily = DailyService(bank_db, clock, queue, port, random.Random(1))
    sweeper = Sweeper(queue, {"daily": daily.deliver}, expiries={"daily": daily.expire})
    await daily.setup(G, CHANNEL, post_time, tz_name, "group")
    await sweep_through(clock, sweeper, clock.now() + timedelta(days=6, hours=2), step=timedelta(minutes=15))
    days = posted_dates(port)
    expected = [change - timedelta(days=2) + timedelta(days=i) for i in range(6)]
    assert days == expected, "exactly one post on every local day, none skipped, none doubled"
    # Each post went out on its own local day (a 02:30 that doesn't exist posts at 03:30 that day).
    rows = await bank_db.fetchall("SELECT local_date, posted_at FROM prompts ORDER BY id")
    for row in rows:
        posted_local = datetime.strptime(row["posted_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).astimezone(tz)
        assert posted_local.date().isoformat() == row["local_date"]


async def test_restart_mid_day_does_not_post_twice(bank_db, clock, port):
    queue = JobQueue(bank_db, clock)
    first = DailyService(bank_db, clock, queue, port, random.Random(1))
    await first.setup(G, CHANNEL, "09:00", "Europe/Berlin", "partner")
    await sweep_through(clock, Sweeper(queue, {"daily": first.deliver}), datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc))
    # A new process over the same database: new service, new sweeper, same rows.
    second = DailyService(bank_db, clock, JobQueue(bank_db, clock), port, random.Random(2))
    sweeper = Sweeper(second.queue, {"daily": second.deliver})
    await sweeper.run_once()
    due = await second.change(G, time_raw="18:00")  # later the same day: not today again, but tomorrow
    assert due == datetime(2026, 11, 28, 17, 0, tzinfo=timezone.utc)
    await sweep_through(clock, sweeper, datetime(2026, 11, 27, 22, 0, tzinfo=timezone.utc))
    assert posted_dates(port) == [date(2026, 11, 27)]


def crash_after_sending(port, method: str) -> None:
    """The next call of `method` reaches Discord, then the process dies before recording anything."""
    real = getattr(port, method)

    async def send_then_die(*args):
        await real(*args)
        setattr(port, method, real)
        raise asyncio.CancelledError("the process was killed")

    setattr(port, method, send_then_die)


@pytest.mark.parametrize("downtime", [timedelta(minutes=3), timedelta(hours=1)])
async def test_crash_between_send_and_mark_posts_once(daily, sweeper, clock, port, bank_db, downtime):
    await daily.setup(G, CHANNEL, "09:00", "Europe/Berlin", "partner")
    clock.set(datetime(2026, 11, 27, 8, 0, tzinfo=timezone.utc))
    crash_after_sending(port, "post_prompt")
    with pytest.raises(asyncio.CancelledError):
        await sweeper.run_once()
    assert len(port.prompts) == 1
    clock.advance(downtime)  # the lease runs out; the next process reclaims the job
    if downtime > timedelta(minutes=5):
        port.forget_nonces()  # Discord only dedupes a nonce for a few minutes
    await sweeper.run_once()
    assert len(port.prompts) == 1, "found by looking back at the channel (or by its nonce)"
    assert port.look_backs == 1
    job = await bank_db.fetchone("SELECT status, attempts FROM jobs WHERE dedupe_key = 'daily:111:2026-11-27'")
    assert tuple(job) == ("sent", 2)
    prompt = await bank_db.fetchone("SELECT message_id FROM prompts")
    assert prompt["message_id"] == next(iter(port.sent))
    assert (await daily.status(G)).next_post == datetime(2026, 11, 28, 8, 0, tzinfo=timezone.utc)


async def test_down_at_post_time_posts_on_return_same_day(daily, sweeper, clock, port):
    await daily.setup(G, CHANNEL, "09:00", "Europe/Berlin", "partner")
    clock.set(datetime(2026, 11, 27, 15, 0, tzinfo=timezone.utc))  # back at 16:00 Berlin
    await sweeper.run_once()
    assert posted_dates(port) == [date(2026, 11, 27)]


async def test_down_all_day_never_posts_yesterdays_question_today(daily, sweeper, clock, port, bank_db):
    await daily.setup(G, CHANNEL, "09:00", "Europe/Berlin", "partner")
    clock.set(datetime(2026, 11, 28, 10, 0, tzinfo=timezone.utc))  # 11:00 the next day
    await sweeper.run_once()
    assert posted_dates(port) == [date(2026, 11, 28)], "today's post, late; yesterday's is missed"
    statuses = {r["dedupe_key"]: r["status"] for r in await bank_db.fetchall("SELECT * FROM jobs")}
    assert statuses["daily:111:2026-11-27"] == "missed"
    assert statuses["daily:111:2026-11-28"] == "sent"


async def test_transient_failures_retry_with_backoff_then_post_once(daily, sweeper, clock, port, bank_db):
    await daily.setup(G, CHANNEL, "09:00", "Europe/Berlin", "partner")
    port.fail_next("post_prompt", TransientError("Discord answered 500"), TransientError("Discord answered 429", 30))
    clock.set(datetime(2026, 11, 27, 8, 0, tzinfo=timezone.utc))
    await sweeper.run_once()
    job = await bank_db.fetchone("SELECT * FROM jobs WHERE dedupe_key = 'daily:111:2026-11-27'")
    assert job["status"] == "pending" and job["due_at"] == "2026-11-27T08:00:05Z"
    await sweep_through(clock, sweeper, datetime(2026, 11, 27, 8, 2, tzinfo=timezone.utc), step=timedelta(seconds=5))
    assert len(port.prompts) == 1
    job = await bank_db.fetchone("SELECT * FROM jobs WHERE dedupe_key = 'daily:111:2026-11-27'")
    assert job["status"] == "sent" and job["attempts"] == 3


async def test_retries_last_until_the_local_day_ends_then_tomorrow_comes(daily, sweeper, clock, port, bank_db):
    await daily.setup(G, CHANNEL, "09:00", "Europe/Berlin", "partner")
    port.fail_next("post_prompt", *[TransientError("Discord answered 503") for _ in range(1000)])
    await sweep_through(clock, sweeper, datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc), step=timedelta(minutes=1))
    job = await bank_db.fetchone("SELECT * FROM jobs WHERE dedupe_key = 'daily:111:2026-11-27'")
    assert job["status"] == "pending" and job["attempts"] > 6, "no attempt count ends it"
    status = await daily.status(G)
    assert "503" in status.failing and f"{job['attempts']} attempt(s)" in status.failing
    gaps = await bank_db.fetchone("SELECT due_at FROM jobs WHERE id = ?", (job["id"],))
    assert datetime.fromisoformat(gaps["due_at"]) - clock.now() <= timedelta(minutes=10), "backoff is capped"
    await sweep_through(clock, sweeper, datetime(2026, 11, 27, 23, 30, tzinfo=timezone.utc), step=timedelta(minutes=5))
    job = await bank_db.fetchone("SELECT * FROM jobs WHERE dedupe_key = 'daily:111:2026-11-27'")
    assert job["status"] == "missed" and "503" in job["last_error"]
    port.failures.clear()  # Discord is back
    await sweep_through(clock, sweeper, datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc), step=timedelta(minutes=5))
    assert posted_dates(port) == [date(2026, 11, 28)]
    assert "503" in (await daily.status(G)).failures[0]


async def test_deleted_channel_stops_posting_and_status_says_why(daily, sweeper, clock, port):
    await daily.setup(G, CHANNEL, "09:00", "Europe/Berlin", "partner")
    port.fail_next("post_prompt", PermanentError("Discord said 10003: the channel was deleted."))
    await sweep_through(clock, sweeper, datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc))
    assert port.prompts == []
    status = await daily.status(G)
    assert "channel was deleted" in status.settings.channel_problem
    assert status.next_post is None and "channel was deleted" in status.failures[0]
    due = await daily.resume(G)  # the admin fixed it
    assert due == datetime(2026, 11, 30, 8, 0, tzinfo=timezone.utc)


async def test_pause_resume_and_skip(daily, sweeper, clock, port):
    await daily.setup(G, CHANNEL, "09:00", "Europe/Berlin", "partner")
    skipped, due = await daily.skip(G)
    assert skipped == date(2026, 11, 27) and due == datetime(2026, 11, 28, 8, 0, tzinfo=timezone.utc)
    await daily.pause(G)
    with pytest.raises(UserError, match="paused"):
        await daily.skip(G)
    await sweep_through(clock, sweeper, datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc))
    assert port.prompts == []
    due = await daily.resume(G)
    assert due == datetime(2026, 11, 30, 8, 0, tzinfo=timezone.utc)


async def test_commands_before_setup_say_how_to_start(daily):
    for call in (daily.pause(G), daily.resume(G), daily.skip(G), daily.status(G)):
        with pytest.raises(UserError, match="/kindred setup"):
            await call


async def test_post_now_is_extra_and_keeps_schedule(daily, sweeper, clock, port):
    await daily.setup(G, CHANNEL, "09:00", "Europe/Berlin", "group")
    prompt = await daily.post_now(G, nonce="n1")
    assert prompt.kind == "extra" and prompt.message_id
    await sweep_through(clock, sweeper, datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc))
    assert len(port.prompts) == 2
    assert port.prompts[0][1].question_id != port.prompts[1][1].question_id


async def test_a_bad_setting_saves_nothing(daily, bank_db):
    await daily.setup(G, CHANNEL, "09:00", "Europe/Berlin", "partner")
    with pytest.raises(UserError):
        await daily.change(G, time_raw="25:00", reveal="together", retention_days=30)
    settings = await guilds.get(bank_db, G)
    assert (settings.reveal, settings.retention_days) == ("instant", None)
    await daily.change(G, reveal="together", retention_days=30)
    settings = await guilds.get(bank_db, G)
    assert (settings.reveal, settings.retention_days) == ("together", 30)


async def test_catch_up_after_a_missed_day_waits_for_the_post_time(daily, sweeper, clock, port):
    await daily.setup(G, CHANNEL, "09:00", "Europe/Berlin", "partner")
    clock.set(datetime(2026, 11, 29, 3, 0, tzinfo=timezone.utc))  # back at 04:00 on Sunday; Friday and Saturday missed
    await sweeper.run_once()
    assert port.prompts == [], "not before Sunday's 09:00"
    clock.set(datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc))
    await sweeper.run_once()
    assert posted_dates(port) == [date(2026, 11, 29)]


@pytest.mark.parametrize("admin", ["pause", "change_time"])
async def test_a_settings_change_while_the_post_is_sending_is_kept(daily, sweeper, clock, port, bank_db, admin):
    """The admin pauses, or moves the post time, while today's post is on its way to Discord: the
    next day's job follows what they chose, not the settings read before the send."""
    await daily.setup(G, CHANNEL, "09:00", "Europe/Berlin", "partner")
    clock.advance(timedelta(hours=2, minutes=1))  # 08:01 UTC, 09:01 in Berlin: due
    sending, release, post = asyncio.Event(), asyncio.Event(), port.post_prompt

    async def slow_post(channel_id, card, nonce):
        sending.set()
        await release.wait()
        return await post(channel_id, card, nonce)

    port.post_prompt = slow_post
    sweep = asyncio.ensure_future(sweeper.run_once())
    await asyncio.wait_for(sending.wait(), 5)
    if admin == "pause":
        await daily.pause(G)
    else:
        await daily.change(G, time_raw="20:00")
    release.set()
    await sweep
    assert len(port.prompts) == 1
    pending = await bank_db.fetchall("SELECT dedupe_key FROM jobs WHERE kind = 'daily' AND status = 'pending'")
    if admin == "pause":
        assert pending == [], "paused while sending: nothing more is scheduled"
        assert (await daily.status(G)).next_post is None
    else:
        assert [r["dedupe_key"] for r in pending] == ["daily:111:2026-11-28"]
        assert (await daily.status(G)).next_post == datetime(2026, 11, 28, 19, 0, tzinfo=timezone.utc)
