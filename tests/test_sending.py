"""Sending at Discord's speed: concurrent sweeps, leases that hold across processes, a shared rate,
and Discord's rate-limit answers read where discord.py puts them."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import discord
import pytest

from bot.storage import Database
from bot.discord_adapter import classify
from bot.rate import Rate
from bot.scheduling import JobQueue, Sweeper, TransientError


class _Response:
    """What discord.py leaves on an HTTPException: the aiohttp response's status, reason and headers."""

    def __init__(self, status: int, headers: dict[str, str]) -> None:
        self.status, self.reason, self.headers = status, "Too Many Requests", headers


def test_retry_after_is_read_from_the_response_and_from_rate_limited():
    exhausted = discord.HTTPException(_Response(429, {"Retry-After": "42"}), {"message": "slow down", "code": 0})
    assert classify(exhausted).retry_after == 42.0
    long_wait = classify(discord.RateLimited(120.0))
    assert isinstance(long_wait, TransientError) and long_wait.retry_after == 120.0
    assert classify(TimeoutError()).retry_after == 0 and "didn't answer" in str(classify(TimeoutError()))


@pytest.mark.parametrize("language", ["en", "de", "pt-BR"])
def test_the_daily_posts_json_is_what_discord_py_would_send(language):
    """The post's JSON is built directly for speed; it must be what discord.py's Embed and View give."""
    from datetime import date

    from discord.http import handle_message_parameters

    from bot import custom_ids
    from bot.discord_adapter import COLOUR, CATEGORY_NAMES, _prompt_words, prompt_message
    from bot.i18n import Day, _, render
    from bot.ports import SIGNALS, PromptCard

    card = PromptCard(5, 17, "What's *really* been on your mind?", "support", date(2026, 3, 29), language)
    words = _prompt_words(language)
    embed = discord.Embed(title=words.title, description=f"**{discord.utils.escape_markdown(card.text)}**", colour=COLOUR)
    embed.add_field(name=words.how, value=words.meanings, inline=False)
    embed.set_footer(text=render(_("{date} · {category} · question #{id}", date=Day(card.local_date, "full"),
                                   category=CATEGORY_NAMES[card.category], id=17), language))
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label=words.answer, style=discord.ButtonStyle.primary, emoji="✍️",
                                    custom_id=custom_ids.answer(5, "group")))
    view.add_item(discord.ui.Button(label=words.private, style=discord.ButtonStyle.secondary, emoji="🔒",
                                    custom_id=custom_ids.answer(5, "private")))
    for name, emoji in SIGNALS.items():
        view.add_item(discord.ui.Button(emoji=emoji, style=discord.ButtonStyle.secondary, row=1,
                                        custom_id=custom_ids.signal(5, name)))
    expected = handle_message_parameters(embed=embed, view=view).payload
    assert prompt_message(card) == {"embeds": expected["embeds"], "components": expected["components"]}
    assert "\\*really\\*" in prompt_message(card)["embeds"][0]["description"]


async def test_a_shared_rate_spaces_every_caller():
    rate, loop = Rate(50.0), asyncio.get_running_loop()
    start = loop.time()
    await asyncio.gather(*(rate.turn() for _ in range(26)))
    assert 0.48 <= loop.time() - start < 0.7, "26 turns at 50/s take half a second, shared by all"


async def test_on_pace_each_turn_waits_once_at_the_rate_asked(monkeypatch):
    """An even pace never fills the one-second window (a fractional rate included), so a turn
    sleeps once, until its slot, and 48 turns at 47.5/s take 47 intervals."""
    sleeps = []
    real_sleep = asyncio.sleep

    async def counted(delay, *args):
        sleeps.append(delay)
        return await real_sleep(delay, *args)

    rate, loop = Rate(47.5), asyncio.get_running_loop()
    monkeypatch.setattr(asyncio, "sleep", counted)
    start = loop.time()
    await asyncio.gather(*(rate.turn() for _ in range(48)))
    elapsed = loop.time() - start
    monkeypatch.undo()
    assert len(sleeps) == 47, "every turn but the first sleeps once"
    assert 47 / 47.5 <= elapsed < 47 / 47.5 + 0.15


