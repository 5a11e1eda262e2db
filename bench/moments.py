"""Share reading throughput on one core: bot.reading.read_share (the learned reader) and, in the same
run on the same shares, the word-list reader it replaced (bench/legacy_moments.py) and the naive
pipeline (dateparser's search_dates and VADER on every share).

Two kinds of input: the benchmark's generated English shares (bench/corpus.py: "mixed" is 80% small
talk, "dated" all name a date), and the labelled corpus in five languages (data/corpus: "corpus mixed"
draws 80% from small talk and hard negatives, 20% from shares worth a follow-up; "corpus dated" all
carry a labelled event date). Steady state is what a running bot sees: models loaded, caches warm, so
each set is read once untimed first. The agreement lines say how often each reader's follow-up
decision matches the labels on the corpus's held-out split (its per-language figures are in the README).
"""
from __future__ import annotations

import itertools
import os
import random
import time
from contextlib import contextmanager
from datetime import datetime

from bot import reading
from bot.reading import corpus as labelled
from bot.reading import prefilter
from bot.reading.text import fold

from . import corpus, legacy_moments
from .runner import Report

NAME = "moments"
TITLE = "shares read per second, one core (bot.reading.read_share; the word-list reader beside it)"


@contextmanager
def one_core():
    """Pin this process to one CPU for the duration (reading is single-threaded anyway)."""
    if not hasattr(os, "sched_setaffinity"):
        yield None
        return
    before = os.sched_getaffinity(0)
    cpu = max(before)
    os.sched_setaffinity(0, {cpu})
    try:
        yield cpu
    finally:
        os.sched_setaffinity(0, before)


def _rate(shares: list[tuple[str, datetime, str]], analyse) -> float:
    start = time.perf_counter()
    for text, now, tz in shares:
        analyse(text, now, tz)
    return len(shares) / (time.perf_counter() - start)


def naive_pipeline():
    """What one would write first: search every share for dates, score every share's sentiment."""
    from dateparser.search import search_dates
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()

    def analyse(text: str, now: datetime, tz: str):
        local = now.astimezone(legacy_moments._zone(tz)).replace(tzinfo=None)
        found = search_dates(text, languages=["en"], settings={"RELATIVE_BASE": local, "PREFER_DATES_FROM": "future"})
        return found, analyzer.polarity_scores(text)["compound"]

    return analyse


def corpus_sets(count: int, seed: int = 31) -> tuple[list, list, list]:
    """(mixed, dated, held-out examples) from the labelled corpus, drawn up to `count` shares."""
    examples = labelled.load()
    rng = random.Random(seed)
    positives = [e for e in examples if e.follow_up]
    others = [e for e in examples if not e.follow_up]
    mixed = [rng.choice(positives) if rng.random() < 0.2 else rng.choice(others) for _ in range(count)]
    dated_pool = [e for e in examples if e.event_date is not None]
    dated = [rng.choice(dated_pool) for _ in range(count)]
    as_args = lambda es: [(e.text, e.now, e.timezone) for e in es]  # noqa: E731
    return as_args(mixed), as_args(dated), labelled.split(examples)[1]


def _agreement(examples, read) -> float:
    return sum(read(e.text, e.now, e.timezone).follow_up == e.follow_up for e in examples) / len(examples)


def run(quick: bool) -> Report:
    report = Report(NAME, TITLE)
    runs = 3 if quick else 5
    mixed = corpus.mixed(2_000 if quick else 20_000)
    dated = corpus.dated(500 if quick else 5_000)
    c_mixed, c_dated, c_examples = corpus_sets(1_000 if quick else 10_000)
    naive_mixed = corpus.mixed(30 if quick else 300, seed=21)
    report.params = {"mixed_shares": len(mixed), "dated_shares": len(dated), "corpus_mixed_shares": len(c_mixed),
                     "corpus_dated_shares": len(c_dated), "naive_mixed_shares": len(naive_mixed), "runs": runs}

    readers = {"": reading.read_share, "word lists: ": legacy_moments.read_share}
    sets = {"mixed": mixed, "dated": dated, "corpus mixed": c_mixed, "corpus dated": c_dated}
    rates: dict[str, list[float]] = {}
    with one_core() as cpu:
        report.params["cpu"] = cpu
        for (prefix, read), (name, shares) in itertools.product(readers.items(), sets.items()):
            _rate(shares, read)  # loads models and libraries, warms caches
            rates[prefix + name] = [_rate(shares, read) for _ in range(runs)]
        naive = naive_pipeline()
        _rate(naive_mixed[:5], naive)
        naive_rates = [_rate(naive_mixed, naive) for _ in range(max(2, runs - 2))]

    targets = {"mixed": (">=", 8000), "dated": (">=", 1500), "corpus mixed": (">=", 8000),
               "corpus dated": (">=", 1500)}
    for key, values in rates.items():
        report.add(key, values, "shares/s", targets.get(key))
    report.add("naive mixed", naive_rates, "shares/s")
    naive_median = sorted(naive_rates)[len(naive_rates) // 2]
    report.add("mixed vs naive", [r / naive_median for r in rates["mixed"]], "x", (">=", 5))
    report.add("mixed: us per share", [1e6 / r for r in rates["mixed"]], "us")
    report.add("corpus dated: us per share", [1e6 / r for r in rates["corpus dated"]], "us")
    through = sum(prefilter.may_have_date(fold(t)) for t, _, _ in mixed) / len(mixed)
    report.add("mixed: through the date pre-filter", through * 100, "%")
    report.add("corpus mixed: through the date pre-filter",
               sum(prefilter.may_have_date(fold(t)) for t, _, _ in c_mixed) / len(c_mixed) * 100, "%")
    report.add("held out: decisions matching the labels", _agreement(c_examples, reading.read_share) * 100, "%")
    report.add("word lists: held out: decisions matching the labels",
               _agreement(c_examples, legacy_moments.read_share) * 100, "%")
    return report
