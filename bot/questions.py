"""The question bank in data/ plus each server's own questions, and choosing the day's question.

The bank is `data/questions.json` (ids, categories, depth, audience and the English text) and one
`data/questions/<language>.json` per other language, `{"language": ..., "questions": {id: text}}`:
every language under the same question id, so no question repeats when a server changes language."""
from __future__ import annotations

import asyncio
import dataclasses
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from . import i18n
from .clock import Clock
from .storage import Database, to_db
from .errors import UserError
from .i18n import _

CATEGORIES = ("light", "reflective", "gratitude", "dreams", "memories", "support", "partner", "team", "fun")
AUDIENCES = ("any", "partner", "group")
MODES = ("partner", "group")
BANK_PATH = Path(__file__).resolve().parents[1] / "data" / "questions.json"
TRANSLATIONS_DIR = BANK_PATH.parent / "questions"
QUESTION_MIN, QUESTION_MAX = 10, 300


@dataclass(frozen=True)
class Question:
    id: int
    text: str
    category: str
    depth: int
    audience: str
    status: str
    guild_id: int | None
    author_id: int | None

    @property
    def own(self) -> bool:
        return self.guild_id is not None


def _question(row) -> Question:
    return Question(row["id"], row["text"], row["category"], row["depth"], row["audience"], row["status"],
                    row["guild_id"], row["author_id"])


