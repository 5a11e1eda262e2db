"""Listening and remembering: shares, notes, memories, reactions, reveal-together, export, forget,
the server lifecycle. Privacy first: a test per path by which text leaves the database."""
from __future__ import annotations

import json

import pytest

from bot import data_rights, guilds, housekeeping, members, reactions, roster, shares
from bot.answers import AnswerService
from bot.daily import Prompt
from bot.errors import UserError

G, OTHER_G = 111, 999
SAM, ALEX, JO = 1, 2, 3


@pytest.fixture
async def server(daily, bank_db):
    await daily.setup(G, 222, "09:00", "Europe/Berlin", "partner")
    await daily.setup(OTHER_G, 333, "09:00", "Europe/Berlin", "group")
    return bank_db


async def _prompt(daily, guild_id=G) -> Prompt:
    return await daily.post_now(guild_id, nonce=f"t{guild_id}")


async def test_share_validation_stores_nothing_on_bad_input(server, clock):
    for bad in ("", "  \n\t ", "x" * 2001):
        with pytest.raises(UserError):
            await shares.add(server, clock, G, SAM, bad, visibility="group")
    assert (await server.fetchone("SELECT COUNT(*) FROM shares"))[0] == 0
    ok = await shares.add(server, clock, G, SAM, "x" * 2000, visibility="group")
    assert len(ok.text) == 2000


async def test_memories_show_private_only_to_author_and_notes_only_to_their_writer(server, clock):
    await shares.add(server, clock, G, SAM, "interview on Thursday", visibility="group")
    await shares.add(server, clock, G, SAM, "secret worry", visibility="private")
    await shares.add_note(server, clock, G, ALEX, SAM, "Alex's note: new job Monday")
    await shares.add_note(server, clock, G, JO, SAM, "Jo's note about Sam")
    await shares.add(server, clock, OTHER_G, SAM, "from the other server", visibility="group")

    own, total = await shares.memories(server, G, SAM, SAM)
    assert {s.text for s in own} == {"interview on Thursday", "secret worry"} and total == 2
    alex_sees, _ = await shares.memories(server, G, ALEX, SAM)
    assert {s.text for s in alex_sees} == {"interview on Thursday", "Alex's note: new job Monday"}
    jo_sees, _ = await shares.memories(server, G, JO, SAM)
    assert {s.text for s in jo_sees} == {"interview on Thursday", "Jo's note about Sam"}
    other_server, _ = await shares.memories(server, OTHER_G, ALEX, SAM)
    assert [s.text for s in other_server] == ["from the other server"]


async def test_memories_paginate_newest_first(server, clock):
    for i in range(23):
        clock.advance(minutes=1)
        await shares.add(server, clock, G, SAM, f"share {i}", visibility="group")
    first, total = await shares.memories(server, G, ALEX, SAM, page=0)
    last, _ = await shares.memories(server, G, ALEX, SAM, page=2)
    assert total == 23 and [s.text for s in first][:2] == ["share 22", "share 21"] and len(first) == 10
    assert [s.text for s in last] == ["share 2", "share 1", "share 0"]


async def test_note_about_yourself_is_refused(server, clock):
    with pytest.raises(UserError, match="someone else"):
        await shares.add_note(server, clock, G, SAM, SAM, "me")


async def test_thread_reply_edits_and_deletes_follow_the_message(server, clock):
    await shares.add(server, clock, G, SAM, "first words", visibility="group", source="thread", source_message_id=77)
    share_id, edited = await shares.edit_from_message(server, clock, 77, "better words")
    assert edited.text == "better words" and edited.id == share_id
    assert await shares.delete_from_message(server, 77) == share_id
    assert await shares.delete_from_message(server, 77) is None
    assert (await server.fetchone("SELECT COUNT(*) FROM shares"))[0] == 0


