"""The server's last four weeks count only what members may see (no private or hidden answers, no
/remember reminders as check-ins); the picture is a real PNG and its text twin has the same figures."""
from __future__ import annotations

import io
import struct
import subprocess
import sys
from datetime import datetime, timedelta, timezone

from PIL import Image

from bot import shares, stats
from bot.storage import to_db
from bot.followups import FollowUps
from bot.stats.chart import DPI, SIZE_IN

G = 111
SAM, ALEX, JO = 1, 2, 3
TODAY = datetime(2026, 12, 27, 10, 0, tzinfo=timezone.utc)  # a Sunday, 11:00 in Berlin


async def _day(daily, db, clock, when, answers):
    """Post a question on that day and save the answers: (author, visibility, held)."""
    clock.set(when)
    prompt = await daily.post_now(G, nonce=f"t{when:%m%d}")
    for author, visibility, together in answers:
        await shares.save_answer(db, clock, G, prompt.id, author, "an answer", visibility, together=together)


async def _nudge(db, when, status, recipient=ALEX, subject=SAM, share_id=None):
    await db.execute("INSERT INTO followups (guild_id, recipient_id, subject_id, share_id, reason, due_at, status, "
                     "created_at, updated_at) VALUES (?, ?, ?, ?, 'a reason', ?, ?, ?, ?)",
                     (G, recipient, subject, share_id, to_db(when), status, to_db(when), to_db(when)))


async def _four_weeks(daily, bank_db, clock):
    await daily.setup(G, 222, "09:00", "Europe/Berlin", "group")
    await _day(daily, bank_db, clock, TODAY - timedelta(days=25), [(SAM, "group", False), (ALEX, "group", False)])
    await _day(daily, bank_db, clock, TODAY - timedelta(days=12), [(JO, "group", False)])
    await _day(daily, bank_db, clock, TODAY - timedelta(days=2), [(SAM, "group", False), (ALEX, "private", False)])
    await _day(daily, bank_db, clock, TODAY - timedelta(days=1), [(SAM, "group", False), (ALEX, "group", False)])
    # Today jo's answer waits (reveal together) and alex's is private: neither counts, so today has none.
    await _day(daily, bank_db, clock, TODAY, [(JO, "group", True), (ALEX, "private", False)])
    await _nudge(bank_db, TODAY - timedelta(days=20), "done")
    await _nudge(bank_db, TODAY - timedelta(days=3), "sent")
    await _nudge(bank_db, TODAY - timedelta(days=1), "done")
    await _nudge(bank_db, TODAY - timedelta(hours=2), "skipped")
    await _nudge(bank_db, TODAY + timedelta(hours=8), "planned")  # not sent yet
    await _nudge(bank_db, TODAY - timedelta(days=40), "done")  # before the four weeks
    await _nudge(bank_db, TODAY - timedelta(days=1), "done", recipient=SAM)  # sam's reminder about sam
    note = await shares.add_note(bank_db, clock, G, ALEX, SAM, "sam: exam tomorrow")
    await _nudge(bank_db, TODAY - timedelta(days=1), "done", share_id=note.id)  # alex's own /remember reminder
    return await stats.four_weeks(bank_db, clock, G, "Europe/Berlin")


async def test_four_weeks_count_visible_answers_and_nudges_between_members(daily, bank_db, clock):
    figures = await _four_weeks(daily, bank_db, clock)
    assert figures.today.isoformat() == "2026-12-27" and len(figures.days) == 28
    assert figures.days[0][0].isoformat() == "2026-11-30" and figures.days[-1][0] == figures.today
    assert [n for _, n in figures.days if n] == [2, 1, 1, 2], "private and held answers never count"
    assert [(w.start.isoformat(), w.answers, w.members_answering) for w in figures.weeks] == [
        ("2026-11-30", 2, 2), ("2026-12-07", 0, 0), ("2026-12-14", 1, 1), ("2026-12-21", 3, 2)]
    assert [(w.nudges_sent, w.nudges_acted_on) for w in figures.weeks] == [(0, 0), (1, 1), (0, 0), (3, 1)]
    assert figures.streak_days == 2, "yesterday and the day before; today has no visible answer yet"


async def test_the_text_twin_says_the_same_figures(daily, bank_db, clock):
    text = stats.summary(await _four_weeks(daily, bank_db, clock))
    assert text.splitlines() == [
        "**Last four weeks** (Mon 30 Nov – Sun 27 Dec)",
        "Answers per week: 2 · 0 · 1 · 3 (oldest first)",
        "This week: **3** answers from 2 members; by day: Mon 0 · Tue 0 · Wed 0 · Thu 0 · Fri 1 · Sat 2 · Sun 0",
        "Answer streak: **2** days",
        "Check-in nudges sent / acted on, per week: 0/0 · 1/1 · 0/0 · 3/1",
    ]


async def test_the_picture_is_a_png_of_sensible_size_with_its_alt_text(daily, bank_db, clock):
    figures = await _four_weeks(daily, bank_db, clock)
    png = await stats.picture(figures)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (int(SIZE_IN[0] * DPI), int(SIZE_IN[1] * DPI))
    assert 5_000 < len(png) < 150_000, len(png)
    with Image.open(io.BytesIO(png)) as image:
        image.verify()
    alt = stats.alt_text(figures)
    assert len(alt) <= 1024 and "Answers per week: 2 · 0 · 1 · 3" in alt and "**" not in alt


async def test_one_answer_one_member_one_day_read_in_the_singular(daily, bank_db, clock):
    await daily.setup(G, 222, "09:00", "Europe/Berlin", "group")
    await _day(daily, bank_db, clock, TODAY, [(SAM, "group", False)])
    text = stats.summary(await stats.four_weeks(bank_db, clock, G, "Europe/Berlin"))
    assert "This week: **1** answer from 1 member;" in text and "Answer streak: **1** day" in text


async def test_reminders_and_private_answers_still_not_counted(daily, bank_db, clock, queue):
    await daily.setup(G, 222, "09:00", "Europe/Berlin", "group")
    prompt = await daily.post_now(G, nonce="t")
    held, _ = await shares.save_answer(bank_db, clock, G, prompt.id, JO, "waiting for a partner", "group", together=True)
    assert held.held
    await shares.save_answer(bank_db, clock, G, prompt.id, ALEX, "just for me", "private")
    await shares.save_answer(bank_db, clock, G, prompt.id, SAM, "out loud", "group")
    followups = FollowUps(bank_db, clock, queue)
    [reminder] = await followups.plan_share(await shares.add_note(bank_db, clock, G, SAM, ALEX, "alex: exam tomorrow"))
    await bank_db.execute("UPDATE followups SET status = 'sent', due_at = ? WHERE id = ?", (to_db(clock.now()), reminder.id))
    w = (await stats.four_weeks(bank_db, clock, G, "Europe/Berlin")).this_week
    assert (w.answers, w.members_answering) == (1, 1), "only sam's visible answer"
    assert (w.nudges_sent, w.nudges_acted_on) == (0, 0), "a reminder to oneself isn't a check-in"


def test_start_up_does_not_import_matplotlib():
    code = ("import sys, importlib, bot.app, bot.stats\n"
            "for name in __import__('bot.app').app.EXTENSIONS: importlib.import_module(name)\n"
            "print('matplotlib' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "False"