async def test_callers_the_loop_woke_late_make_no_burst():
    import time

    rate, loop = Rate(10.0), asyncio.get_running_loop()
    began: list[float] = []

    async def caller() -> None:
        await rate.turn()
        began.append(loop.time())

    callers = [asyncio.ensure_future(caller()) for _ in range(25)]
    await asyncio.sleep(0.05)
    time.sleep(0.35)  # the loop is busy: the turns due meanwhile all wake at once
    await asyncio.gather(*callers)
    began.sort()
    # The window is a little under a second: the test notes each start a moment after the rate
    # does (another thread may hold the GIL in between). A burst puts 13 or more in it.
    assert max(sum(1 for t in began if start <= t < start + 0.95) for start in began) <= 10, \
        "no second holds more than 10 turns as they really began"


async def test_jobs_run_concurrently_and_a_slow_one_delays_nobody(bank_db, clock):
    queue = JobQueue(bank_db, clock)
    for n in range(20):
        await queue.schedule("daily", f"daily:{n}:x", clock.now(), n)
    done: list[int] = []

    async def handler(job):
        if job.guild_id == 0:
            await asyncio.sleep(0.5)  # one slow channel
        else:
            await asyncio.sleep(0.05)
        done.append(job.guild_id)

    started = asyncio.get_running_loop().time()
    assert await Sweeper(queue, {"daily": handler}).run_once() == 20
    assert asyncio.get_running_loop().time() - started < 0.9, "concurrent, not 20 x 50 ms + 500 ms in a row"
    assert done[-1] == 0 and sorted(done[:-1]) == list(range(1, 20))


async def test_nudges_do_not_wait_behind_a_fan_out_of_posts(bank_db, clock):
    queue = JobQueue(bank_db, clock)
    for n in range(200):
        await queue.schedule("daily", f"daily:{n}:x", clock.now(), n)
    await queue.schedule("followup", "followup:1:0", clock.now() + timedelta(seconds=1), 1)
    order: list[str] = []

    async def post(job):
        await asyncio.sleep(0.1)  # far longer than a claim takes, even from a busy PostgreSQL
        order.append("post")

    async def nudge(job):
        order.append("nudge")

    clock.advance(seconds=1)
    await Sweeper(queue, {"daily": post, "followup": nudge}).run_once()
    assert order.index("nudge") < 10, "the nudge has its own lane"


async def test_two_processes_sweeping_one_database_send_each_job_once(tmp_path, clock):
    path = tmp_path / "shared.db"
    first, second = await Database.open(path), await Database.open(path)
    try:
        queue = JobQueue(first, clock)
        for n in range(300):
            await queue.schedule("daily", f"daily:{n}:x", clock.now(), n)
        sent: list[int] = []

        async def handler(job):
            await asyncio.sleep(0.005)
            sent.append(job.id)

        sweepers = [Sweeper(JobQueue(db, clock), {"daily": handler}) for db in (first, second)]
        counts = await asyncio.gather(*(s.run_once() for s in sweepers))
        assert sorted(sent) == sorted(set(sent)) and len(sent) == 300, "every job once, none twice"
        assert all(c > 0 for c in counts), "both processes took part"
        rows = await first.fetchall("SELECT status, attempts FROM jobs")
        assert {tuple(r) for r in rows} == {("sent", 1)}
    finally:
        await first.close()
        await second.close()