async def test_reactions_on_prompts_only_and_signals_need_consent(server, clock, daily):
    prompt = await _prompt(daily)
    assert await reactions.record(server, clock, G, 424242, SAM, "🫂") is None, "not a prompt: ignored"
    assert await reactions.record(server, clock, G, prompt.message_id, SAM, "👍") is None, "not Kindred's set"
    assert await reactions.record(server, clock, G, prompt.message_id, SAM, "💛") == ("reaction", None)
    kind, signal_id = await reactions.record(server, clock, G, prompt.message_id, SAM, "🫂")
    assert kind == "signal" and signal_id
    assert await reactions.record(server, clock, G, prompt.message_id, SAM, "🫂") == ("reaction", None), "once"
    await members.update(server, clock, G, ALEX, allow_followups=False)
    assert await reactions.record(server, clock, G, prompt.message_id, ALEX, "💬") == ("reaction", None)
    signals = await server.fetchall("SELECT user_id, emoji, created_at FROM signals")
    assert [tuple(r) for r in signals] == [(SAM, "🫂", "2026-11-27T06:00:00Z")]
    assert await reactions.remove(server, G, prompt.message_id, SAM, "🫂")
    assert (await server.fetchone("SELECT COUNT(*) FROM signals"))[0] == 0
    assert (await server.fetchone("SELECT COUNT(*) FROM reactions"))[0] == 2


async def test_member_defaults_follow_the_spec(server, clock):
    partner = await members.get(server, G, SAM, "partner", "Europe/Berlin")
    group = await members.get(server, OTHER_G, SAM, "group", "Europe/Berlin")
    assert (partner.default_visibility, partner.allow_followups, partner.receive_checkins) == ("group", True, True)
    assert group.receive_checkins is False and f"{group.quiet_start:%H:%M}-{group.quiet_end:%H:%M}" == "22:00-08:00"
    with pytest.raises(UserError):
        await members.update(server, clock, G, SAM, timezone="Nowhere/Land", allow_followups=False)
    assert (await members.get(server, G, SAM, "partner", "UTC")).allow_followups, "a bad value changes nothing"
    await members.update(server, clock, G, SAM, timezone="Asia/Tokyo", quiet_start="11pm")
    choice = await members.get(server, G, SAM, "partner", "UTC")
    assert choice.timezone == "Asia/Tokyo" and f"{choice.quiet_start:%H:%M}" == "23:00"


async def test_reveal_together_holds_until_both_answered(server, clock, daily, port):
    await guilds.update(server, clock, G, reveal="together")
    prompt = await _prompt(daily)
    answers = AnswerService(server, clock, port)
    first = await answers.submit(prompt, "Q?", SAM, "Sam", None, "my answer", "group")
    assert "hidden until your partner answers" in first.message and port.answers == {}
    alex_sees, _ = await shares.memories(server, G, ALEX, SAM)
    assert alex_sees == [], "a held answer isn't visible to the partner yet"
    second = await answers.submit(prompt, "Q?", ALEX, "Alex", None, "alex answer", "group")
    assert "waiting and is posted now" in second.message
    assert sorted(card.text for _, card in port.answers.values()) == ["alex answer", "my answer"]


async def test_reveal_together_alone_after_the_day_posts_nothing(server, clock, daily, port):
    await guilds.update(server, clock, G, reveal="together")
    prompt = await _prompt(daily)
    clock.advance(days=1)
    outcome = await AnswerService(server, clock, port).submit(prompt, "Q?", SAM, "Sam", None, "late", "group")
    assert "day is over" in outcome.message and port.answers == {}


async def test_private_answer_replacing_a_public_one_removes_it_from_the_thread(server, clock, daily, port):
    prompt = await _prompt(daily)
    answers = AnswerService(server, clock, port)
    await answers.submit(prompt, "Q?", SAM, "Sam", None, "public first", "group")
    [message_id] = list(port.answers)
    outcome = await answers.submit(prompt, "Q?", SAM, "Sam", None, "actually private", "private")
    assert "private answer is updated" in outcome.message
    assert port.deleted == [message_id] and port.answers == {}


async def _schema(db) -> set[tuple[str, str]]:
    return {(table, column) for table in await db.tables() for column in await db.columns(table)}


def _user_columns_in_schema(schema) -> set[tuple[str, str]]:
    return {(t, c) for t, c in schema if c.endswith(("user_id", "author_id", "subject_id", "recipient_id", "owner_id", "member_id", "partner_id", "setup_by"))}


async def test_every_user_column_is_covered_by_export_and_forget(server):
    assert _user_columns_in_schema(await _schema(server)) == set(data_rights.USER_COLUMNS)