def load_bank(path: Path = BANK_PATH, translations: Path | None = None) -> list[dict]:
    """Read and check the curated bank, each entry with its `texts` in the other languages; a broken
    file is a clear error at start-up."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["questions"]
    except (OSError, ValueError, KeyError) as exc:
        raise ValueError(f"The question bank {path} can't be read: {exc}") from exc
    for entry in entries:
        if entry.get("category") not in CATEGORIES or entry.get("audience") not in AUDIENCES or entry.get("depth") not in (1, 2, 3):
            raise ValueError(f"The question bank {path} has an invalid entry: {entry!r}")
    texts = load_translations(translations or path.parent / "questions")
    return [{**e, "texts": {lang: bank[e["id"]] for lang, bank in texts.items() if e["id"] in bank}} for e in entries]


def load_translations(folder: Path = TRANSLATIONS_DIR) -> dict[str, dict[str, str]]:
    """{language: {question id: text}} from `folder/<language>.json`, for the languages Kindred speaks."""
    found = {}
    for file in sorted(folder.glob("*.json")):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            language, texts = data["language"], data["questions"]
        except (OSError, ValueError, KeyError) as exc:
            raise ValueError(f"The question bank {file} can't be read: {exc}") from exc
        if language != file.stem or language not in i18n.available():
            raise ValueError(f"{file} says it is {language!r}; it must be named for a language Kindred speaks "
                             f"({', '.join(i18n.available())})")
        found[language] = texts
    return found


async def sync_bank(db: Database, clock: Clock, entries: list[dict]) -> int:
    """Make the bank rows match the file: new ones added, edits applied, removed ones retired."""
    now = to_db(clock.now())
    async with db.transaction() as conn:
        await conn.executemany(
            """INSERT INTO questions (bank_key, text, category, depth, audience, status, created_at)
               VALUES (?, ?, ?, ?, ?, 'active', ?)
               ON CONFLICT (bank_key) DO UPDATE SET text = excluded.text, category = excluded.category,
                   depth = excluded.depth, audience = excluded.audience, status = 'active'""",
            [(e["id"], e["text"], e["category"], e["depth"], e["audience"], now) for e in entries],
        )
        await conn.execute("DELETE FROM question_texts WHERE question_id IN "
                           "(SELECT id FROM questions WHERE bank_key IS NOT NULL)")
        await conn.executemany(
            "INSERT INTO question_texts (question_id, language, text) "
            "SELECT id, ?, ? FROM questions WHERE bank_key = ?",
            [(language, text, e["id"]) for e in entries for language, text in e.get("texts", {}).items()],
        )
        keys = [e["id"] for e in entries]
        await conn.execute(
            f"UPDATE questions SET status = 'removed' WHERE bank_key IS NOT NULL AND bank_key NOT IN ({','.join('?' * len(keys))})",
            keys,
        )
    return len(entries)


def _excluded(mode: str) -> tuple[str, str]:
    """(audience, category) a server in `mode` never gets: couples get no team questions, groups no partner ones."""
    return ("group", "team") if mode == "partner" else ("partner", "partner")


def _in_language(language_param: str) -> str:
    """`SELECT` a question with its text in the language bound to `language_param` (the bank's
    translation when it has one, else the text as written), `FROM questions q`: callers add the WHERE."""
    return ("SELECT q.id, COALESCE(t.text, q.text) AS text, q.category, q.depth, q.audience, q.status, q.guild_id, "
            "q.author_id FROM questions q LEFT JOIN question_texts t ON t.question_id = q.id "
            f"AND t.language = {language_param}")


class Bank:
    """The curated bank's active questions with their texts in every language, read from the
    database on first use and kept: only `sync_bank` changes them, and it runs as a process starts.
    Choosing the day's question then reads only the server's own rows (see `pick`)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._eligible: dict[str, list[Question]] | None = None  # by mode, in id order
        self._texts: dict[int, dict[str, str]] = {}  # question id -> {language: text}
        self._loading = asyncio.Lock()  # the first posts of a fan-out all want it at once: one read

    async def _load(self) -> dict[str, list[Question]]:
        if self._eligible is not None:
            return self._eligible
        async with self._loading:
            if self._eligible is not None:
                return self._eligible
            rows = await self.db.fetchall("SELECT * FROM questions WHERE guild_id IS NULL AND status = 'active' ORDER BY id")
            texts = await self.db.fetchall(
                "SELECT t.question_id, t.language, t.text FROM question_texts t JOIN questions q ON q.id = t.question_id "
                "WHERE q.guild_id IS NULL AND q.status = 'active'")
            self._texts = {}
            for t in texts:
                self._texts.setdefault(t["question_id"], {})[t["language"]] = t["text"]
            bank = [_question(r) for r in rows]
            self._eligible = {mode: [q for q in bank if _eligible(q, mode)] for mode in MODES}
        return self._eligible

    async def pick(self, guild_id: int, mode: str, rng: random.Random, language: str = i18n.DEFAULT) -> Question:
        """The least-used eligible question (so none repeats until all were asked), the server's own
        first among equals, in a different category from the last post when possible, chosen at
        random among those; its text in `language` (see `get`)."""
        bank = (await self._load())[mode]
        rows = await self.db.fetchall(_SERVER_SIDE, (guild_id, *_excluded(mode)))
        uses, last, own = {}, None, []
        for part, qid, n, text, category, depth, audience, author in rows:
            if part == "used":
                uses.update(dict.fromkeys(map(int, text.split(",")), n))
            elif part == "own":
                own.append(Question(qid, text, category, depth, audience, "active", guild_id, author))
            else:
                last = category

        # Narrowed by each rank in turn: the least used, the server's own, not the last category.
        if not own and not bank:
            raise UserError(_("There are no questions to ask: the bank is empty. Add one with `/question add`."))
        if uses:
            fewest = min(uses.get(q.id, 0) for q in own + bank)
            own = [q for q in own if uses.get(q.id, 0) == fewest]
            bank = [q for q in bank if uses.get(q.id, 0) == fewest]
        tier = sorted(own, key=lambda q: q.id) or bank  # the bank's are in id order already
        tier = [q for q in tier if q.category != last] or tier
        chosen = tier[rng.randrange(2 ** 31) % len(tier)]
        text = self._texts.get(chosen.id, {}).get(language) if not chosen.own else None
        return dataclasses.replace(chosen, text=text) if text else chosen


def _eligible(q: Question, mode: str) -> bool:
    audience, category = _excluded(mode)
    return q.audience != audience and q.category != category


# The server's side of choosing its question, in one statement: its own eligible questions, how often
# it was asked each question (question_uses, kept from prompts by a trigger: a row per count, with the
# ids asked that often, so a server a year in reads three rows, not 240), and the category of the last
# one it was asked.
_SERVER_SIDE = """
SELECT 'own' AS part, id, 0 AS n, text, category, depth, audience, author_id FROM questions
 WHERE guild_id = ?1 AND status = 'active' AND audience <> ?2 AND category <> ?3
UNION ALL
SELECT 'used', NULL, uses, group_concat(CAST(question_id AS TEXT)), NULL, NULL, NULL, NULL FROM question_uses
 WHERE guild_id = ?1 GROUP BY uses
UNION ALL
SELECT 'last', id, 0, NULL, category, NULL, NULL, NULL FROM questions
 WHERE id = (SELECT question_id FROM prompts WHERE id = (SELECT MAX(id) FROM prompts WHERE guild_id = ?1))"""


