"""The corpus, its split, and the shipped model: well-formed data, held-out figures above a floor in
every language, and a rebuild that gives the shipped file byte for byte."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.reading import corpus, evaluation, reader
from bot.reading.model import model_path, shipped

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ["id", "lang", "text", "now", "timezone", "follow_up", "feelings", "event", "event_date", "kind"]

# The held-out split's figures fall below these only if a change made the reader worse (README has the
# figures themselves; the floors sit a little under them).
F1_FLOOR = {"en": 0.91, "es": 0.92, "pt": 0.91, "fr": 0.91, "de": 0.91, "all": 0.92}
DATES_FLOOR = 0.90
# The same on the fresh test set (data/corpus/fresh.<lang>.jsonl: written after training, never tuned on).
FRESH_F1_FLOOR = {"en": 0.92, "es": 0.93, "pt": 0.94, "fr": 0.91, "de": 0.92, "all": 0.93}


@pytest.fixture(scope="module")
def examples() -> list[corpus.Example]:
    return corpus.load()


def test_corpus_is_well_formed(examples):
    for lang in corpus.LANGUAGES:
        lines = (corpus.CORPUS_DIR / f"shares.{lang}.jsonl").read_text(encoding="utf-8").splitlines()
        for line in lines:
            row = json.loads(line)
            assert list(row) == FIELDS, row["id"]
            assert row["lang"] == lang and row["id"].startswith(lang + "-")
            assert row["kind"] in corpus.KINDS and set(row["feelings"]) <= set(corpus.FEELINGS)
            assert row["follow_up"] == (row["kind"] == "positive"), row["id"]
            ZoneInfo(row["timezone"])
            if row["event_date"]:
                date.fromisoformat(row["event_date"])
    counts = Counter(e.lang for e in examples)
    assert sum(counts.values()) >= 4000 and all(counts[lang] >= 500 for lang in ("es", "pt", "fr", "de"))
    assert len({e.id for e in examples}) == len(examples)
    for lang in corpus.LANGUAGES:
        kinds = Counter(e.kind for e in examples if e.lang == lang)
        assert set(kinds) == set(corpus.KINDS), lang    # every hard negative, in every language


def test_split_holds_out_at_least_a_fifth_of_every_language_and_never_moves(examples):
    training, held = corpus.split(examples)
    for lang in corpus.LANGUAGES:
        share = sum(e.lang == lang for e in held) / sum(e.lang == lang for e in examples)
        assert 0.2 <= share <= 0.3, (lang, share)
    assert not {e.id for e in training} & {e.id for e in held}
    assert corpus.held_out("en-0001") == corpus.held_out("en-0001")
    assert [corpus.held_out(f"es-{n:04d}") for n in range(1, 9)] == \
        [corpus.held_out(f"es-{n:04d}") for n in range(1, 9)]


def _assert_above(floors: dict[str, float], shares: list[corpus.Example]) -> None:
    """The shipped model's F1 per language at or above `floors`, exact dates at or above DATES_FLOOR."""
    model = shipped()
    figures = evaluation.measure(shares, lambda e: reader.read_example(e, model))
    print("\n" + evaluation.table(figures, {}))
    for lang, floor in floors.items():
        assert figures[lang].f1 >= floor, (lang, figures[lang].f1)
        assert figures[lang].dates >= DATES_FLOOR, (lang, figures[lang].dates)


def test_held_out_figures_stay_above_the_floor(examples):
    _, held = corpus.split(examples)
    _assert_above(F1_FLOOR, held)


def test_fresh_test_set_is_well_formed_apart_from_the_corpus_and_above_its_floor(examples):
    fresh = corpus.load_fresh()
    for lang in corpus.LANGUAGES:
        rows = [json.loads(line) for line in
                (corpus.CORPUS_DIR / f"fresh.{lang}.jsonl").read_text(encoding="utf-8").splitlines()]
        assert len(rows) >= 250 and all(list(r) == FIELDS and r["id"].startswith(f"fresh-{lang}-") for r in rows)
        assert {r["kind"] for r in rows} == set(corpus.KINDS), lang
    assert len({e.id for e in fresh}) == len(fresh)
    assert not {e.text.lower() for e in fresh} & {e.text.lower() for e in examples}, "no corpus share in it"
    _assert_above(FRESH_F1_FLOOR, fresh)


def test_the_model_file_is_json_with_what_the_reader_needs():
    data = json.loads(model_path().read_text(encoding="utf-8"))
    assert data["format"] == 1 and data["labels"] == ["follow_up", *corpus.FEELINGS, "screen"]
    assert len(data["bias"]) == len(data["thresholds"]) == len(data["labels"])
    assert data["weights"] and data["events"]


def _numpy_simd() -> str:
    """The CPU features numpy may dispatch to beyond its baseline (AVX2, AVX-512...), by numpy's names."""
    import numpy

    dispatch = getattr(getattr(getattr(numpy, "_core", None), "_multiarray_umath", None), "__cpu_dispatch__", None)
    if dispatch is None:
        pytest.skip("this numpy doesn't list the CPU features it dispatches to")
    return " ".join(dispatch)


@pytest.mark.parametrize("simd", ["this CPU's", "numpy's baseline only"])
def test_training_rebuilds_the_shipped_model_byte_for_byte(simd):
    """On any machine: with numpy's fastest code for this CPU, and with none of it (a machine without
    AVX-512 or AVX2), whose last bits of a logarithm differ."""
    pytest.importorskip("sklearn", reason="training needs scikit-learn (the test extra has it)")
    env = dict(os.environ)
    if simd != "this CPU's":
        env["NPY_DISABLE_CPU_FEATURES"] = _numpy_simd()
    done = subprocess.run([sys.executable, "-m", "bot", "train", "--check"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env=env)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert "identical" in done.stdout
