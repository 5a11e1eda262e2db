"""Following up: consent, recipients, timing (quiet hours, caps, DST), delivery exactly once,
closed DMs, the buttons, cancellation. Private words never reach a DM."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot import data_rights, members, reactions, roster, shares
from bot.followups import FollowUps, in_quiet_hours
from bot.nudges import Deliveries
from bot.scheduling import PermanentError, Sweeper, TransientError

G = 111
SAM, ALEX, JO, KIM = 1, 2, 3, 4
MONDAY = datetime(2026, 12, 7, 9, 15, tzinfo=timezone.utc)  # 10:15 in Berlin


@pytest.fixture
async def world(daily, bank_db, clock, queue, port):
    clock.set(MONDAY)
    await daily.setup(G, 222, "09:00", "Europe/Berlin", "partner")
    followups = FollowUps(bank_db, clock, queue)
    deliveries = Deliveries(bank_db, clock, queue, followups, port)
    sweeper = Sweeper(queue, {"daily": daily.deliver, "followup": deliveries.deliver},
                      expiries={"daily": daily.expire, "followup": deliveries.expire})  # as KindredBot wires it
    # Alex is Sam's partner, named at setup; Alex has used Kindred here too.
    await roster.name_partner(bank_db, clock, G, SAM, ALEX, "Alex")
    await members.update(bank_db, clock, G, ALEX, quiet_start="22:00")
    return followups, deliveries, sweeper


async def share(db, clock, text, author=SAM, **kw):
    kw.setdefault("visibility", "group")
    return await shares.add(db, clock, G, author, text, about_name="Sam" if author == SAM else "Alex", **kw)


async def run_until(clock, sweeper, until, step=timedelta(minutes=30)):
    while clock.now() < until:
        clock.advance(step)
        await sweeper.run_once()


async def test_interview_on_thursday_nudges_the_partner_friday_evening_once(world, bank_db, clock, port):
    followups, _, sweeper = world
    s = await share(bank_db, clock, "I have a job interview on Thursday and I'm really nervous")
    [f] = await followups.plan_share(s)
    assert f.recipient_id == ALEX and f.event_date.isoformat() == "2026-12-10"
    assert f.due_at == datetime(2026, 12, 11, 17, 0, tzinfo=timezone.utc), "Friday 18:00 Berlin"
    await run_until(clock, sweeper, datetime(2026, 12, 11, 16, 30, tzinfo=timezone.utc))
    assert port.dms == [], "nothing before Friday evening"
    await run_until(clock, sweeper, datetime(2026, 12, 13, tzinfo=timezone.utc))
    [(channel, content, fid, _)] = port.dms
    assert channel == 50_000 + ALEX and fid == f.id
    assert "On Monday **Sam** shared: “I have a job interview on Thursday and I'm really nervous”" in content
    assert "It's Friday: ask how the job interview went?" in content


async def test_private_share_gives_no_nudge_but_a_private_check_in_gives_one_without_words(world, bank_db, clock, port):
    followups, _, sweeper = world
    assert await followups.plan_share(await share(bank_db, clock, "surgery on the 14th, scared", visibility="private")) == []
    asked = await share(bank_db, clock, "my secret: surgery on the 14th, scared", visibility="private", check_in=True)
    [f] = await followups.plan_share(asked)
    await run_until(clock, sweeper, f.due_at + timedelta(minutes=30))
    [(_, content, _, _)] = port.dms
    assert "asked for someone to check in" in content and "secret" not in content and "surgery" not in content.lower()


async def test_no_consent_no_nudge(world, bank_db, clock):
    followups, _, _ = world
    await members.update(bank_db, clock, G, SAM, allow_followups=False)
    assert await followups.plan_share(await share(bank_db, clock, "exam tomorrow, so stressed")) == []
    await members.update(bank_db, clock, G, SAM, allow_followups=True)
    await members.update(bank_db, clock, G, ALEX, receive_checkins=False)
    assert await followups.plan_share(await share(bank_db, clock, "exam tomorrow, so stressed")) == []


async def test_small_talk_gives_no_nudge(world, bank_db, clock):
    followups, _, _ = world
    assert await followups.plan_share(await share(bank_db, clock, "I ate 3 tacos lol")) == []


async def test_group_mode_uses_circle_else_fair_rotation_of_opted_in(daily, bank_db, clock, queue):
    clock.set(MONDAY)
    await daily.setup(G, 222, "09:00", "Europe/Berlin", "group")
    followups = FollowUps(bank_db, clock, queue)
    for uid in (ALEX, JO, KIM):
        await members.update(bank_db, clock, G, uid, receive_checkins=True)
        await share(bank_db, clock, "hi all", author=uid)
    first = {f.recipient_id for f in await followups.plan_share(await share(bank_db, clock, "exam tomorrow, terrified"))}
    second = {f.recipient_id for f in await followups.plan_share(await share(bank_db, clock, "surgery Friday, worried"))}
    assert len(first) == 2 and len(second) == 2 and SAM not in first | second
    assert first | second == {ALEX, JO, KIM}, "rotated fairly: the least-nudged go next"
    await followups.circle_add(G, SAM, KIM)
    third = await followups.plan_share(await share(bank_db, clock, "flying home Dec 20, nervous"))
    assert [f.recipient_id for f in third] == [KIM]


async def test_quiet_hours_and_daily_cap_move_never_drop(world, bank_db, clock):
    followups, _, _ = world
    alex = await members.get(bank_db, G, ALEX, "partner", "Europe/Berlin")
    late = datetime(2026, 12, 8, 22, 30, tzinfo=timezone.utc)  # 23:30 Berlin, quiet
    assert await followups.allowed_time(alex, late) == datetime(2026, 12, 9, 7, 0, tzinfo=timezone.utc)
    texts = ["exam tomorrow, stressed", "interview tomorrow, nervous", "surgery tomorrow, scared",
             "moving tomorrow, anxious", "dentist tomorrow, terrified"]
    planned = [f for t in texts for f in await followups.plan_share(await share(bank_db, clock, t))]
    assert len(planned) == 5, "none dropped"
    days = sorted(f.due_at for f in planned)
    assert days[:3] == [datetime(2026, 12, 9, 17, 0, tzinfo=timezone.utc)] * 3
    assert days[3:] == [datetime(2026, 12, 10, 7, 0, tzinfo=timezone.utc), datetime(2026, 12, 10, 9, 0, tzinfo=timezone.utc)], \
        "past the cap: the next day, after quiet hours, spread"


def test_quiet_hours_wrap_midnight():
    from datetime import time
    assert in_quiet_hours(time(23), time(22), time(8)) and in_quiet_hours(time(7, 59), time(22), time(8))
    assert not in_quiet_hours(time(8), time(22), time(8)) and not in_quiet_hours(time(12), time(13), time(15))


async def test_due_at_once_become_one_dm(world, bank_db, clock, port):
    followups, _, sweeper = world
    await followups.plan_share(await share(bank_db, clock, "exam tomorrow, so stressed"))
    await followups.plan_share(await share(bank_db, clock, "and the vet appointment tomorrow worries me"))
    await run_until(clock, sweeper, datetime(2026, 12, 10, tzinfo=timezone.utc))
    assert len(port.dms) == 1 and "2 gentle nudges" in port.dms[0][1]
    statuses = [r["status"] for r in await bank_db.fetchall("SELECT status FROM jobs WHERE kind = 'followup'")]
    assert statuses == ["sent", "sent"]


async def test_crash_between_send_and_mark_sends_one_dm(world, bank_db, clock, port, queue):
    followups, deliveries, sweeper = world
    [f] = await followups.plan_share(await share(bank_db, clock, "exam tomorrow, so stressed"))
    clock.set(f.due_at)
    [job] = [j for j in await queue.claim() if j.kind == "followup"]
    await port.send_dm(50_000 + ALEX, "x", f.id, job.nonce)  # sent, then the process died
    clock.advance(minutes=5)
    await sweeper.run_once()
    assert len(port.dms) == 1
    assert (await followups.get(f.id)).status == "sent"


def _answer_lost_once(port):
    """The next DM reaches the member but Kindred never hears back (Discord's answer timed out)."""
    real, calls = port.send_dm, []

    async def send_dm(*args, **kwargs):
        message_id = await real(*args, **kwargs)
        calls.append(message_id)
        if len(calls) == 1:
            raise TransientError("Discord didn't answer within 40 s")
        return message_id

    port.send_dm = send_dm


async def test_a_dm_that_went_out_unheard_is_found_not_sent_again(world, bank_db, clock, port):
    followups, _, sweeper = world
    [f] = await followups.plan_share(await share(bank_db, clock, "exam tomorrow, so stressed"))
    _answer_lost_once(port)
    clock.set(f.due_at)
    await sweeper.run_once()
    port.forget_nonces()  # the retry comes after Discord stopped remembering the nonce
    await run_until(clock, sweeper, f.due_at + timedelta(minutes=30), step=timedelta(minutes=5))
    assert len(port.dms) == 1 and port.look_backs == 1
    done = await followups.get(f.id)
    assert done.status == "sent" and done.dm_message_id == next(iter(port.stop_buttons))


async def test_nudges_due_together_whose_dm_went_out_unheard_arrive_once(world, bank_db, clock, port):
    """The first job's DM carried both nudges but its answer was lost; the second job, next in line,
    finds that DM instead of sending both again (with the introduction) under its own nonce."""
    followups, _, sweeper = world
    [a] = await followups.plan_share(await share(bank_db, clock, "exam tomorrow, so stressed"))
    [b] = await followups.plan_share(await share(bank_db, clock, "and the vet appointment tomorrow worries me"))
    _answer_lost_once(port)
    clock.set(max(a.due_at, b.due_at))
    await run_until(clock, sweeper, clock.now() + timedelta(minutes=30), step=timedelta(minutes=5))
    [(_, content, lead, _)] = port.dms
    assert "2 gentle nudges" in content
    sent = [await followups.get(a.id), await followups.get(b.id)]
    assert {x.status for x in sent} == {"sent"} and {x.dm_message_id for x in sent} == set(port.stop_buttons)
    statuses = [r["status"] for r in await bank_db.fetchall("SELECT status FROM jobs WHERE kind = 'followup'")]
    assert statuses == ["sent", "sent"]
    [kept] = await bank_db.fetchall("SELECT message_id FROM nudge_dms")  # for /forget
    assert kept["message_id"] in port.stop_buttons
    introduced = await bank_db.fetchone("SELECT introduced_at FROM dm_channels WHERE user_id = ?", (ALEX,))
    assert introduced["introduced_at"], "the DM found had the introduction: it isn't repeated"


async def test_a_dm_that_went_out_unheard_before_an_outage_is_sent_not_expired(world, bank_db, clock, port):
    """Kindred was down past the nudge's last day after a DM whose answer it never heard: the DM is
    looked for, found, and the nudge counts as sent (and is kept for /forget)."""
    followups, _, sweeper = world
    [f] = await followups.plan_share(await share(bank_db, clock, "exam tomorrow, so stressed"))
    _answer_lost_once(port)
    clock.set(f.due_at)
    await sweeper.run_once()
    clock.advance(days=2)
    port.forget_nonces()
    await sweeper.run_once()
    assert len(port.dms) == 1 and (await followups.get(f.id)).status == "sent"
    job = await bank_db.fetchone("SELECT status FROM jobs WHERE kind = 'followup'")
    assert job["status"] == "sent"
    assert await bank_db.fetchone("SELECT 1 FROM nudge_dms")


async def test_a_dm_that_went_out_unheard_to_someone_who_then_left_is_kept_for_forget(world, bank_db, clock, port):
    """The DM quoting Sam's share reached Alex but Kindred never heard back, then Alex left the
    server: the next attempt still looks for that DM, so that Sam's /forget deletes it."""
    followups, _, sweeper = world
    [f] = await followups.plan_share(await share(bank_db, clock, "exam tomorrow, so stressed"))
    _answer_lost_once(port)
    clock.set(f.due_at)
    await sweeper.run_once()
    port.left.add((G, ALEX))
    port.forget_nonces()
    await run_until(clock, sweeper, f.due_at + timedelta(minutes=30), step=timedelta(minutes=5))
    [(_, _, _, _)] = port.dms
    assert (await followups.get(f.id)).status == "sent"
    erased = await data_rights.forget(bank_db, port, G, SAM)
    assert erased.deleted_dms == 1 and port.deleted == list(port.stop_buttons)


async def test_forget_while_a_dm_about_them_is_unheard_deletes_that_dm(world, bank_db, clock, port):
    """Sam runs /forget between Kindred sending the DM about Sam's share and hearing back: the DM
    is looked for then, and deleted."""
    followups, _, sweeper = world
    [f] = await followups.plan_share(await share(bank_db, clock, "exam tomorrow, so stressed"))
    _answer_lost_once(port)
    clock.set(f.due_at)
    await sweeper.run_once()
    assert (await followups.get(f.id)).dm_lead == f.id, "the DM went out; Kindred doesn't know it"
    erased = await data_rights.forget(bank_db, port, G, SAM)
    assert erased.deleted_dms == 1 and port.deleted == list(port.stop_buttons)
    await run_until(clock, sweeper, f.due_at + timedelta(hours=2), step=timedelta(minutes=15))
    assert len(port.dms) == 1, "nothing about Sam is sent again"


async def test_forget_erases_nothing_while_discord_cant_say_whether_a_dm_about_them_went_out(world, bank_db, clock,
                                                                                             port):
    """Looking for the unheard DM gets no answer: /forget says so and erases nothing, so that the DM
    can still be found and deleted when it is run again."""
    from bot.errors import UserError

    followups, _, sweeper = world
    [f] = await followups.plan_share(await share(bank_db, clock, "exam tomorrow, so stressed"))
    _answer_lost_once(port)
    clock.set(f.due_at)
    await sweeper.run_once()
    port.fail_next("find_own_message", TransientError("Discord didn't answer within 40 s"))
    with pytest.raises(UserError, match="nothing was erased"):
        await data_rights.forget(bank_db, port, G, SAM)
    assert (await followups.get(f.id)).dm_lead == f.id and port.deleted == []
    erased = await data_rights.forget(bank_db, port, G, SAM)
    assert erased.deleted_dms == 1 and port.deleted == list(port.stop_buttons)


async def test_remind_me_tomorrow_on_a_dm_kindred_never_heard_back_about_waits_till_tomorrow(world, bank_db, clock,
                                                                                              port):
    followups, deliveries, sweeper = world
    [f] = await followups.plan_share(await share(bank_db, clock, "exam tomorrow, so stressed"))
    _answer_lost_once(port)
    clock.set(f.due_at)
    await sweeper.run_once()
    assert "remind you tomorrow" in await deliveries.act(f.id, ALEX, "snooze")  # pressed on the unheard DM
    snoozed = await followups.get(f.id)
    await run_until(clock, sweeper, f.due_at + timedelta(hours=2), step=timedelta(minutes=5))
    assert len(port.dms) == 1, "the first round's retry sends nothing"
    await run_until(clock, sweeper, snoozed.due_at + timedelta(minutes=30))
    assert len(port.dms) == 2 and (await followups.get(f.id)).status == "sent"


async def test_a_reminder_whose_first_try_fails_still_goes_out(world, bank_db, clock, port):
    """After "Remind me tomorrow", a failed first try of the new round must not take yesterday's DM
    (same buttons) for today's."""
    followups, deliveries, sweeper = world
    [f] = await followups.plan_share(await share(bank_db, clock, "exam tomorrow, so stressed"))
    await run_until(clock, sweeper, f.due_at + timedelta(minutes=30))
    first = (await followups.get(f.id)).dm_message_id
    await deliveries.act(f.id, ALEX, "snooze")
    snoozed = await followups.get(f.id)
    port.fail_next("send_dm", TransientError("Discord answered 503"))
    await run_until(clock, sweeper, snoozed.due_at + timedelta(minutes=30), step=timedelta(minutes=5))
    again = await followups.get(f.id)
    assert len(port.dms) == 2, "the reminder went out"
    assert again.status == "sent" and again.dm_message_id not in (None, first)


async def test_transient_errors_retry_then_send(world, bank_db, clock, port):
    followups, _, sweeper = world
    [f] = await followups.plan_share(await share(bank_db, clock, "exam tomorrow, so stressed"))
    port.fail_next("send_dm", TransientError("Discord answered 503"), TransientError("429", 10))
    clock.set(f.due_at - timedelta(seconds=5))
    await run_until(clock, sweeper, f.due_at + timedelta(minutes=5), step=timedelta(seconds=5))
    assert len(port.dms) == 1 and (await followups.get(f.id)).status == "sent"


async def test_closed_dms_mark_unreachable_cancel_and_tell_once(world, bank_db, clock, port):
    followups, deliveries, sweeper = world
    [f] = await followups.plan_share(await share(bank_db, clock, "exam tomorrow, so stressed"))
    [g] = await followups.plan_share(await share(bank_db, clock, "surgery on the 20th, scared"))
    port.fail_next("send_dm", PermanentError("cannot DM", 50007))
    await run_until(clock, sweeper, f.due_at + timedelta(hours=1))
    assert (await followups.get(f.id)).status == "undeliverable"
    assert (await followups.get(g.id)).status == "cancelled", "no more attempts"
    assert await followups.plan_share(await share(bank_db, clock, "flight tomorrow, nervous")) == []
    assert await deliveries.member_is_back(ALEX) is True
    assert await deliveries.member_is_back(ALEX) is True, "still to be told until the notice was delivered"
    await deliveries.told(ALEX)
    assert await deliveries.member_is_back(ALEX) is False
    assert len(await followups.plan_share(await share(bank_db, clock, "flight tomorrow, nervous!!"))) == 1


async def test_buttons_done_snooze_skip(world, bank_db, clock, port):
    followups, deliveries, sweeper = world
    [f] = await followups.plan_share(await share(bank_db, clock, "exam tomorrow, so stressed"))
    await run_until(clock, sweeper, f.due_at + timedelta(minutes=30))
    assert "remind you tomorrow" in await deliveries.act(f.id, ALEX, "snooze")
    snoozed = await followups.get(f.id)
    assert snoozed.status == "planned" and snoozed.round == 1 and snoozed.due_at > clock.now() + timedelta(hours=20)
    await run_until(clock, sweeper, snoozed.due_at + timedelta(minutes=30))
    assert len(port.dms) == 2
    with pytest.raises(Exception, match="isn't in Kindred's memory"):
        await deliveries.act(f.id, SAM, "done")  # not the recipient
    assert "checked in" in await deliveries.act(f.id, ALEX, "done")
    assert (await followups.get(f.id)).status == "done"
    assert "Already answered" in await deliveries.act(f.id, ALEX, "skip")


async def test_signal_nudges_within_hours_without_quotes(world, bank_db, clock, port, daily):
    followups, _, sweeper = world
    prompt = await daily.post_now(G, "n1")
    kind, signal_id = await reactions.record(bank_db, clock, G, prompt.message_id, SAM, "🫂", "Sam")
    [f] = await followups.plan_signal(signal_id)
    assert f.recipient_id == ALEX and f.due_at == MONDAY + timedelta(hours=3)
    await run_until(clock, sweeper, f.due_at + timedelta(minutes=30))
    assert "**Sam** reacted to the daily question: they could use some support" in port.dms[0][1]


async def test_no_nudge_about_a_member_who_left_hours_after_reacting(world, bank_db, clock, port, daily):
    """Without the members intent nothing says who left: Sam's 🫂 three hours before the nudge was
    the last Kindred saw of them, yet Discord is asked at delivery, and Alex gets nothing about
    someone who left in between."""
    followups, _, sweeper = world
    prompt = await daily.post_now(G, "n1")
    _, signal_id = await reactions.record(bank_db, clock, G, prompt.message_id, SAM, "🫂", "Sam")
    [f] = await followups.plan_signal(signal_id)
    await roster.record(bank_db, clock, G, ALEX, "command")
    clock.advance(hours=1)
    port.left.add((G, SAM))
    await run_until(clock, sweeper, f.due_at + timedelta(minutes=30))
    assert port.dms == [] and (await followups.get(f.id)).status == "cancelled"
    assert SAM in port.lookups and ALEX in port.lookups


async def test_notes_remind_their_author(world, bank_db, clock, port):
    followups, _, sweeper = world
    note = await shares.add_note(bank_db, clock, G, JO, SAM, "starting a new job Monday", subject_name="Sam")
    [f] = await followups.plan_share(note)
    assert f.recipient_id == JO and f.subject_id == SAM
    await run_until(clock, sweeper, f.due_at + timedelta(minutes=30))
    assert "you noted about **Sam**: “starting a new job Monday”" in port.dms[0][1]


async def test_leaving_or_deleting_cancels(world, bank_db, clock, port):
    followups, _, sweeper = world
    [f] = await followups.plan_share(await share(bank_db, clock, "exam tomorrow, so stressed"))
    port.left.add((G, SAM))
    await run_until(clock, sweeper, f.due_at + timedelta(minutes=30))
    assert port.dms == [] and (await followups.get(f.id)).status == "cancelled"
    s = await share(bank_db, clock, "interview tomorrow, nervous")
    [g] = await followups.plan_share(s)
    await followups.replan_share(None, s.id)
    assert await followups.get(g.id) is None


async def test_mentions_in_names_and_quotes_never_ping(world, bank_db, clock, port):
    followups, _, sweeper = world
    s = await shares.add(bank_db, clock, G, SAM, "@everyone exam tomorrow <@&123456789012345678> so stressed", visibility="group",
                         about_name="@here")
    await followups.plan_share(s)
    await run_until(clock, sweeper, datetime(2026, 12, 10, tzinfo=timezone.utc))
    content = port.dms[0][1]
    for ping in ("@everyone", "@here", "<@&123456789012345678>"):
        assert ping not in content


async def test_a_nudge_due_in_quiet_hours_waits_for_them_to_end(world, bank_db, clock, port):
    followups, _, sweeper = world
    [f] = await followups.plan_share(await share(bank_db, clock, "exam tomorrow, so stressed"))
    await members.update(bank_db, clock, G, ALEX, quiet_start="17:00", quiet_end="20:00")  # changed after planning
    lookups = port.lookups
    lookups.clear()  # only the look-ups from here on count
    await run_until(clock, sweeper, datetime(2026, 12, 9, 18, 30, tzinfo=timezone.utc), step=timedelta(minutes=10))
    assert port.dms == [], "18:00 Berlin is now inside quiet hours"
    assert lookups == [], "quiet hours are checked before anyone is looked up"
    await run_until(clock, sweeper, datetime(2026, 12, 9, 19, 30, tzinfo=timezone.utc), step=timedelta(minutes=10))
    assert len(port.dms) == 1


async def test_readded_server_gets_its_planned_nudges_back(world, bank_db, clock, port, queue):
    from bot import housekeeping

    followups, _, sweeper = world
    [f] = await followups.plan_share(await share(bank_db, clock, "exam tomorrow, so stressed"))
    await housekeeping.bot_removed(bank_db, clock, queue, G)
    assert await housekeeping.bot_added(bank_db, clock, queue, G)
    await run_until(clock, sweeper, f.due_at + timedelta(minutes=30), step=timedelta(hours=1))
    assert len(port.dms) == 1


def test_nudge_names_the_day_it_was_said():
    from bot.nudges import said_when

    now = datetime(2026, 12, 11, 17, 0, tzinfo=timezone.utc)
    assert said_when(now - timedelta(hours=2), now) == "Earlier today"
    assert said_when(datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc), now) == "On Monday"
    assert said_when(datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc), now) == "On Fri, Nov 27"


async def test_a_check_in_asked_for_on_small_talk_keeps_its_date(world, bank_db, clock):
    """The reader settles plain chat without reading its dates; a check-in the member asked for
    still has its date, so the nudge comes the evening after it."""
    followups, _, _ = world
    chat = "lol same, pizza again on thursday"
    assert await followups.plan_share(await share(bank_db, clock, chat)) == []
    [f] = await followups.plan_share(await share(bank_db, clock, chat, check_in=True))
    assert f.event_date.isoformat() == "2026-12-10"
    assert f.due_at == datetime(2026, 12, 11, 17, 0, tzinfo=timezone.utc), "Friday 18:00 Berlin"
