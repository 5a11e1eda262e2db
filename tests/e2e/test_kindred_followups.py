"""Following up end to end: a share on Monday becomes one well-timed DM to the partner, with
buttons that work; private shares give none; closed DMs are handled."""
from __future__ import annotations

from kindred_world import berlin


async def _partners(kindred):
    await kindred.setup(mode="partner")
    await kindred.alice.slash("share", text="looking forward to the weekend")  # alice uses Kindred here too


async def test_interview_on_thursday_gives_the_partner_one_dm_on_friday_evening(kindred):
    await _partners(kindred)
    await kindred.bob.slash("share", text="I have a job interview on Thursday and I'm really nervous")
    await kindred.at(berlin(11, 17, 59))
    assert await kindred.alice.dm_messages() == [], "nothing before Friday evening"
    await kindred.at(berlin(11, 18, 0))
    [dm] = await kindred.alice.wait_dms(1)
    assert "**bob** shared: “I have a job interview on Thursday and I'm really nervous”" in dm.content
    assert "It's Friday: ask how the job interview went?" in dm.content
    assert dm.allowed_mentions == {"parse": []}
    assert [b["label"] for b in dm.buttons] == ["I checked in", "Remind me tomorrow", "Not for me", "Stop these"]
    assert await kindred.bob.dm_messages() == []

    await kindred.restart()  # the buttons still work after a restart
    done = await kindred.alice.click(dm, "I checked in")
    assert "You checked in" in done.message.content
    assert [b["label"] for b in done.message.buttons] == ["Stop these"], "Stop these stays"
    await kindred.at(berlin(14, 12))
    assert len(await kindred.alice.dm_messages()) == 1, "once"
    checkins = await kindred.alice.slash("checkins")
    assert "checked in" in checkins.message.content


async def test_remind_me_tomorrow_sends_it_again_tomorrow(kindred):
    await _partners(kindred)
    await kindred.bob.slash("share", text="exam tomorrow, so stressed")  # the exam is Tuesday the 8th
    await kindred.at(berlin(9, 18))
    [dm] = await kindred.alice.wait_dms(1)
    await kindred.alice.click(dm, "Remind me tomorrow")
    await kindred.at(berlin(10, 17))
    assert len(await kindred.alice.dm_messages()) == 1
    await kindred.at(berlin(10, 19))
    assert len(await kindred.alice.wait_dms(2)) == 2


async def test_private_share_gives_no_dm(kindred):
    await _partners(kindred)
    await kindred.bob.slash("share", text="I have a job interview on Thursday and I'm really nervous", private=True)
    await kindred.at(berlin(14, 12))
    assert await kindred.alice.dm_messages() == []


async def test_closed_dms_end_the_nudge_and_are_explained_next_time(kindred):
    await _partners(kindred)
    kindred.emu.close_dms(kindred.alice)
    await kindred.bob.slash("share", text="exam tomorrow, so stressed")
    await kindred.at(berlin(9, 18))
    await kindred.eventually("SELECT status FROM followups", [("undeliverable",)])
    res = await kindred.alice.slash("checkins")
    notice = await res.wait_followup()
    assert notice.ephemeral and "your DMs are closed" in notice.content
    again = await kindred.alice.slash("checkins")
    assert again.followups == [], "told once"


async def test_support_reaction_nudges_the_partner_without_quoting(kindred):
    await _partners(kindred)
    await kindred.at(berlin(7, 9))
    [post] = kindred.prompts()
    await kindred.bob.react(post, "🫂")
    await kindred.eventually("SELECT COUNT(*) FROM followups", [(1,)])
    await kindred.at(berlin(7, 12, 30))
    [dm] = await kindred.alice.wait_dms(1)
    assert "reacted to the daily question: they could use some support" in dm.content


def _signal(post, emoji: str) -> str:
    """The custom_id of the signal button showing `emoji` on a daily post."""
    return next(b["custom_id"] for b in post.buttons if (b.get("emoji") or {}).get("name") == emoji)


async def test_support_button_is_private_and_nudges_the_partner(kindred):
    await _partners(kindred)
    await kindred.at(berlin(7, 9))
    [post] = kindred.prompts()
    pressed = await kindred.bob.click(post, _signal(post, "🫂"))
    assert pressed.message.ephemeral and "Only Kindred sees it" in pressed.message.content
    assert "may check in" in pressed.message.content
    assert post.reactions == {}, "nothing public on the post"
    await kindred.eventually("SELECT COUNT(*) FROM followups", [(1,)])
    heart = await kindred.bob.click(post, _signal(post, "💛"))
    assert "may check in" not in heart.message.content
    again = await kindred.bob.click(post, _signal(post, "💛"))
    assert "Taken back" in again.message.content
    assert await kindred.query("SELECT emoji FROM reactions") == [("🫂",)]
    await kindred.at(berlin(7, 12, 30))
    [dm] = await kindred.alice.wait_dms(1)
    assert "they could use some support" in dm.content


async def test_checkins_names_why_in_words_not_the_readers_keys(kindred):
    from bot.nudges import REASONS
    from bot.reading import FEELINGS

    await _partners(kindred)
    await kindred.bob.slash("share", text="I have a job interview on Thursday and I'm really nervous")
    await kindred.eventually("SELECT COUNT(*) FROM followups", [(1,)])
    [(reason,)] = await kindred.query("SELECT reason FROM followups")
    assert reason in FEELINGS or reason == "moment"
    listed = (await kindred.alice.slash("checkins")).message.content
    assert f": {REASONS[reason].msgid}" in listed, listed
