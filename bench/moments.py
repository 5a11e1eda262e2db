"""Share analysis throughput on one core: bot.moments.read_share over a realistic mix and over
dated shares alone, next to the naive pipeline (dateparser's search_dates and VADER on every share).

Steady state is what a running bot sees: the libraries are loaded and the cache of calendar spans
("dec 3") is warm, so each run is preceded by an untimed pass. "dated, cold cache" clears that cache
before each run: the cost of spans seen for the first time."""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from datetime import datetime

from bot import moments

from . import corpus
from .runner import Report

NAME = "moments"
TITLE = "shares analysed per second, one core (bot.moments.read_share)"


@contextmanager
def one_core():
    """Pin this process to one CPU for the duration (the analysis is single-threaded anyway)."""
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


def _clear_span_cache() -> bool:
    cached = getattr(moments, "_month_and_day", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()
        return True
    return False


def naive_pipeline():
    """What one would write first: search every share for dates, score every share's sentiment."""
    from dateparser.search import search_dates
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()

    def analyse(text: str, now: datetime, tz: str):
        local = now.astimezone(moments._zone(tz)).replace(tzinfo=None)
        found = search_dates(text, languages=["en"], settings={"RELATIVE_BASE": local, "PREFER_DATES_FROM": "future"})
        return found, analyzer.polarity_scores(text)["compound"]

    return analyse


def run(quick: bool) -> Report:
    report = Report(NAME, TITLE)
    runs = 3 if quick else 5
    mixed = corpus.mixed(2_000 if quick else 20_000)
    dated = corpus.dated(500 if quick else 5_000)
    naive_mixed = corpus.mixed(30 if quick else 300, seed=21)
    naive_dated = corpus.dated(20 if quick else 150, seed=22)
    report.params = {"mixed_shares": len(mixed), "dated_shares": len(dated), "naive_mixed_shares": len(naive_mixed),
                     "naive_dated_shares": len(naive_dated), "runs": runs}

    passed = sum(any(moments._cues(t.lower())) for t, _, _ in mixed) / len(mixed) if hasattr(moments, "_cues") else float("nan")
    follow = sum(moments.read_share(*s).follow_up for s in mixed) / len(mixed)  # also loads both libraries
    with one_core() as cpu:
        report.params["cpu"] = cpu
        _rate(mixed, moments.read_share)
        mixed_rates = [_rate(mixed, moments.read_share) for _ in range(runs)]
        _rate(dated, moments.read_share)
        dated_rates = [_rate(dated, moments.read_share) for _ in range(runs)]
        cold = []
        for _ in range(runs):
            if not _clear_span_cache():
                break
            cold.append(_rate(dated, moments.read_share))
        naive = naive_pipeline()
        _rate(naive_mixed[:5], naive)
        naive_mixed_rates = [_rate(naive_mixed, naive) for _ in range(max(2, runs - 2))]
        naive_dated_rates = [_rate(naive_dated, naive) for _ in range(max(2, runs - 2))]

    report.add("mixed", mixed_rates, "shares/s", (">=", 8000))
    report.add("dated", dated_rates, "shares/s", (">=", 1500))
    if cold:
        report.add("dated, cold span cache", cold, "shares/s")
    report.add("naive mixed", naive_mixed_rates, "shares/s")
    report.add("naive dated", naive_dated_rates, "shares/s")
    naive_median = sorted(naive_mixed_rates)[len(naive_mixed_rates) // 2]
    report.add("mixed vs naive", [r / naive_median for r in mixed_rates], "x", (">=", 5))
    report.add("dated vs naive dated", [r / sorted(naive_dated_rates)[len(naive_dated_rates) // 2] for r in dated_rates], "x")
    report.add("mixed: through pre-filter", passed * 100, "%")
    report.add("mixed: worth a follow-up", follow * 100, "%")
    report.add("mixed: us per share", [1e6 / r for r in mixed_rates], "us")
    report.add("dated: us per share", [1e6 / r for r in dated_rates], "us")
    return report
