"""/kindred stats as a picture: what matplotlib costs a running bot, and what one picture costs.

A fresh interpreter measures start-up (bot.app and every extension imported: matplotlib must not be
among them), then the first picture: importing matplotlib's Agg pieces and drawing, with resident
memory before and after. In this process: drawing a picture once matplotlib is loaded, its PNG size,
and the four-week query on a server with a year of answers and nudges.

`python -m bench.stats_chart PATH` draws that server's picture to PATH (the README's example)."""
from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bot import stats
from bot.clock import FakeClock
from bot.storage import Database, to_db
from bot.stats.chart import draw
from bot.stats.figures import Figures, Week

from . import data
from .runner import Report

NAME = "stats_chart"
TITLE = "/kindred stats picture: matplotlib's import and memory, drawing, PNG size"
ROOT = Path(__file__).resolve().parents[1]
GUILD, MEMBERS, DAYS = data.guild_id(1), 6, 365
ZONE = "Europe/Berlin"

CHILD = """
import json, sys, time
from datetime import date
def rss():
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) / 1024 for l in status if l.startswith("VmRSS:"))
began, before = time.perf_counter(), rss()
import importlib, bot.app
for name in bot.app.EXTENSIONS:
    importlib.import_module(name)
started, started_rss, loaded = time.perf_counter(), rss(), "matplotlib" in sys.modules
from bot.stats.chart import draw
from bot.stats.figures import Figures, Week
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
imported, imported_rss = time.perf_counter(), rss()
raw = json.loads(sys.argv[1])
figures = Figures(date.fromisoformat(raw["today"]), tuple((date.fromisoformat(d), n) for d, n in raw["days"]),
                  tuple(Week(date.fromisoformat(w[0]), *w[1:]) for w in raw["weeks"]), raw["streak"])
draw(figures)
drawn, drawn_rss = time.perf_counter(), rss()
print(json.dumps({"startup_s": started - began, "startup_mb": started_rss - before, "matplotlib_at_startup": loaded,
                  "import_s": imported - started, "import_mb": imported_rss - started_rss,
                  "first_draw_s": drawn - imported, "first_draw_mb": drawn_rss - imported_rss}))
"""


def build(path: Path, seed: int = 4) -> None:
    """A group of six over a year: each day's question answered by some (more lately), a few
    privately; check-in nudges most weeks, most acted on."""
    rng = random.Random(seed)
    today = data.NOW.date()
    data.create_schema(path)
    stamp = to_db(data.NOW)
    with data.bulk(path) as conn:
        conn.execute("INSERT INTO guilds (guild_id, channel_id, post_time, timezone, mode, created_at, updated_at) "
                     "VALUES (?, ?, '09:00', ?, 'group', ?, ?)", (GUILD, GUILD + 7, ZONE, stamp, stamp))
        conn.execute("INSERT INTO questions (bank_key, text, category, created_at) VALUES ('b', 'A question?', 'light', ?)",
                     (stamp,))
        for n in range(DAYS):
            day = today - timedelta(days=DAYS - 1 - n)
            cur = conn.execute("INSERT INTO prompts (guild_id, kind, local_date, question_id, channel_id, created_at) "
                               "VALUES (?, 'daily', ?, 1, ?, ?)", (GUILD, day.isoformat(), GUILD + 7, stamp))
            keen = 0.12 + 0.3 * n / DAYS
            for member in range(MEMBERS):
                if rng.random() < keen:
                    visibility = "private" if rng.random() < 0.15 else "group"
                    conn.execute("INSERT INTO shares (guild_id, author_id, prompt_id, source, text, visibility, "
                                 "created_at, updated_at) VALUES (?, ?, ?, 'answer', 'an answer', ?, ?, ?)",
                                 (GUILD, data.user_id(member), cur.lastrowid, visibility, stamp, stamp))
            if rng.random() < 0.35:
                due = to_db(data.NOW - timedelta(days=DAYS - 1 - n, hours=rng.randint(-8, 8)))
                status = rng.choices(("done", "sent", "skipped"), (6, 3, 1))[0]
                recipient, subject = rng.sample(range(MEMBERS), 2)
                conn.execute("INSERT INTO followups (guild_id, recipient_id, subject_id, reason, due_at, status, "
                             "created_at, updated_at) VALUES (?, ?, ?, 'a reason', ?, ?, ?, ?)",
                             (GUILD, data.user_id(recipient), data.user_id(subject), due, status, due, due))


async def _figures(path: Path, runs: int) -> tuple[Figures, list[float]]:
    db = await Database.open(path)
    clock = FakeClock(data.NOW)
    times = []
    try:
        for _ in range(runs + 1):
            began = time.perf_counter()
            figures = await stats.four_weeks(db, clock, GUILD, ZONE)
            times.append(time.perf_counter() - began)
    finally:
        await db.close()
    return figures, times[1:]


def _as_json(figures: Figures) -> str:
    return json.dumps({"today": figures.today.isoformat(), "days": [(d.isoformat(), n) for d, n in figures.days],
                       "weeks": [(w.start.isoformat(), w.answers, w.members_answering, w.nudges_sent, w.nudges_acted_on)
                                 for w in figures.weeks], "streak": figures.streak_days})


def _child(figures: Figures) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, _as_json(figures)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "MPLBACKEND": "Agg"})
    if done.returncode != 0:
        raise RuntimeError(f"the stats child failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(quick: bool) -> Report:
    report = Report(NAME, TITLE)
    runs, children = (5, 2) if quick else (20, 5)
    report.params = {"members": MEMBERS, "days_of_history": DAYS, "runs": runs, "fresh_processes": children}
    with tempfile.TemporaryDirectory(prefix="kindred-bench-") as tmp:
        path = Path(tmp) / "kindred.db"
        build(path)
        figures, queries = asyncio.run(_figures(path, runs))
    fresh = [_child(figures) for _ in range(children)]
    if any(r["matplotlib_at_startup"] for r in fresh):
        report.note("matplotlib was imported at start-up: the lazy import is broken")
    report.add("start-up imports (bot + extensions)", [r["startup_s"] for r in fresh], "s")
    report.add("first picture: import matplotlib", [r["import_s"] for r in fresh], "s")
    report.add("first picture: memory for matplotlib", [r["import_mb"] for r in fresh], "MB")
    report.add("first picture: draw", [r["first_draw_s"] for r in fresh], "s")
    report.add("first picture: memory for drawing", [r["first_draw_mb"] for r in fresh], "MB")
    walls, cpus, sizes = [], [], []
    draw(figures)
    for _ in range(runs):
        began, cpu = time.perf_counter(), time.process_time()
        sizes.append(len(draw(figures)))
        walls.append(time.perf_counter() - began)
        cpus.append(time.process_time() - cpu)
    report.add("later pictures: draw, CPU", cpus, "s", ("<=", 0.5), note="what the bot's process spends")
    report.add("later pictures: draw, wall", walls, "s", note="includes waiting for a busy machine's cores")
    report.add("PNG size", [s / 1024 for s in sizes], "KB", ("<=", 100))
    report.add("four-week query (a year of history)", [q * 1000 for q in queries], "ms", ("<=", 50))
    return report


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m bench.stats_chart PATH.png", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="kindred-bench-") as tmp:
        path = Path(tmp) / "kindred.db"
        build(path)
        figures, _ = asyncio.run(_figures(path, 0))
    Path(argv[0]).write_bytes(draw(figures))
    print(f"{argv[0]}: {stats.summary(figures)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
