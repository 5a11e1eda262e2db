"""Privacy under attack, end to end: forged form submits, erasure that reaches the disk and every
message Kindred sent, reveal-together that keeps its word."""
from __future__ import annotations

import pytest

from kindred_world import berlin

SECRET = "PRIVATEMARKER my private worry"


async def _answer(person, post, button: str, text: str):
    opened = await person.click(post, button)
    return await (await person.submit_modal(opened.modal, text)).wait_followup()


async def _forget(kindred, person) -> str:
    """Run /forget and confirm; returns the summary once it is shown."""
    asked = await person.slash("forget")
    done = await person.click(asked.message, "Erase everything")
    await kindred.emu.wait_for(lambda: "Done" in (done.message.content or ""), what="the forget summary")
    return done.message.content


async def _reply(result):
    """The first message a person sees for an interaction: the response, or its first follow-up."""
    return result.message if result.type == 4 else await result.wait_followup()


async def test_a_forged_submit_of_someone_elses_open_form_saves_nothing(kindred):
    await kindred.setup()
    await kindred.at(berlin(7, 9))
    [post] = kindred.prompts()
    await _answer(kindred.alice, post, "Answer privately", SECRET)
    public = await kindred.alice.click(post, "Answer")
    assert not public.modal.text_inputs[0].default, "a private answer never pre-fills a public form"

    for components in ([], public.modal.submission("bob's words")):  # without and with the text field
        forged = await kindred.bob.forge_modal_submit(public.modal.custom_id, components)
        refusal = await _reply(forged)
        assert refusal.ephemeral and "opened by someone else" in refusal.content
    assert await kindred.query("SELECT author_id, visibility, text FROM shares") == [
        (kindred.alice.id, "private", SECRET)]
    assert kindred.thread_messages(post) == []

    # The form stays open for alice, and a broken submit of hers saves nothing either.
    broken = await _reply(await kindred.alice.forge_modal_submit(public.modal.custom_id, []))
    assert broken.ephemeral and "without its text" in broken.content
    done = await (await kindred.alice.submit_modal(public.modal, "now for everyone")).wait_followup()
    assert "posted in the day's thread" in done.content


async def test_a_forged_submit_after_a_restart_is_refused_too(kindred):
    await kindred.setup()
    await kindred.at(berlin(7, 9))
    [post] = kindred.prompts()
    opened = await kindred.alice.click(post, "Answer")
    await kindred.restart()  # the modal object is gone: the raw submit path answers
    forged = await _reply(await kindred.bob.forge_modal_submit(opened.modal.custom_id, opened.modal.submission("x")))
    assert forged.ephemeral and "opened by someone else" in forged.content
    assert await kindred.query("SELECT COUNT(*) FROM shares") == [(0,)]


@pytest.mark.sqlite_only("PostgreSQL has no secure_delete: its pages and WAL keep deleted rows until reused (README)")
async def test_forget_leaves_no_byte_of_the_words_on_disk_while_the_bot_runs(kindred):
    await kindred.setup()
    await kindred.at(berlin(7, 9))
    [post] = kindred.prompts()
    await _answer(kindred.bob, post, "Answer", "ERASEMARKER answer words")
    await kindred.bob.slash("share", text="ERASEMARKER share words", private=True)
    await kindred.bot.db.checkpoint()  # the words are in the database file itself, not only the WAL
    disk = kindred.db_path.read_bytes() + kindred.db_path.with_name("kindred.db-wal").read_bytes()
    assert b"ERASEMARKER" in disk

    summary = await _forget(kindred, kindred.bob)
    assert "answers and shares: 2" in summary
    wal = kindred.db_path.with_name("kindred.db-wal")
    for path in (kindred.db_path, wal):
        data = path.read_bytes() if path.exists() else b""
        assert b"ERASEMARKER" not in data, f"{path.name} still holds erased words"
    assert (await kindred.query("PRAGMA secure_delete")) == [(1,)]


