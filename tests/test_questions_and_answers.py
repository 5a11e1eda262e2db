"""Choosing questions, the server's own questions and suggestions, answers, text safety, time parsing."""
from __future__ import annotations

import random
from collections import Counter

import pytest

from bot import questions, shares
from bot.answers import AnswerService
from bot.errors import UserError
from bot.localtime import parse_post_time, search_timezones
from bot.text import clip, quote

from fakes import BANK, FakePort

G, OTHER = 111, 999


async def _ask(db, clock, guild_id, mode, n, rng):
    """Pick and record n daily questions like the daily post would; returns them in order."""
    asked, bank = [], questions.Bank(db)
    for day in range(n):
        q = await bank.pick(guild_id, mode, rng)
        await db.execute("INSERT INTO prompts (guild_id, kind, local_date, question_id, channel_id, created_at) "
                         "VALUES (?, 'daily', ?, ?, 1, 'x')", (guild_id, f"2026-{1 + day // 28:02d}-{1 + day % 28:02d}", q.id))
        asked.append(q)
    return asked


async def test_no_repeat_until_all_eligible_used_and_modes_filter(bank_db, clock):
    eligible = [e for e in BANK if e["category"] != "team" and e["audience"] != "group"]
    asked = await _ask(bank_db, clock, G, "partner", len(eligible) * 2, random.Random(3))
    first_round = asked[: len(eligible)]
    assert len({q.id for q in first_round}) == len(eligible), "no repeats before the bank runs out"
    assert all(c == 2 for c in Counter(q.id for q in asked).values()), "then a second round, again without repeats"
    assert not any(q.category == "team" or q.audience == "group" for q in asked)
    early = asked[: len(eligible) // 2]  # late in a round only one category may be left
    assert all(a.category != b.category for a, b in zip(early, early[1:])), "categories rotate"


async def test_the_choice_among_equals_is_random_and_follows_the_seed(bank_db, clock):
    """The least-used tier is picked from at random: different seeds start differently, the
    same seed the same way, and every first pick is one of the tier."""
    eligible = {e["id"] for e in BANK if e["category"] != "team" and e["audience"] != "group"}
    bank = questions.Bank(bank_db)
    firsts = [(await bank.pick(G, "partner", random.Random(seed))) for seed in range(12)]
    assert len({q.id for q in firsts}) >= 4, "not always the same question"
    again = [(await bank.pick(G, "partner", random.Random(seed))) for seed in range(12)]
    assert [q.id for q in again] == [q.id for q in firsts]
    bank_ids = {r["id"]: r["bank_key"] for r in await bank_db.fetchall("SELECT id, bank_key FROM questions")}
    assert {bank_ids[q.id] for q in firsts} <= eligible


async def test_an_empty_bank_says_how_to_add_a_question(db, clock):
    with pytest.raises(UserError, match="bank is empty"):
        await questions.Bank(db).pick(G, "group", random.Random(1))


async def test_group_mode_never_gets_partner_questions(bank_db, clock):
    asked = await _ask(bank_db, clock, G, "group", 20, random.Random(4))
    assert not any(q.category == "partner" or q.audience == "partner" for q in asked)


async def test_own_questions_come_first_and_stay_in_their_server(bank_db, clock):
    own = await questions.add(bank_db, clock, G, 5, "  What song   is stuck in your head right now?  ", "fun")
    assert own.text == "What song is stuck in your head right now?"
    assert (await _ask(bank_db, clock, G, "group", 1, random.Random(1)))[0].id == own.id
    other = await _ask(bank_db, clock, OTHER, "group", len(BANK), random.Random(1))
    assert own.id not in {q.id for q in other}, "another server never gets this server's question"
    assert await questions.get(bank_db, OTHER, own.id) is None


@pytest.mark.parametrize("text, category, words", [
    ("Why?", None, "at least"),
    ("x" * 301, None, "under 300"),
    ("What are you grateful for this week?", "nonsense", "isn't a category"),
])
async def test_add_rejects_bad_questions(bank_db, clock, text, category, words):
    with pytest.raises(UserError, match=words):
        await questions.add(bank_db, clock, G, 5, text, category)


async def test_add_rejects_duplicates_of_bank_and_own(bank_db, clock):
    with pytest.raises(UserError, match="already"):
        await questions.add(bank_db, clock, G, 5, BANK[0]["text"].upper(), None)
    await questions.add(bank_db, clock, G, 5, "What would a perfect Sunday look like?", None)
    with pytest.raises(UserError, match="already"):
        await questions.add(bank_db, clock, G, 5, "what would a perfect sunday look like", None)


async def test_remove_only_own_questions_of_this_server(bank_db, clock):
    own = await questions.add(bank_db, clock, G, 5, "What would a perfect Sunday look like?", None)
    bank_question = await bank_db.fetchone("SELECT id FROM questions WHERE bank_key IS NOT NULL LIMIT 1")
    with pytest.raises(UserError, match="built-in"):
        await questions.remove(bank_db, G, bank_question["id"])
    with pytest.raises(UserError, match="no question"):
        await questions.remove(bank_db, OTHER, own.id)
    await questions.remove(bank_db, G, own.id)
    assert own.id not in {q.id for q in await questions.own(bank_db, G)}
    with pytest.raises(UserError, match="no question"):
        await questions.remove(bank_db, G, own.id)


async def test_suggestions_wait_for_approval_and_are_decided_once(bank_db, clock):
    s = await questions.add(bank_db, clock, G, 6, "What tiny adventure should we plan next?", "dreams", status="suggested")
    picked = await _ask(bank_db, clock, G, "group", len(BANK), random.Random(2))
    assert s.id not in {q.id for q in picked}, "a suggestion isn't asked before approval"
    approved = await questions.decide_suggestion(bank_db, G, s.id, approve=True)
    assert approved.status == "active"
    with pytest.raises(UserError, match="already approved"):
        await questions.decide_suggestion(bank_db, G, s.id, approve=False)
    with pytest.raises(UserError):
        await questions.decide_suggestion(bank_db, OTHER, s.id, approve=True)


async def test_bank_sync_retires_removed_entries(bank_db, clock):
    await questions.sync_bank(bank_db, clock, BANK[1:])
    row = await bank_db.fetchone("SELECT status FROM questions WHERE bank_key = ?", (BANK[0]["id"],))
    assert row["status"] == "removed"


def test_real_bank_loads():
    entries = questions.load_bank()
    assert len(entries) >= 200


async def test_answers_replace_and_validate(bank_db, clock):
    await bank_db.execute("INSERT INTO prompts (id, guild_id, kind, local_date, question_id, channel_id, created_at) "
                          "VALUES (1, ?, 'daily', '2026-11-27', 1, 1, 'x')", (G,))
    first, previous = await shares.save_answer(bank_db, clock, G, 1, 7, "  Sunshine at lunch  ", "group")
    assert previous is None and first.text == "Sunshine at lunch"
    second, previous = await shares.save_answer(bank_db, clock, G, 1, 7, "A long walk", "private")
    assert previous.id == first.id == second.id and second.visibility == "private"
    assert [s.text for s in await shares.answers_to(bank_db, 1)] == ["A long walk"]
    for bad in ("", "   \n ", "x" * 2001):
        with pytest.raises(UserError):
            await shares.save_answer(bank_db, clock, G, 1, 7, bad, "group")
    assert [s.text for s in await shares.answers_to(bank_db, 1)] == ["A long walk"], "a rejected answer loses nothing"


def test_quote_escapes_markdown_and_clips_cleanly():
    assert quote("**bold** @everyone", 100) == "\\*\\*bold\\*\\* @\u200beveryone"
    clipped = clip("word " * 1000, 1024)
    assert len(clipped) <= 1024 and clipped.endswith("…") and not clipped.endswith(" …")


@pytest.mark.parametrize("raw, expected", [("9:00", "09:00"), ("09:00", "09:00"), ("9am", "09:00"), ("21:30", "21:30"),
                                           ("9:30 pm", "21:30"), ("12am", "00:00"), ("12 PM", "12:00"), ("9.15", "09:15")])
def test_parse_post_time(raw, expected):
    assert f"{parse_post_time(raw):%H:%M}" == expected


def test_timezone_autocomplete():
    assert "Europe/Berlin" in search_timezones("Europe/Be")
    assert search_timezones("berlin") == ["Europe/Berlin"]
    assert search_timezones("new york") == ["America/New_York"]
    assert len(search_timezones("")) == 25


class RefusesWritesAfterPosting(FakePort):
    """Discord takes the answer card, then the database refuses to record it (the column it writes
    is renamed away, which both backends refuse the same way)."""

    def __init__(self, db) -> None:
        super().__init__()
        self.db = db

    async def post_answer(self, thread_id, card):
        message_id = await super().post_answer(thread_id, card)
        await self.db.execute("ALTER TABLE shares RENAME COLUMN posted_message_id TO posted_message_id_away")
        return message_id


async def test_a_card_posted_but_not_recorded_is_taken_back_and_the_member_told_the_truth(daily, bank_db, clock):
    await daily.setup(G, 222, "09:00", "Europe/Berlin", "group")
    prompt = await daily.post_now(G, nonce="t")
    port = RefusesWritesAfterPosting(bank_db)
    outcome = await AnswerService(bank_db, clock, port).submit(prompt, "A question?", 5, "sam", None, "my words", "group")
    await bank_db.execute("ALTER TABLE shares RENAME COLUMN posted_message_id_away TO posted_message_id")
    assert "took the post back" in outcome.message and "posted in the day's thread" not in outcome.message
    assert port.answers == {} and len(port.deleted) == 1, "nothing in the thread that Kindred can't later remove"
    row = await bank_db.fetchone("SELECT text, posted_message_id FROM shares")
    assert tuple(row) == ("my words", None), "the answer itself is saved"


async def test_the_use_counts_the_pick_reads_follow_every_prompt(bank_db, clock):
    """question_uses is kept by a trigger: after daily and extra posts in two servers it says what
    counting the prompts says."""
    await _ask(bank_db, clock, G, "group", 30, random.Random(5))
    await _ask(bank_db, clock, OTHER, "partner", 7, random.Random(6))
    await bank_db.execute("INSERT INTO prompts (guild_id, kind, local_date, question_id, channel_id, created_at) "
                          "SELECT guild_id, 'extra', local_date, question_id, 1, 'x' FROM prompts WHERE guild_id = ?", (OTHER,))
    counted = await bank_db.fetchall("SELECT guild_id, question_id, COUNT(*) FROM prompts GROUP BY 1, 2 ORDER BY 1, 2")
    kept = await bank_db.fetchall("SELECT guild_id, question_id, uses FROM question_uses ORDER BY 1, 2")
    assert [tuple(r) for r in kept] == [tuple(r) for r in counted] and max(r[2] for r in kept) == 2


async def test_a_database_from_before_the_use_counts_gets_them_from_its_history(tmp_path):
    import sqlite3

    from bot.storage import Database, migrations

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for version, _name, sql in migrations()[:9]:
        conn.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")
    conn.execute("INSERT INTO questions (id, bank_key, text, category, created_at) VALUES (1, 'a', 'A question?', 'fun', 'x')")
    for day in range(3):
        conn.execute("INSERT INTO prompts (guild_id, kind, local_date, question_id, channel_id, created_at) "
                     "VALUES (?, 'daily', ?, 1, 1, 'x')", (G, f"2026-01-0{day + 1}"))
    conn.close()
    db = await Database.open(path)
    try:
        assert tuple(await db.fetchone("SELECT guild_id, question_id, uses FROM question_uses")) == (G, 1, 3)
    finally:
        await db.close()
