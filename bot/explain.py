"""`python -m bot explain`: show how Kindred reads a share, as one JSON object per share.

    python -m bot explain --now 2026-12-07T10:15 --timezone Europe/Berlin "exam tmrw 😬"
    python -m bot explain --timezone America/New_York --jsonl < shares.jsonl

Each result has the keys follow_up, event_date ("YYYY-MM-DD" or null), event_time ("HH:MM" or null),
feelings, reason, topic (what the Moment holds), then why: language ({"lang", "confidence", "source"}:
"text", or "locale" when the share is too short to tell), score (the follow-up probability, the model's blended with the screen's)
and threshold, rule ("screen" when the words alone settled it: score and threshold are then the
screen's; "no words" for a share of emoji or symbols only, never a follow-up; else null), words (the features
that weighed most, with their weight: a word, "a b" a pair of words, "«abc»" characters), and dates (each mention: span, rule, resolved date or null, past), in that order.
--locale is the member's Discord locale (e.g. es-ES), used when the text is too short. --now is a wall time in --timezone (naive ISO) or an ISO time with
an offset, and defaults to the current time. With --jsonl every input line is {"text": ...,
"now": ..., "timezone": ...} ("now" and "timezone" fall back to the flags) and gets one output line, in
order; a line that can't be read gets {"error": ...} and the rest go on.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .reading import Reading, explain as read

DEFAULT_TIMEZONE = "UTC"


def main(argv: list[str], stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Run `explain`; returns the exit code (2 for bad flags or time zone)."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.jsonl == (args.text is not None):
        return _usage_error(parser, "give either one TEXT or --jsonl")
    try:
        zone = _zone(args.timezone)
        now = _parse_now(args.now, zone)
    except ValueError as exc:
        return _usage_error(parser, str(exc))
    if args.jsonl:
        _explain_lines(stdin, stdout, now, args.timezone, args.locale)
    else:
        stdout.write(_dump(_result(read(args.text, now, args.timezone, args.locale))) + "\n")
    stdout.flush()
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot explain",
                                     description="Show how Kindred reads a share: follow-up or not, and why.")
    parser.add_argument("text", nargs="?", help="the share to read")
    parser.add_argument("--now", help="when it was shared: local ISO time in --timezone, or ISO with an offset "
                                      "(default: now)")
    parser.add_argument("--timezone", default=DEFAULT_TIMEZONE,
                        help=f"the sharer's IANA time zone, e.g. Europe/Berlin (default: {DEFAULT_TIMEZONE})")
    parser.add_argument("--locale", help="the member's Discord locale (e.g. es-ES), for shares too short to tell")
    parser.add_argument("--jsonl", action="store_true",
                        help='read {"text", "now", "timezone"} JSON lines from stdin, write one result per line')
    return parser


def _usage_error(parser: argparse.ArgumentParser, message: str) -> int:
    parser.print_usage(sys.stderr)
    print(f"{parser.prog}: error: {message}", file=sys.stderr)
    return 2


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {name!r}; use a name like 'Europe/Berlin'") from None


def _parse_now(raw: str | None, zone: ZoneInfo) -> datetime:
    """An aware datetime: naive ISO times are wall times in `zone`; no value means the current time."""
    if raw is None:
        return datetime.now(zone)
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"can't read the time {raw!r}; use ISO like 2026-12-07T10:15 or 2026-12-07T10:15+01:00") \
            from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def _explain_lines(stdin: TextIO, stdout: TextIO, now: datetime, timezone: str, locale: str | None) -> None:
    for line in stdin:
        try:
            result = _result(_read_line(line, now, timezone, locale))
        except ValueError as exc:
            result = {"error": str(exc)}
        stdout.write(_dump(result) + "\n")


def _read_line(line: str, default_now: datetime, default_timezone: str, locale: str | None) -> Reading:
    """Read one JSON line; ValueError says what is wrong with it."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc.msg}") from None
    if not isinstance(item, dict):
        raise ValueError("each line must be a JSON object")
    text, now, timezone = item.get("text"), item.get("now"), item.get("timezone", default_timezone)
    if not isinstance(text, str):
        raise ValueError('"text" must be a string')
    if not isinstance(timezone, str) or (now is not None and not isinstance(now, str)):
        raise ValueError('"now" and "timezone" must be strings')
    when = default_now if now is None else _parse_now(now, _zone(timezone))
    return read(text, when, timezone, locale)


def _result(reading: Reading) -> dict:
    moment = reading.moment
    return {"follow_up": moment.follow_up,
            "event_date": moment.event_date.isoformat() if moment.event_date else None,
            "event_time": moment.event_time.strftime("%H:%M") if moment.event_time else None,
            "feelings": list(moment.feelings),
            "reason": moment.reason,
            "topic": moment.topic,
            "language": {"lang": reading.language.lang, "confidence": round(reading.language.confidence, 3),
                         "source": reading.language.source},
            "score": round(reading.score, 3),
            "threshold": reading.threshold,
            "rule": reading.rule,
            "words": [[_feature(f), round(w, 3)] for f, w in reading.words],
            "dates": [{"span": m.span, "rule": m.rule, "date": m.date.isoformat() if m.date else None, "past": m.past}
                      for m in reading.mentions]}


def _feature(feature: str) -> str:
    if feature[0] in "wb":
        return feature[1:]
    return "«" + feature + "»"


def _dump(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False)