async def test_forget_deletes_the_nudges_about_them_their_jobs_and_the_suggestion_notice(kindred):
    await kindred.setup(mode="partner")
    await kindred.alice.slash("share", text="looking forward to the weekend")
    await kindred.bob.slash("question suggest", text="What would you like more of this winter?")
    await kindred.emu.wait_for(lambda: any(m.buttons for m in kindred.emu.messages_in(kindred.us)), what="the notice")
    [notice] = [m for m in kindred.emu.messages_in(kindred.us) if "suggested a question" in m.content]
    assert kindred.bob.mention in notice.content
    await kindred.bob.slash("share", text="exam tomorrow, so stressed")
    await kindred.bob.slash("share", text="my sister's wedding is on the 19th and I'm so stressed about the speech")
    await kindred.eventually("SELECT COUNT(*) FROM followups", [(2,)])
    await kindred.at(berlin(9, 18))
    [dm] = await kindred.alice.wait_dms(1)
    assert "exam tomorrow" in dm.content

    text = await _forget(kindred, kindred.bob)
    assert "nudges to and about you: 2" in text, text
    assert "check-in DMs to others that quoted you: 1 deleted" in text, text
    assert "your suggestion notices: 1 deleted" in text, text
    assert dm.deleted and notice.deleted
    assert await kindred.query("SELECT COUNT(*) FROM followups") == [(0,)]
    assert await kindred.query("SELECT COUNT(*) FROM jobs WHERE kind = 'followup'") == [(0,)], "no orphaned jobs"


async def test_an_answer_given_after_the_day_ended_is_never_revealed(kindred):
    await kindred.setup(mode="partner")
    await kindred.alice.slash("kindred settings", reveal="together")
    await kindred.at(berlin(7, 9))
    [monday] = kindred.prompts()
    kindred.clock.set(berlin(8, 1))  # Tuesday, 01:00: Monday is over
    late = await _answer(kindred.bob, monday, "Answer", "LATEMARKER late words")
    assert "won't be posted" in late.content
    kindred.clock.set(berlin(8, 2))
    await _answer(kindred.alice, monday, "Answer", "alice, also late")
    thread = kindred.thread_messages(monday)
    assert all("LATEMARKER" not in str(m.embeds) for m in thread), "bob was told it won't be posted"


async def test_forget_deletes_nudge_dms_even_after_a_snooze_or_a_deleted_share(kindred):
    await kindred.setup(mode="partner")
    await kindred.bob.slash("share", text="exam tomorrow, so stressed")
    await kindred.eventually("SELECT COUNT(*) FROM followups", [(1,)])
    await kindred.at(berlin(9, 18))
    [first] = await kindred.alice.wait_dms(1)
    await kindred.alice.click(first, "Remind me tomorrow")
    await kindred.at(berlin(10, 18))
    second = (await kindred.alice.wait_dms(2))[-1]
    await kindred.bob.slash("share", text="dentist tomorrow and I'm terrified")
    await kindred.eventually("SELECT COUNT(*) FROM followups", [(2,)])
    await kindred.at(berlin(12, 18))
    third = (await kindred.alice.wait_dms(3))[-1]
    await kindred.bot.db.execute("DELETE FROM shares WHERE text LIKE 'dentist%'")  # e.g. retention took it
    summary = await _forget(kindred, kindred.bob)
    assert "check-in DMs to others that quoted you: 3 deleted" in summary
    assert first.deleted and second.deleted and third.deleted


async def test_a_third_member_never_unlocks_the_couples_hidden_answer(kindred):
    await kindred.setup(mode="partner")
    await kindred.alice.slash("kindred settings", reveal="together")
    mallory = kindred.guild.add_member("mallory")
    await kindred.at(berlin(7, 9))
    [post] = kindred.prompts()
    held = await _answer(kindred.alice, post, "Answer", "HELDWORDS for bob only")
    assert "hidden until your partner answers" in held.content
    await _answer(mallory, post, "Answer", "just mallory")
    thread = kindred.emu.thread_of(post)
    assert thread is None or all("HELDWORDS" not in str(m.embeds) for m in kindred.emu.messages_in(thread))
    await _answer(kindred.bob, post, "Answer", "bob's answer")
    assert any("HELDWORDS" in str(m.embeds) for m in kindred.emu.messages_in(kindred.emu.thread_of(post)))
