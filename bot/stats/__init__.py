"""The server's last four weeks at a glance, counting only what members may see: the figures, the
picture (a PNG) and the same figures as short text for screen readers.

    figures = await stats.four_weeks(db, clock, guild_id, timezone)
    png = await stats.picture(figures)          # drawn in a worker thread
    stats.summary(figures), stats.alt_text(figures)
"""
from __future__ import annotations

from .chart import picture
from .figures import Figures, Week, four_weeks
from .summary import alt_text, summary

__all__ = ["Figures", "Week", "alt_text", "four_weeks", "picture", "summary"]
