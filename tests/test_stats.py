"""The server's week counts only what members may see: no private or hidden answers, no
/remember reminders as check-ins."""
from __future__ import annotations

from bot import shares, stats
from bot.followups import FollowUps

G = 111
SAM, ALEX, JO = 1, 2, 3


async def test_private_answers_and_own_reminders_are_not_counted(daily, bank_db, clock, queue):
    await daily.setup(G, 222, "09:00", "Europe/Berlin", "group")
    prompt = await daily.post_now(G, nonce="t")
    held, _ = await shares.save_answer(bank_db, clock, G, prompt.id, JO, "waiting for a partner", "group", together=True)
    assert held.held
    await shares.save_answer(bank_db, clock, G, prompt.id, ALEX, "just for me", "private")
    await shares.save_answer(bank_db, clock, G, prompt.id, SAM, "out loud", "group")
    followups = FollowUps(bank_db, clock, queue)
    [reminder] = await followups.plan_share(await shares.add_note(bank_db, clock, G, SAM, ALEX, "alex: exam tomorrow"))
    await bank_db.execute("UPDATE followups SET status = 'sent' WHERE id = ?", (reminder.id,))
    w = await stats.week(bank_db, clock, G, "Europe/Berlin")
    assert (w.answers, w.members_answering, w.streak_days) == (1, 1, 1), "only sam's visible answer"
    assert (w.nudges_sent, w.nudges_acted_on) == (0, 0), "a reminder to oneself isn't a check-in"
