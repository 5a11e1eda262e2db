"""Mechanical checks for the curated daily question bank (data/questions.json)."""

from __future__ import annotations

import difflib
import itertools
import json
import re
import string
from collections import Counter
from pathlib import Path

import pytest

BANK_PATH = Path(__file__).resolve().parents[1] / "data" / "questions.json"

CATEGORIES = {
    "light",
    "reflective",
    "gratitude",
    "dreams",
    "memories",
    "support",
    "partner",
    "team",
    "fun",
}
MIN_PER_CATEGORY = {category: 20 for category in CATEGORIES} | {"partner": 25, "team": 25}
DEPTHS = {1, 2, 3}
AUDIENCES = {"any", "partner", "group"}
FULL_DEPTH_CATEGORIES = CATEGORIES - {"light", "fun"}
MIN_TOTAL = 200
MIN_LEN, MAX_LEN = 20, 200
FORBIDDEN_CHARS = set("@*_`~|>")
FORBIDDEN_PHRASES = ("how was your day", "how are you")
ID_RE = re.compile(r"^(?P<category>[a-z]+)-(?P<number>\d{3})$")
# Covers the main emoji / pictograph blocks plus variation selectors and ZWJ.
EMOJI_RE = re.compile(
    "["
    "\U0001f000-\U0001faff"
    "\U00002600-\U000027bf"
    "\U00002b00-\U00002bff"
    "\U0000fe00-\U0000fe0f"
    "\U0000200d"
    "]"
)
NEAR_DUPLICATE_RATIO = 0.85

_PUNCT_TABLE = str.maketrans("", "", string.punctuation + "\u2018\u2019\u201c\u201d")


def _normalise(text: str) -> str:
    return " ".join(text.casefold().translate(_PUNCT_TABLE).split())


def _load() -> dict:
    with BANK_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


BANK = _load()
QUESTIONS = BANK["questions"]


def _ids(questions: list[dict]) -> list[str]:
    return [q.get("id", "?") for q in questions]


def test_file_is_utf8_and_top_level_shape() -> None:
    BANK_PATH.read_bytes().decode("utf-8")
    assert set(BANK) == {"version", "questions"}
    assert BANK["version"] == 1
    assert isinstance(QUESTIONS, list)


def test_minimum_total_count() -> None:
    assert len(QUESTIONS) >= MIN_TOTAL


@pytest.mark.parametrize("question", QUESTIONS, ids=_ids(QUESTIONS))
def test_question_fields(question: dict) -> None:
    assert set(question) == {"id", "text", "category", "depth", "audience"}
    assert isinstance(question["id"], str)
    assert isinstance(question["text"], str)
    assert question["category"] in CATEGORIES
    assert type(question["depth"]) is int and question["depth"] in DEPTHS
    assert question["audience"] in AUDIENCES


@pytest.mark.parametrize("question", QUESTIONS, ids=_ids(QUESTIONS))
def test_id_format_matches_category(question: dict) -> None:
    match = ID_RE.match(question["id"])
    assert match, question["id"]
    assert match["category"] == question["category"]
    assert int(match["number"]) >= 1


@pytest.mark.parametrize("question", QUESTIONS, ids=_ids(QUESTIONS))
def test_text_rules(question: dict) -> None:
    text = question["text"]
    assert MIN_LEN <= len(text) <= MAX_LEN, len(text)
    assert text == text.strip()
    assert "\n" not in text
    assert text.endswith("?")
    assert text.count("?") == 1, "must be a single question"
    assert not (set(text) & FORBIDDEN_CHARS), set(text) & FORBIDDEN_CHARS
    assert not EMOJI_RE.search(text)
    lowered = text.casefold()
    for phrase in FORBIDDEN_PHRASES:
        assert phrase not in lowered, phrase


def test_categories_are_exactly_the_allowed_set() -> None:
    assert {q["category"] for q in QUESTIONS} == CATEGORIES


def test_per_category_minimums() -> None:
    counts = Counter(q["category"] for q in QUESTIONS)
    short = {c: counts[c] for c, minimum in MIN_PER_CATEGORY.items() if counts[c] < minimum}
    assert not short, short


def test_full_depth_categories_cover_all_depths() -> None:
    for category in FULL_DEPTH_CATEGORIES:
        depths = {q["depth"] for q in QUESTIONS if q["category"] == category}
        assert depths == DEPTHS, (category, depths)


def test_overall_depth_distribution_is_roughly_balanced() -> None:
    counts = Counter(q["depth"] for q in QUESTIONS)
    total = len(QUESTIONS)
    share = {depth: counts[depth] / total for depth in DEPTHS}
    assert 0.32 <= share[1] <= 0.48, share
    assert 0.32 <= share[2] <= 0.48, share
    assert 0.14 <= share[3] <= 0.26, share


def test_partner_and_team_audiences() -> None:
    for q in QUESTIONS:
        if q["category"] == "partner":
            assert q["audience"] == "partner", q["id"]
        if q["category"] == "team":
            assert q["audience"] == "group", q["id"]


def test_other_categories_are_mostly_any() -> None:
    others = [q for q in QUESTIONS if q["category"] not in {"partner", "team"}]
    counts = Counter(q["audience"] for q in others)
    assert counts["any"] / len(others) >= 0.75, counts
    assert counts["group"] > 0 and counts["partner"] > 0, counts


def test_ids_are_unique() -> None:
    duplicates = [i for i, n in Counter(q["id"] for q in QUESTIONS).items() if n > 1]
    assert not duplicates, duplicates


def test_normalised_texts_are_unique() -> None:
    counts = Counter(_normalise(q["text"]) for q in QUESTIONS)
    duplicates = [t for t, n in counts.items() if n > 1]
    assert not duplicates, duplicates


def test_no_near_duplicate_texts() -> None:
    normalised = [(q["id"], _normalise(q["text"])) for q in QUESTIONS]
    offenders = []
    for (id_a, a), (id_b, b) in itertools.combinations(normalised, 2):
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        if matcher.real_quick_ratio() < NEAR_DUPLICATE_RATIO:
            continue
        if matcher.quick_ratio() < NEAR_DUPLICATE_RATIO:
            continue
        if matcher.ratio() >= NEAR_DUPLICATE_RATIO:
            offenders.append((id_a, id_b))
    assert not offenders, offenders


def test_normalise_helper() -> None:
    assert _normalise("What's  UP, friend?") == _normalise("whats up friend")