async def _fill_everything(db, clock, daily, user=SAM):
    prompt = await _prompt(daily)
    await shares.save_answer(db, clock, G, prompt.id, user, "answer text", "group", about_name="Sam")
    await db.execute("UPDATE shares SET posted_message_id = 5555 WHERE author_id = ?", (user,))
    await db.execute("UPDATE prompts SET thread_id = message_id WHERE id = ?", (prompt.id,))
    await shares.add(db, clock, G, user, "private share", visibility="private")
    await shares.add_note(db, clock, G, user, ALEX, "note by sam about alex")
    await shares.add_note(db, clock, G, ALEX, user, "note by alex about sam")
    await reactions.record(db, clock, G, prompt.message_id, user, "🫂")
    await members.update(db, clock, G, user, quiet_start="21:00")
    await shares.save_draft(db, clock, user, "a DM draft")
    from bot import questions
    await questions.add(db, clock, G, user, "What do you want more of this winter?", None, status="suggested")
    await shares.add(db, clock, OTHER_G, user, "other server share", visibility="group")
    await shares.add(db, clock, G, JO, "jo's share", visibility="group")


async def test_export_holds_everything_about_the_member_and_nothing_else(server, clock, daily):
    await _fill_everything(server, clock, daily)
    data = await data_rights.export(server, clock, G, SAM)
    text = json.dumps(data, ensure_ascii=False)
    for expected in ("answer text", "private share", "note by sam about alex", "a DM draft",
                     "What do you want more of this winter?", "🫂", "21:00"):
        assert expected in text
    assert data["notes_about_you"]["count"] == 1
    for leaked in ("note by alex about sam", "other server share", "jo's share"):
        assert leaked not in text
    json.loads(data_rights.export_json(data))


async def test_forget_erases_every_table_and_the_thread_messages(server, clock, daily, port):
    await _fill_everything(server, clock, daily)
    erased = await data_rights.forget(server, port, G, SAM)
    assert erased.deleted_messages == 1 and port.deleted == [5555]
    assert erased.counts["answers and shares"] == 2 and erased.counts["notes about you"] == 1
    for table, column in data_rights.USER_COLUMNS:
        if table == "dm_channels":
            continue  # not per server: documented in USER_COLUMNS
        scope = "" if table == "dm_drafts" else " AND guild_id = ?"
        left = await server.fetchone(f"SELECT COUNT(*) FROM {table} WHERE {column} = ?{scope}",
                                     (SAM,) if table == "dm_drafts" else (SAM, G))
        assert left[0] == 0, f"{table}.{column} still holds the member"
    assert (await server.fetchone("SELECT COUNT(*) FROM shares WHERE guild_id = ?", (OTHER_G,)))[0] == 1
    assert (await server.fetchone("SELECT COUNT(*) FROM shares WHERE author_id = ?", (JO,)))[0] == 1
    assert (await server.fetchone("SELECT COUNT(*) FROM questions WHERE guild_id = ?", (G,)))[0] == 1, "the question stays"


async def test_a_message_forget_could_not_delete_while_discord_was_down_is_deleted_later(server, clock, daily, port):
    """Discord didn't answer the deletion of Sam's answer in the thread: /forget says it keeps
    trying, and housekeeping deletes it once Discord answers; a refusal for good ends the tries."""
    from bot.scheduling import PermanentError, TransientError

    await _fill_everything(server, clock, daily)
    port.fail_next("delete_message", TransientError("Discord didn't answer within 40 s"))
    erased = await data_rights.forget(server, port, G, SAM)
    assert (erased.deleted_messages, erased.retrying, erased.undeleted_messages) == (0, 1, [])
    port.fail_next("delete_message", TransientError("Discord is down"))
    assert await data_rights.retry_deletions(server, port) == 0
    assert port.deleted == []
    assert await data_rights.retry_deletions(server, port) == 1
    assert port.deleted == [5555]
    assert not await server.fetchall("SELECT * FROM pending_deletions")
    await server.execute("INSERT INTO pending_deletions (message_id, channel_id, what) VALUES (77, 8, 'answer')")
    port.fail_next("delete_message", PermanentError("Missing Access"))
    assert await data_rights.retry_deletions(server, port) == 1
    assert not await server.fetchall("SELECT * FROM pending_deletions"), "refused for good: not tried forever"


