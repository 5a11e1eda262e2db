"""Log set-up: Kindred's own events at `KINDRED_LOG_LEVEL`, one line each, as text or JSON lines.

Libraries stay at WARNING (DEBUG lets their INFO through): APScheduler would otherwise log two
lines per sweep, and discord.py warns at every start that voice support isn't installed, which
Kindred never uses. The loggers that would dump payloads (members' words) never go below INFO
unless KINDRED_LOG_PAYLOADS asks (see `bot.log_privacy`).
"""
from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone

from ..log_privacy import hold_payload_loggers

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LIBRARIES = ("apscheduler", "discord", "aiosqlite", "asyncio", "dateparser")
_VOICE = ("PyNaCl is not installed", "davey is not installed")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _not_about_voice(record: logging.LogRecord) -> bool:
    return not (record.name == "discord.client" and record.getMessage().startswith(_VOICE))


def configure(level: str = "INFO", fmt: str = "text", stream=None, payloads: bool = False) -> None:
    """Send every log line to `stream` (stderr by default) in `fmt` ("text" or "json")."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(_not_about_voice)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    quiet = logging.INFO if logging.getLevelName(level) <= logging.DEBUG else logging.WARNING
    for name in LIBRARIES:
        logging.getLogger(name).setLevel(quiet)
    hold_payload_loggers(payloads, floor=quiet)