async def test_a_job_that_lost_its_lease_is_not_marked_by_its_old_owner(bank_db, clock):
    queue = JobQueue(bank_db, clock)
    await queue.schedule("daily", "daily:1:x", clock.now(), 1)
    [old] = await queue.claim()
    clock.advance(minutes=3)
    [new] = await queue.claim()
    assert not await queue.finish(old, "sent"), "the old owner's lease is gone"
    assert await queue.finish(new, "sent")


async def test_a_hung_request_times_out_and_the_job_retries(bank_db, clock, monkeypatch):
    import bot.scheduling as scheduling
    monkeypatch.setattr(scheduling, "JOB_TIMEOUT", timedelta(seconds=0.1))
    queue = JobQueue(bank_db, clock)
    await queue.schedule("daily", "daily:1:x", clock.now(), 1)

    async def hang(job):
        await asyncio.sleep(3600)

    await Sweeper(queue, {"daily": hang}).run_once()
    row = await bank_db.fetchone("SELECT status, last_error FROM jobs")
    assert row["status"] == "pending" and "took longer" in row["last_error"]


@pytest.mark.parametrize("bad", ["0", "-5", "fast"])
def test_a_bad_rate_setting_is_refused_clearly(bad):
    from bot.config import ConfigError, load_config
    with pytest.raises(ConfigError, match="KINDRED_REQUESTS_PER_SECOND"):
        load_config({"DISCORD_TOKEN": "x", "KINDRED_REQUESTS_PER_SECOND": bad})


async def test_the_server_whose_day_ends_soonest_is_served_first(daily, bank_db, clock, port, queue):
    # 07:00 UTC: 18:00 in Sydney (its day ends in 6 hours), 08:00 in Berlin (16 hours left).
    clock.set(clock.now().replace(hour=7))
    await daily.setup(1, 11, "09:00", "Europe/Berlin", "group")
    await daily.setup(2, 22, "18:00", "Australia/Sydney", "group")
    clock.set(clock.now().replace(hour=8))  # both due now; Berlin's job was scheduled first
    await Sweeper(queue, {"daily": daily.deliver}, lanes={"daily": 1}).run_once()
    assert [channel for channel, _, _ in port.prompts] == [22, 11]


async def test_a_long_rate_limit_reschedules_instead_of_holding_a_slot(bank_db, clock):
    queue = JobQueue(bank_db, clock)
    await queue.schedule("daily", "daily:1:x", clock.now(), 1)

    async def limited(job):
        raise classify(discord.RateLimited(90.0))

    started = asyncio.get_running_loop().time()
    await Sweeper(queue, {"daily": limited}).run_once()
    assert asyncio.get_running_loop().time() - started < 1
    row = await bank_db.fetchone("SELECT status, due_at FROM jobs")
    assert row["status"] == "pending"
    assert datetime.fromisoformat(row["due_at"]) - clock.now() >= timedelta(seconds=90), "not sooner than Discord asked"


async def test_an_outcome_the_database_refused_to_record_cancels_no_other_job(bank_db, clock):
    """Recording one job's result fails (the database is locked past its timeout): the jobs in flight
    beside it still finish, and that job keeps its lease, to be claimed again when it ends."""
    queue = JobQueue(bank_db, clock)
    await queue.schedule("daily", "daily:1:x", clock.now(), 1)
    await queue.schedule("followup", "followup:1:0", clock.now(), 2)
    finished: list[int] = []

    async def slow_post(job):
        await asyncio.sleep(0.2)
        finished.append(job.guild_id)

    async def failing_nudge(job):
        raise TransientError("Discord answered 503")

    async def locked(*args, **kwargs):
        raise RuntimeError("database is locked")

    queue.retry = locked
    assert await Sweeper(queue, {"daily": slow_post, "followup": failing_nudge}).run_once() == 2
    assert finished == [1], "the post beside it was not cancelled"
    rows = {r["kind"]: r["status"] for r in await bank_db.fetchall("SELECT kind, status FROM jobs")}
    assert rows == {"daily": "sent", "followup": "sending"}, "the nudge waits for its lease to end"
