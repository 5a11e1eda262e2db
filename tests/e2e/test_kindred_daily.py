"""The daily question end to end: set up, post, answer, restart, reconnect, failures."""
from __future__ import annotations

import pytest

from bot.emulator import EmulatorError
from kindred_world import berlin


async def test_setup_post_and_answer_in_the_thread_without_pings(kindred):
    res = await kindred.setup()
    assert res.message.ephemeral and f"Next post: <t:{int(berlin(7, 9).timestamp())}:F>" in res.message.content
    await kindred.at(berlin(7, 8, 59))
    assert kindred.prompts() == []
    before = len(kindred.emu.requests)
    await kindred.at(berlin(7, 9, 0))
    assert len(kindred.emu.requests) - before == 1, "the whole post is one request"
    [post] = kindred.prompts()
    assert [b.get("label") or b["emoji"]["name"] for b in post.buttons] == ["Answer", "Answer privately",
                                                                           "💛", "🎉", "🫂", "💬"]
    assert post.reactions == {} and kindred.emu.thread_of(post) is None, "one request: the thread comes with an answer"

    opened = await kindred.bob.click(post, "Answer")
    assert opened.modal is not None
    done = await kindred.bob.submit_modal(opened.modal, "@everyone **big** news <@&123456789012345678>")
    reply = await done.wait_followup()
    assert reply.ephemeral and "posted in the day's thread" in reply.content
    thread = kindred.emu.thread_of(post)
    [answer] = kindred.emu.messages_in(thread)
    assert answer.embeds[0]["author"]["name"] == "bob"
    assert "@\u200beveryone" in answer.embeds[0]["description"]
    assert answer.allowed_mentions == {"parse": []}, "nothing in an answer can ping"

    # Answering again replaces the answer (the same thread message, edited).
    again = await kindred.bob.click(post, "Answer")
    assert again.modal.text_inputs[0].default.startswith("@everyone"), "the form opens with the earlier answer"
    await (await kindred.bob.submit_modal(again.modal, "Calmer words")).wait_followup()
    [answer] = kindred.emu.messages_in(thread)
    assert answer.embeds[0]["description"] == "Calmer words"


async def test_answer_privately_posts_nothing_and_is_kept(kindred):
    await kindred.setup()
    await kindred.at(berlin(7, 9))
    [post] = kindred.prompts()
    opened = await kindred.bob.click(post, "Answer privately")
    reply = await (await kindred.bob.submit_modal(opened.modal, "just for me")).wait_followup()
    assert reply.ephemeral and "Only you can see it" in reply.content
    assert kindred.emu.thread_of(post) is None, "nothing to show, so no thread yet"
    row = await kindred.bot.db.fetchone("SELECT text, visibility FROM shares")
    assert tuple(row) == ("just for me", "private")


async def test_restart_mid_day_no_second_post_and_old_buttons_work(kindred):
    await kindred.setup()
    await kindred.at(berlin(7, 9))
    await kindred.restart()
    await kindred.at(berlin(7, 15))
    moved = await kindred.alice.slash("kindred settings", time="18:00")
    assert f"Next post: <t:{int(berlin(8, 18).timestamp())}:F>" in moved.message.content, \
        "posted today already: tomorrow, not twice"
    await kindred.at(berlin(7, 23, 59))
    [post] = kindred.prompts()
    opened = await kindred.bob.click(post, "Answer")
    await (await kindred.bob.submit_modal(opened.modal, "after a restart")).wait_followup()
    assert len(kindred.emu.messages_in(kindred.emu.thread_of(post))) == 1
    await kindred.at(berlin(8, 18))
    assert len(kindred.prompts()) == 2, "the next day still comes"


async def test_down_at_post_time_posts_on_return_same_day(kindred):
    await kindred.setup()
    await kindred.stop()
    kindred.clock.set(berlin(7, 14))
    await kindred.start()
    await kindred.sweep()
    assert len(kindred.prompts()) == 1


async def test_reconnect_does_not_post_twice_or_duplicate_jobs(kindred):
    await kindred.setup()
    await kindred.at(berlin(7, 9))
    jobs_before = [j.id for j in kindred.bot.alarm.scheduler.get_jobs()]
    await kindred.emu.drop_connection()
    await kindred.emu.wait_resumed()
    await kindred.emu.drop_connection(resumable=False)
    await kindred.emu.wait_identified(2)
    await kindred.bot.wait_until_ready()
    await kindred.at(berlin(7, 12))
    assert len(kindred.prompts()) == 1
    assert sorted(j.id for j in kindred.bot.alarm.scheduler.get_jobs()) == sorted(jobs_before)