def _normalise(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.casefold()).strip()


def clean_question(raw: str) -> str:
    text = " ".join((raw or "").split())
    if len(text) < QUESTION_MIN:
        raise UserError(_("A question needs at least {min} characters. Try something open, like \"What are you looking forward to this week?\"",
                          min=QUESTION_MIN))
    if len(text) > QUESTION_MAX:
        raise UserError(_("That question is {count} characters; keep it under {max} so it reads well as a prompt.",
                          count=len(text), max=QUESTION_MAX))
    return text


async def add(db: Database, clock: Clock, guild_id: int, author_id: int, raw: str, category: str | None,
              status: str = "active") -> Question:
    """A server's own question (or, with status 'suggested', a member's suggestion awaiting approval)."""
    text = clean_question(raw)
    category = category or "reflective"
    if category not in CATEGORIES:
        raise UserError(_("{category} isn't a category. Choose one of: {categories}.", category=repr(category),
                          categories=", ".join(CATEGORIES)))
    existing = await db.fetchall(
        "SELECT text FROM questions WHERE status IN ('active', 'suggested') AND (guild_id IS NULL OR guild_id = ?)",
        (guild_id,),
    )
    if any(_normalise(r["text"]) == _normalise(text) for r in existing):
        raise UserError(_("That question is already in this server's rotation (or waiting for approval)."))
    audience = {"partner": "partner", "team": "group"}.get(category, "any")
    async with db.transaction() as conn:
        cur = await conn.execute(
            """INSERT INTO questions (guild_id, text, category, depth, audience, status, author_id, created_at)
               VALUES (?, ?, ?, 2, ?, ?, ?, ?) RETURNING id""",
            (guild_id, text, category, audience, status, author_id, to_db(clock.now())),
        )
        qid = (await cur.fetchone())["id"]
    return Question(qid, text, category, 2, audience, status, guild_id, author_id)


async def get(db: Database, guild_id: int, question_id: int, language: str = i18n.DEFAULT) -> Question | None:
    """A question this server may see: the bank's or its own (never another server's); a bank question's
    text in `language` when the bank has it (a server's own questions are in the words they were written in)."""
    row = await db.fetchone(_in_language("?1") + " WHERE q.id = ?2 AND (q.guild_id IS NULL OR q.guild_id = ?3)",
                            (language, question_id, guild_id))
    return _question(row) if row else None


async def own(db: Database, guild_id: int) -> list[Question]:
    """The server's own active questions and pending suggestions, oldest first."""
    rows = await db.fetchall(
        "SELECT * FROM questions WHERE guild_id = ? AND status IN ('active', 'suggested') ORDER BY id", (guild_id,)
    )
    return [_question(r) for r in rows]


async def remove(db: Database, guild_id: int, question_id: int) -> Question:
    question = await get(db, guild_id, question_id)
    if question is None or question.status in ("removed", "rejected"):
        raise UserError(_("There's no question #{id} in this server. `/question list` shows the ids.", id=question_id))
    if not question.own:
        raise UserError(_("#{id} is from Kindred's built-in bank; only this server's own questions can be removed.",
                          id=question_id))
    await db.execute("UPDATE questions SET status = 'removed' WHERE id = ? AND guild_id = ?", (question_id, guild_id))
    return question


async def decide_suggestion(db: Database, guild_id: int, question_id: int, approve: bool) -> Question:
    """Approve (into the rotation) or reject a pending suggestion, once."""
    status = "active" if approve else "rejected"
    changed = await db.execute(
        "UPDATE questions SET status = ? WHERE id = ? AND guild_id = ? AND status = 'suggested'",
        (status, question_id, guild_id),
    )
    question = await get(db, guild_id, question_id)
    if question is None:
        raise UserError(_("That suggestion no longer exists."))
    if not changed:
        raise UserError({"active": _("That suggestion was already approved."),
                         "rejected": _("That suggestion was already rejected.")}.get(
                             question.status, _("That suggestion was already removed.")))
    return question


async def set_notice(db: Database, question_id: int, channel_id: int, message_id: int) -> None:
    """Where Kindred announced a member's suggestion (the notice names them; /forget deletes it)."""
    await db.execute("UPDATE questions SET notice_channel_id = ?, notice_message_id = ? WHERE id = ?",
                     (channel_id, message_id, question_id))
