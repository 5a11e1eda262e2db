"""The labelled corpus the model learns from: data/corpus/shares.<lang>.jsonl (one share a line,
see data/corpus/SCHEMA.md), and the fixed split into training and held-out shares.

data/corpus/legacy.en.jsonl holds the 504 English shares labelled before the corpus, in an older
schema (text, now, timezone, follow_up, event_date: no feelings, no kind). They teach the plain, short
way people also write ("exam tomorrow, so stressed"); they are split the same way, count for the
follow-up decision only, and are reported apart from the corpus's figures.

The split is decided once, by a hash of each share's id: a quarter of every language is held out
(`held_out(id)`), never used to choose features, thresholds or wording, and only measured.

data/corpus/fresh.<lang>.jsonl is a second test set (same schema, ids "fresh-<lang>-NNNN"): shares
written to the general brief after the model was trained, by writers who saw neither the corpus nor
the model's mistakes, without those within 0.75 similarity of a corpus share. Nothing reads it but
`load_fresh`; it is measured, never trained or tuned on. Shares that join the corpus later come as
new batches, never from this file."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = ROOT / "data" / "corpus"
LANGUAGES = ("en", "es", "pt", "fr", "de")
FEELINGS = ("worry", "stress", "sadness", "grief", "loneliness", "anger", "excitement", "pride", "gratitude")
KINDS = ("positive", "small_talk", "sarcasm", "hypothetical", "negation", "spectator", "trivial_other", "past_over",
         "routine")
HELD_OUT_PERCENT = 25


@dataclass(frozen=True)
class Example:
    id: str
    lang: str
    text: str
    now: datetime
    timezone: str
    follow_up: bool
    feelings: tuple[str, ...] | None   # None: not labelled (the legacy shares)
    event: str | None
    event_date: date | None
    kind: str

    @property
    def local_today(self) -> date:
        return self.now.astimezone(ZoneInfo(self.timezone)).date()

    @property
    def held_out(self) -> bool:
        return held_out(self.id)


def held_out(share_id: str) -> bool:
    """Whether a share belongs to the held-out split (by its id alone, so the split never moves)."""
    return int(hashlib.sha256(share_id.encode("utf-8")).hexdigest()[:8], 16) % 100 < HELD_OUT_PERCENT


def parse(line: str) -> Example:
    row = json.loads(line)
    return Example(row["id"], row["lang"], row["text"], datetime.fromisoformat(row["now"]), row["timezone"],
                   bool(row["follow_up"]), tuple(row["feelings"]), row["event"],
                   date.fromisoformat(row["event_date"]) if row["event_date"] else None, row["kind"])


def load(directory: Path = CORPUS_DIR, languages: tuple[str, ...] = LANGUAGES) -> list[Example]:
    """Every share of the corpus, by language then by line."""
    return _load(directory, "shares", languages)


def load_fresh(directory: Path = CORPUS_DIR, languages: tuple[str, ...] = LANGUAGES) -> list[Example]:
    """The fresh test set (see the module's docstring), by language then by line."""
    return _load(directory, "fresh", languages)


def _load(directory: Path, name: str, languages: tuple[str, ...]) -> list[Example]:
    out = []
    for lang in languages:
        path = directory / f"{name}.{lang}.jsonl"
        if path.exists():
            out.extend(parse(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return out


def load_legacy(path: Path = CORPUS_DIR / "legacy.en.jsonl") -> list[Example]:
    """The legacy English shares, as Examples with ids legacy-0001... and kind "legacy"."""
    out = []
    if path.exists():
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for n, line in enumerate(lines, 1):
            row = json.loads(line)
            out.append(Example(f"legacy-{n:04d}", "en", row["text"], datetime.fromisoformat(row["now"]), row["timezone"],
                               bool(row["follow_up"]), None, None,
                               date.fromisoformat(row["event_date"]) if row["event_date"] else None, "legacy"))
    return out


def split(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    """(training, held out)."""
    return [e for e in examples if not e.held_out], [e for e in examples if e.held_out]