async def test_dm_share_candidates_and_drafts(server, clock):
    assert await roster.servers_of(server, SAM) == []
    await shares.add(server, clock, G, SAM, "hello", visibility="group")
    await members.update(server, clock, OTHER_G, SAM, allow_followups=True)
    assert await roster.servers_of(server, SAM) == [G, OTHER_G]
    draft = await shares.save_draft(server, clock, SAM, "from a DM")
    with pytest.raises(UserError):
        await shares.file_draft(server, clock, draft, ALEX, G, "group")  # not the author
    filed = await shares.file_draft(server, clock, draft, SAM, OTHER_G, "private")
    assert (filed.guild_id, filed.source, filed.visibility) == (OTHER_G, "dm", "private")
    with pytest.raises(UserError, match="already"):
        await shares.file_draft(server, clock, draft, SAM, G, "group")


async def test_bot_removed_stops_schedule_and_purges_after_30_days(server, clock, queue, daily):
    await shares.add(server, clock, G, SAM, "kept a while", visibility="group")
    await housekeeping.bot_removed(server, clock, queue, G)
    assert (await server.fetchone("SELECT COUNT(*) FROM jobs WHERE guild_id = ? AND status = 'pending'", (G,)))[0] == 0
    clock.advance(days=29)
    assert await housekeeping.purge_removed(server, clock) == []
    clock.advance(days=2)
    assert await housekeeping.purge_removed(server, clock) == [G]
    for table in housekeeping.GUILD_TABLES:
        assert (await server.fetchone(f"SELECT COUNT(*) FROM {table} WHERE guild_id = ?", (G,)))[0] == 0
    assert await guilds.get(server, OTHER_G) is not None


async def test_readded_within_30_days_resumes(server, clock, queue, daily):
    await housekeeping.bot_removed(server, clock, queue, G)
    assert await housekeeping.bot_added(server, clock, queue, G)
    assert await daily.reschedule(G) is not None


async def test_retention_deletes_old_shares_only_where_set(server, clock):
    await shares.add(server, clock, G, SAM, "old", visibility="group")
    await shares.add(server, clock, OTHER_G, SAM, "old elsewhere", visibility="group")
    await guilds.update(server, clock, G, retention_days=7)
    clock.advance(days=8)
    await shares.add(server, clock, G, SAM, "new", visibility="group")
    assert await housekeeping.apply_retention(server, clock) == 1
    texts = {r["text"] for r in await server.fetchall("SELECT text FROM shares")}
    assert texts == {"new", "old elsewhere"}


async def test_partners_answering_at_the_same_moment_are_both_revealed(server, clock, daily, port):
    import asyncio

    await guilds.update(server, clock, G, reveal="together")
    prompt = await _prompt(daily)
    answers = AnswerService(server, clock, port)
    await asyncio.gather(answers.submit(prompt, "Q?", SAM, "Sam", None, "sam's", "group"),
                         answers.submit(prompt, "Q?", ALEX, "Alex", None, "alex's", "group"))
    assert sorted(card.text for _, card in port.answers.values()) == ["alex's", "sam's"]


async def test_purge_covers_every_table_with_a_server_id(server):
    assert {t for t, c in await _schema(server) if c == "guild_id"} == set(housekeeping.GUILD_TABLES)


async def test_export_says_nothing_of_a_note_someone_wrote_about_you(server, clock, queue):
    from bot.followups import FollowUps

    note = await shares.add_note(server, clock, G, ALEX, SAM, "his biopsy results come Thursday, he's terrified",
                                 subject_name="Sam")
    assert await FollowUps(server, clock, queue).plan_share(note)
    text = json.dumps(await data_rights.export(server, clock, G, SAM))
    for word in ("biopsy", "results", "terrified", "Thursday", "worry"):
        assert word not in text
    assert '"reminders_others_set_about_you": 1' in text


async def test_dm_draft_is_filed_once_even_when_pressed_twice(server, clock):
    import asyncio

    await shares.add(server, clock, G, SAM, "hello", visibility="group")
    await shares.add(server, clock, OTHER_G, SAM, "hello", visibility="group")
    draft = await shares.save_draft(server, clock, SAM, "one share only")
    results = await asyncio.gather(shares.file_draft(server, clock, draft, SAM, G, "group"),
                                   shares.file_draft(server, clock, draft, SAM, OTHER_G, "group"),
                                   return_exceptions=True)
    assert sum(isinstance(r, shares.Share) for r in results) == 1
    assert (await server.fetchone("SELECT COUNT(*) FROM shares WHERE text = 'one share only'"))[0] == 1