async def test_invalid_input_gets_clear_ephemeral_errors_and_changes_nothing(kindred):
    bad_zone = await kindred.alice.slash("kindred setup", channel=kindred.us, time="09:00", timezone="Mars/Olympus")
    assert bad_zone.message.ephemeral and "isn't a time zone" in bad_zone.message.content
    bad_time = await kindred.alice.slash("kindred setup", channel=kindred.us, time="25:61", timezone="Europe/Berlin")
    assert "isn't a time of day" in bad_time.message.content
    voice = kindred.guild.add_voice_channel("talk")
    res = await kindred.alice.slash("kindred setup", channel=voice, time="09:00", timezone="Europe/Berlin")
    assert "pick a text channel" in res.message.content
    assert await kindred.bot.db.fetchone("SELECT * FROM guilds") is None
    with pytest.raises(EmulatorError):  # hidden from members without Manage Server
        await kindred.bob.slash("kindred setup", channel=kindred.us, time="09:00", timezone="Europe/Berlin")
    res = await kindred.bob.slash("question now")
    assert res.message.ephemeral and "Manage Server" in res.message.content


async def test_missing_channel_permission_is_named(kindred):
    locked = kindred.guild.add_text_channel("locked", deny_bot=("embed_links", "create_public_threads"))
    res = await kindred.alice.slash("kindred setup", channel=locked, time="09:00", timezone="Europe/Berlin")
    assert res.message.ephemeral and "Embed Links" in res.message.content and "Create Public Threads" in res.message.content
    assert await kindred.bot.db.fetchone("SELECT * FROM guilds") is None


async def test_a_channel_without_add_reactions_is_enough(kindred):
    """The signals are buttons and Kindred adds no reactions, so it doesn't ask for the permission."""
    quiet = kindred.guild.add_text_channel("quiet", deny_bot=("add_reactions",))
    res = await kindred.alice.slash("kindred setup", channel=quiet, time="09:00", timezone="Europe/Berlin")
    assert "Add Reactions" not in res.message.content
    assert (await kindred.bot.db.fetchone("SELECT channel_id FROM guilds"))[0] == quiet.id


async def test_post_rejected_with_50013_stops_and_status_says_why(kindred):
    await kindred.setup()
    kindred.emu.fail("POST", r"/channels/\d+/messages$", 403, 50013, message="Missing Permissions")
    await kindred.at(berlin(7, 9))
    assert kindred.prompts() == []
    status = await kindred.alice.slash("kindred status")
    assert "Posting stopped" in status.message.content and "50013" in status.message.content


async def test_post_fails_with_500_twice_then_succeeds_once(kindred):
    await kindred.setup()
    kindred.emu.fail("POST", r"/channels/\d+/messages$", 500, times=2)
    await kindred.at(berlin(7, 9))
    assert len(kindred.prompts()) == 1
    assert len(kindred.emu.requests_to("POST", r"/channels/\d+/messages$")) == 3


async def test_deleted_channel_stops_posting_and_status_says_why(kindred):
    general = kindred.guild.add_text_channel("general")
    await kindred.setup()
    kindred.guild.delete_channel(kindred.us)
    await kindred.at(berlin(7, 9))
    status = await kindred.alice.slash("kindred status", in_channel=general)
    assert "channel was deleted" in status.message.content and "no longer exists" in status.message.content
    assert "Next post: not scheduled" in status.message.content


async def test_restart_while_the_answer_form_is_open_loses_nothing(kindred):
    await kindred.setup()
    await kindred.at(berlin(7, 9))
    [post] = kindred.prompts()
    opened = await kindred.bob.click(post, "Answer")
    await kindred.restart()
    reply = await (await kindred.bob.submit_modal(opened.modal, "typed across a restart")).wait_followup()
    assert "posted in the day's thread" in reply.content
    assert kindred.emu.messages_in(kindred.emu.thread_of(post))[0].embeds[0]["description"] == "typed across a restart"


async def test_two_members_answering_at_once_keep_their_own_words(kindred):
    await kindred.setup()
    await kindred.at(berlin(7, 9))
    [post] = kindred.prompts()
    bob_form = await kindred.bob.click(post, "Answer")
    alice_form = await kindred.alice.click(post, "Answer")
    await (await kindred.bob.submit_modal(bob_form.modal, "bob's words")).wait_followup()
    await (await kindred.alice.submit_modal(alice_form.modal, "alice's words")).wait_followup()
    rows = await kindred.query("SELECT author_id, text FROM shares ORDER BY id")
    assert rows == [(kindred.bob.id, "bob's words"), (kindred.alice.id, "alice's words")]
