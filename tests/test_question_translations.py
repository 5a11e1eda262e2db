"""The bank in every language: each built-in question exists under the same id in every language
Kindred speaks, written for that language, and a server reads it in its own."""
from __future__ import annotations

import json
import random
from datetime import time

import pytest

from bot import guilds, i18n, questions
from bot.localtime import zone

LANGUAGES = i18n.available()[1:]
ENGLISH = {e["id"]: e["text"] for e in json.loads(questions.BANK_PATH.read_text(encoding="utf-8"))["questions"]}
MARKDOWN = set("@*_`~|>")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_question_exists_in_every_language(language):
    path = questions.TRANSLATIONS_DIR / f"{language}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["language"] == language
    texts = data["questions"]
    assert set(texts) == set(ENGLISH), (f"{path.name}: missing {sorted(set(ENGLISH) - set(texts))[:5]}, "
                                        f"unknown {sorted(set(texts) - set(ENGLISH))[:5]}")
    for qid, text in texts.items():
        assert text == text.strip() and "  " not in text, (qid, "stray whitespace")
        assert questions.QUESTION_MIN <= len(text) <= questions.QUESTION_MAX, qid
        assert not MARKDOWN & set(text), (qid, text)
        assert text != ENGLISH[qid], f"{qid} is still English in {language}"
        assert text.rstrip().endswith("?"), (qid, text)
    assert len(set(texts.values())) == len(texts), "no two questions read the same"


def test_the_bank_carries_every_language_under_one_id():
    bank = questions.load_bank()
    assert len(bank) >= 200
    assert all(set(e["texts"]) == set(LANGUAGES) for e in bank)


def test_a_file_for_a_language_kindred_does_not_speak_is_refused(tmp_path):
    (tmp_path / "xx.json").write_text('{"language": "xx", "questions": {}}', encoding="utf-8")
    with pytest.raises(ValueError, match="Kindred speaks"):
        questions.load_translations(tmp_path)


async def test_a_server_reads_the_question_in_its_language_and_no_question_repeats_after_a_change(db, clock):
    bank = questions.load_bank()
    await questions.sync_bank(db, clock, bank)
    [row] = await db.fetchall("SELECT id FROM questions WHERE bank_key = 'light-001'")
    texts = {lang: (await questions.get(db, 1, row["id"], lang)).text for lang in i18n.available()}
    assert texts["en"] == "What small thing made you smile this week?"
    assert texts["de"] == next(e for e in bank if e["id"] == "light-001")["texts"]["de"]
    assert len(set(texts.values())) == len(texts)

    await guilds.save(db, clock, 1, 10, time(9, 0), zone("Europe/Berlin").key, "group", discord_locale="es-ES")
    rng, bank = random.Random(1), questions.Bank(db)
    asked = []
    for n, language in enumerate(["es", "es", "de", "fr"]):
        await guilds.update(db, clock, 1, language=language)
        q = await bank.pick(1, "group", rng, language)
        assert q.text == (await questions.get(db, 1, q.id, language)).text, "picked in the server's language"
        asked.append(q.id)
        await db.execute("INSERT INTO prompts (guild_id, kind, local_date, question_id, channel_id, created_at) "
                         "VALUES (1, 'extra', ?, ?, 10, '2026-11-27T06:00:00Z')", (f"2026-11-{27 + n}", q.id))
    assert len(set(asked)) == 4, "the same ids across languages: nothing asked twice"
