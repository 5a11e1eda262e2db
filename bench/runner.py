"""The small runner every benchmark shares: timing, median/min/max, the table, the JSON.

A benchmark module has `NAME`, `TITLE` and `run(quick: bool) -> Report`. It measures and prints;
it never asserts. A target is shown next to each figure, with whether it was met, for the reader.
"""
from __future__ import annotations

import json
import logging
import os
import platform
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

# The same format `python -m bot` logs with, at INFO: formatting the log lines is part of the cost.
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging() -> None:
    """Log at INFO as the bot does, into /dev/null: the work is counted, the terminal stays readable."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the process
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


# ------------------------------------------------------------------------------------------ figures

_COMPARE = {">=": lambda v, t: v >= t, "<=": lambda v, t: v <= t}


@dataclass
class Figure:
    """One measured quantity: its samples (one per run) and, when it has one, its target."""
    name: str
    unit: str
    samples: list[float]
    target: tuple[str, float] | None = None  # (">=" or "<=", value)
    note: str = ""

    @property
    def median(self) -> float:
        return float(statistics.median(self.samples))

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        op, value = self.target
        return _COMPARE[op](self.median, value)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"unit": self.unit, "median": self.median, "min": float(min(self.samples)),
                               "max": float(max(self.samples)), "runs": len(self.samples),
                               "samples": [float(s) for s in self.samples]}
        if self.target is not None:
            out["target"] = f"{self.target[0]} {self.target[1]:g}"
            out["met"] = self.met
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class Report:
    """What one benchmark found."""
    name: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, name: str, samples: Iterable[float] | float, unit: str, target: tuple[str, float] | None = None,
            note: str = "") -> Figure:
        values = [float(samples)] if isinstance(samples, (int, float)) else [float(s) for s in samples]
        if not values:
            raise ValueError(f"{self.name}/{name}: no samples")
        figure = Figure(name, unit, values, target, note)
        self.figures.append(figure)
        print(f"  {name:<34} {format_row(figure)}", flush=True)
        return figure

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  note: {text}", flush=True)

    def figure(self, name: str) -> Figure:
        return next(f for f in self.figures if f.name == name)

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "seconds": round(self.seconds, 2), "params": self.params,
                "figures": {f.name: f.as_dict() for f in self.figures}, "notes": self.notes}


# ------------------------------------------------------------------------------------------ timing

def timed(func: Callable[[], Any]) -> float:
    """Wall seconds one call of `func` took."""
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def percentile(values: list[float], pct: float) -> float:
    """Linear-interpolated percentile (pct in 0..100) of `values`."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100.0
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


# ------------------------------------------------------------------------------------------ output

def fmt(value: float) -> str:
    if value != value:  # NaN
        return "n/a"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def _status(figure: Figure) -> str:
    if figure.met is None:
        return ""
    return "met" if figure.met else "MISSED"


def format_row(figure: Figure) -> str:
    target = f"{figure.target[0]} {fmt(figure.target[1])}" if figure.target else ""
    spread = f"[{fmt(min(figure.samples))} .. {fmt(max(figure.samples))}]" if len(figure.samples) > 1 else ""
    return f"{fmt(figure.median):>10} {figure.unit:<10} {spread:<22} {target:<10} {_status(figure)}"


def print_table(reports: list[Report]) -> None:
    header = ("benchmark", "figure", "median", "min", "max", "unit", "target", "")
    rows = [header]
    for report in reports:
        for f in report.figures:
            target = f"{f.target[0]} {fmt(f.target[1])}" if f.target else ""
            rows.append((report.name, f.name, fmt(f.median), fmt(min(f.samples)), fmt(max(f.samples)), f.unit,
                         target, _status(f)))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(header))]
    right = {2, 3, 4}
    lines = []
    for n, row in enumerate(rows):
        cells = [str(c).rjust(widths[i]) if i in right else str(c).ljust(widths[i]) for i, c in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    print("\n".join(lines))


def _cpu_model() -> str:
    with suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _memory_total_mb() -> float | None:
    with suppress(OSError), open("/proc/meminfo", encoding="ascii") as info:
        for line in info:
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024)
    return None


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def reference_ms(loops: int = 1_000_000, rows: int = 20_000) -> float:
    """How fast this machine is, to set runs on different machines side by side: the CPU time of a
    fixed workload of the kinds Kindred's consists of (Python bytecode, SQLite statements), best of
    three, in ms. The same code's figures scale roughly with it."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        total = 0
        for i in range(loops):
            total += i * 3 % 7
        with sqlite3.connect(":memory:") as db:
            db.execute("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)")
            for i in range(rows):
                db.execute("INSERT INTO t (b) VALUES (?)", (str(i),))
            db.execute("SELECT count(*), max(b) FROM t").fetchone()
        best = min(best, time.process_time() - start)
    return round(best * 1000, 1)


def machine(reference: dict[str, float] | None = None) -> dict[str, Any]:
    """`reference`: `reference_ms()` as measured before and after the benchmarks."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_mb": _memory_total_mb(),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "python_implementation": platform.python_implementation(),
        "sqlite": sqlite3.sqlite_version,
        "packages": {p: _version(p) for p in ("discord.py", "aiosqlite", "asyncpg", "APScheduler", "SQLAlchemy", "dateparser",
                                              "vaderSentiment")},
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **({"reference_ms": reference} if reference else {}),
    }


def write_json(path: Path, reports: list[Report], errors: dict[str, str], quick: bool, seconds: float,
               reference: dict[str, float] | None = None) -> None:
    document = {
        "machine": machine(reference),
        "quick": quick,
        "seconds": round(seconds, 1),
        "benchmarks": {r.name: r.as_dict() for r in reports},
    }
    if errors:
        document["errors"] = errors
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
