"""The figures as a picture: a PNG drawn with matplotlib (Agg, no display). matplotlib is imported
on the first picture, never at start-up (see bench/stats_chart.py for what it costs), and drawing
runs in a worker thread so the bot's loop keeps serving."""
from __future__ import annotations

import asyncio
import io

from ..i18n import DEFAULT
from .figures import Figures
from .words import say

SIZE_IN, DPI = (8.0, 3.6), 100  # 800 × 360 px: readable in a Discord reply, a few tens of KB
INK, MUTED, GRID, PAPER = "#2b2d31", "#6d6f78", "#e3e5e8", "#ffffff"
ANSWER, STREAK, SENT, ACTED = "#f3c27a", "#e8912d", "#b9c3f7", "#5865f2"


async def picture(figures: Figures, language: str = DEFAULT) -> bytes:
    return await asyncio.to_thread(draw, figures, language)


def draw(figures: Figures, language: str = DEFAULT) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=SIZE_IN, dpi=DPI, facecolor=PAPER)
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(1, 3, left=0.04, right=0.985, top=0.84, bottom=0.1, wspace=0.22)
    answers, nudges = fig.add_subplot(grid[0, :2]), fig.add_subplot(grid[0, 2])
    for ax in (answers, nudges):
        ax.set_facecolor(PAPER)
        ax.spines[["top", "right", "left"]].set_visible(False)
        ax.spines["bottom"].set_color(GRID)
        ax.tick_params(colors=MUTED, labelsize=8, length=0)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
        ax.grid(axis="y", color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)

    counts = [count for _, count in figures.days]
    streak_from = len(counts) - figures.streak_days - (0 if counts[-1] else 1)
    colours = [STREAK if streak_from <= i < len(counts) and count else ANSWER for i, count in enumerate(counts)]
    answers.bar(range(len(counts)), counts, color=colours, width=0.75)
    ticks = [i for i, (day, _) in enumerate(figures.days) if day.weekday() == figures.today.weekday() or i == len(counts) - 1]
    answers.set_xticks(ticks, [say("chart_day", language=language, day=figures.days[i][0]) for i in ticks])
    answers.set_ylim(0, max(counts + [1]) * 1.25)
    answers.set_title(say("chart_answers", language=language), loc="left", color=INK, fontsize=10.5,
                      fontweight="bold")
    answers.text(1, 1.02, say("chart_streak", count=figures.streak_days, language=language),
                 transform=answers.transAxes, ha="right",
                 va="bottom", color=STREAK, fontsize=10, fontweight="bold")

    weeks = figures.weeks
    xs = range(len(weeks))
    nudges.bar([x - 0.2 for x in xs], [w.nudges_sent for w in weeks], width=0.4, color=SENT,
               label=say("chart_sent", language=language))
    nudges.bar([x + 0.2 for x in xs], [w.nudges_acted_on for w in weeks], width=0.4, color=ACTED,
               label=say("chart_acted_on", language=language))
    nudges.set_xticks(list(xs), [say("chart_week_of", language=language, start=w.start) for w in weeks])
    nudges.set_ylim(0, max([w.nudges_sent for w in weeks] + [1]) * 1.35)
    nudges.set_title(say("chart_nudges", language=language), loc="left", color=INK, fontsize=10.5, fontweight="bold")
    nudges.legend(frameon=False, fontsize=8, labelcolor=MUTED, loc="upper left", ncols=2)

    period = say("period", language=language, start=weeks[0].start, end=weeks[-1].end)
    fig.text(0.04, 0.955, f"{say('title', language=language)} · {period}", color=MUTED,
             fontsize=9, va="top")
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, facecolor=PAPER, metadata={"Software": None})
    return out.getvalue()
