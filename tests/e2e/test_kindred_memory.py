"""Listening end to end: /share, DM shares, thread replies, reactions, /memories, reveal together."""
from __future__ import annotations

from kindred_world import berlin


async def test_share_and_memories_respect_privacy(kindred):
    await kindred.setup()
    empty = await kindred.bob.slash("share", text="   ")
    assert "empty" in empty.message.content
    long = await kindred.bob.slash("share", text="x" * 2001)
    assert "2,001 characters" in long.message.content
    await kindred.bob.slash("share", text="interview on Thursday")
    await kindred.bob.slash("share", text="a private worry", private=True)
    mine = await kindred.bob.slash("memories")
    assert "a private worry" in str(mine.message.embeds) and "🔒 private" in str(mine.message.embeds)
    theirs = await kindred.alice.slash("memories", member=kindred.bob)
    assert "interview on Thursday" in str(theirs.message.embeds) and "a private worry" not in str(theirs.message.embeds)
    stranger = kindred.emu.add_user("stranger")
    res = await kindred.alice.slash("memories", member=stranger)
    assert "isn't a member of this server" in res.message.content


async def test_memories_paginate_with_buttons(kindred):
    await kindred.setup()
    for i in range(12):
        kindred.clock.advance(minutes=1)
        await kindred.bob.slash("share", text=f"thing number {i}")
    page = await kindred.alice.slash("memories", member=kindred.bob)
    assert "Page 1 of 2" in page.message.embeds[0]["footer"]["text"]
    older = await kindred.alice.click(page.message, "Older ▶")
    assert "Page 2 of 2" in older.message.embeds[0]["footer"]["text"]
    assert "thing number 0" in str(older.message.embeds)


async def test_dm_share_asks_which_server_when_in_several(kindred):
    await kindred.setup()
    other = kindred.emu.add_guild("Work")
    other.add_member(kindred.alice)
    bob2 = other.add_member(kindred.bob)
    # bob used Kindred in Home only: the DM is filed there at once.
    await kindred.bob.slash("share", text="hello")
    await kindred.bob.send_dm("exam tomorrow, nervous")
    [reply] = await kindred.bob.wait_dms(1)
    assert "Saved to **Home**" in reply.content
    elsewhere = kindred.emu.add_guild("Elsewhere")  # Kindred is there, but not set up
    nobody = elsewhere.add_member("nobody")
    await nobody.send_dm("hi")
    [answer] = await nobody.wait_dms(1)
    assert "Use `/share` in your server" in answer.content

    # Once bob has used Kindred in Work too, Kindred asks which server a DM is for.
    work = other.add_text_channel("team")
    admin = other.add_member("carol", admin=True)
    await admin.slash("kindred setup", channel=work, time="10:00", timezone="Europe/Berlin", mode="group")
    await bob2.slash("share", text="hi team")
    await kindred.bob.send_dm("flying home Dec 20")
    question = (await kindred.bob.wait_dms(2))[-1]
    assert "Which one" in question.content and [b["label"] for b in question.buttons] == ["Home", "Work"]
    await kindred.bob.click(question, "Work")
    await kindred.eventually("SELECT guild_id, source FROM shares WHERE text = 'flying home Dec 20'", [(other.id, "dm")])


async def test_thread_replies_and_reactions_are_kept(kindred):
    await kindred.setup()
    await kindred.at(berlin(7, 9))
    [post] = kindred.prompts()
    await (await kindred.alice.submit_modal((await kindred.alice.click(post, "Answer")).modal, "first")).wait_followup()
    thread = kindred.emu.thread_of(post)
    plain = await kindred.bob.say(thread, "a reply without mentioning")
    addressed = await kindred.bob.say(thread, "my answer for today", mention_bot=True)
    await kindred.eventually("SELECT text, source FROM shares WHERE author_id = ?", [("my answer for today", "thread")],
                             (kindred.bob.id,))
    await kindred.bob.edit(addressed, f"{kindred.emu.bot_user.mention} edited answer")
    await kindred.eventually("SELECT text FROM shares WHERE author_id = ?", [("edited answer",)], (kindred.bob.id,))

    await kindred.bob.react(post, "🫂")
    await kindred.bob.react(post, "💛")
    await kindred.alice.react(plain, "🫂")  # not a prompt: ignored
    await kindred.eventually("SELECT user_id, emoji FROM reactions ORDER BY emoji",
                             sorted([(kindred.bob.id, "🫂"), (kindred.bob.id, "💛")], key=lambda r: r[1]))
    await kindred.eventually("SELECT user_id, emoji FROM signals", [(kindred.bob.id, "🫂")])
    await kindred.bob.unreact(post, "🫂")
    await kindred.bob.delete(addressed)
    await kindred.eventually("SELECT COUNT(*) FROM shares WHERE author_id = ?", [(0,)], (kindred.bob.id,))
    await kindred.eventually("SELECT COUNT(*) FROM signals", [(0,)])


async def test_reveal_together_posts_both_answers_at_once(kindred):
    await kindred.setup()
    await kindred.alice.slash("kindred settings", reveal="together")
    await kindred.at(berlin(7, 9))
    [post] = kindred.prompts()
    first = await (await kindred.bob.submit_modal((await kindred.bob.click(post, "Answer")).modal, "bob's")).wait_followup()
    assert "hidden until your partner answers" in first.content and kindred.emu.thread_of(post) is None
    await (await kindred.alice.submit_modal((await kindred.alice.click(post, "Answer")).modal, "alice's")).wait_followup()
    thread = kindred.emu.thread_of(post)
    texts = sorted(m.embeds[0]["description"] for m in kindred.emu.messages_in(thread))
    assert texts == ["alice's", "bob's"]
