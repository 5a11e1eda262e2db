"""The `explain` admin CLI."""
from __future__ import annotations

import io
import json

import pytest

from bot.explain import main

KEYS = ["follow_up", "event_date", "event_time", "feelings", "reason", "topic", "language", "score", "threshold", "rule",
        "words",
        "dates"]
BERLIN = ["--now", "2026-12-07T10:15", "--timezone", "Europe/Berlin"]


def run(argv: list[str], stdin: str = "") -> tuple[int, list[str]]:
    out = io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin), stdout=out)
    return code, out.getvalue().splitlines()


def test_single_text():
    code, lines = run(BERLIN + ["job interview on Thursday at 9am and I'm honestly terrified"])
    assert code == 0 and len(lines) == 1
    result = json.loads(lines[0])
    assert list(result) == KEYS
    assert result["follow_up"] is True and result["score"] >= result["threshold"]
    assert (result["event_date"], result["event_time"]) == ("2026-12-10", "09:00")
    assert "worry" in result["feelings"] and result["reason"] in result["feelings"]
    assert result["language"] == {"lang": "en", "confidence": result["language"]["confidence"], "source": "text"}
    assert result["dates"] == [{"span": "on thursday", "rule": "weekday", "date": "2026-12-10", "past": False}]
    assert len(result["words"]) == 8 and all(isinstance(w, str) and isinstance(x, float) for w, x in result["words"])
    assert any("terrified" in w or "«" in w for w, _ in result["words"])


def test_other_languages_and_the_locale():
    _, lines = run(BERLIN + ["am Donnerstag ist mein Vorstellungsgespräch und ich bin so nervös"])
    result = json.loads(lines[0])
    assert result["language"]["lang"] == "de" and result["event_date"] == "2026-12-10" and result["follow_up"]
    _, lines = run(BERLIN + ["--locale", "pt-BR", "prova amanhã"])
    result = json.loads(lines[0])
    assert result["language"] == {"lang": "pt", "confidence": 1.0, "source": "locale"}
    assert result["event_date"] == "2026-12-08"


def test_past_mentions_are_shown_but_not_the_date():
    _, lines = run(BERLIN + ["ayer fue la entrevista y me fue fatal"])
    result = json.loads(lines[0])
    assert result["event_date"] is None
    assert result["dates"] == [{"span": "ayer", "rule": "past", "date": None, "past": True}]


def test_key_order_is_stable():
    for text in ["lol same", "exam tmrw", "I'm so lonely"]:
        _, lines = run(BERLIN + [text])
        assert list(json.loads(lines[0])) == KEYS


def test_small_talk():
    _, lines = run(BERLIN + ["lol my cat"])
    result = json.loads(lines[0])
    assert {k: result[k] for k in KEYS[:6]} == {"follow_up": False, "event_date": None, "event_time": None,
                                                "feelings": [], "reason": "none", "topic": None}
    assert result["score"] < result["threshold"] and result["dates"] == []


def test_now_with_an_offset_is_converted_to_the_zone():
    _, lines = run(["--now", "2026-12-13T22:30:00+00:00", "--timezone", "Europe/Berlin", "interview tomorrow"])
    assert json.loads(lines[0])["event_date"] == "2026-12-14"


def test_naive_now_is_a_wall_time_in_the_zone():
    _, lines = run(["--now", "2026-12-07T23:30", "--timezone", "America/New_York", "exam tomorrow"])
    assert json.loads(lines[0])["event_date"] == "2026-12-08"


def test_jsonl_keeps_order_and_reports_bad_lines():
    stdin = "\n".join([
        json.dumps({"text": "exam tmrw"}),
        "not json",
        json.dumps({"text": "surgery tomorrow", "now": "2026-12-13T22:30:00+00:00"}),
        json.dumps(["a list"]),
        json.dumps({"text": "exam tomorrow", "now": "2026-12-07T23:30", "timezone": "America/New_York"}),
        json.dumps({"text": "exam tmrw", "timezone": "Mars/Olympus"}),
        json.dumps({"now": "2026-12-07T10:00"}),
        json.dumps({"text": "exam tmrw", "now": "soon"}),
        "",
        json.dumps({"text": "lol same"}),
    ]) + "\n"
    code, lines = run(BERLIN + ["--jsonl"], stdin)
    assert code == 0 and len(lines) == 10
    results = [json.loads(line) for line in lines]
    assert results[0]["event_date"] == "2026-12-08"
    assert results[2]["event_date"] == "2026-12-14"
    assert results[4]["event_date"] == "2026-12-08"
    assert results[9]["reason"] == "none"
    errors = [r["error"] for r in results if "error" in r]
    assert [i for i, r in enumerate(results) if "error" in r] == [1, 3, 5, 6, 7, 8]
    assert errors[0].startswith("not JSON")
    assert "Mars/Olympus" in errors[2] and "text" in errors[3] and "soon" in errors[4]
    assert all(list(r) == KEYS for r in results if "error" not in r)


@pytest.mark.parametrize("argv", [
    ["--timezone", "Mars/Olympus", "exam tmrw"],
    ["--now", "tomorrow-ish", "exam tmrw"],
    ["--bogus", "exam tmrw"],
    BERLIN,                                   # neither text nor --jsonl
    BERLIN + ["--jsonl", "exam tmrw"],        # both
])
def test_bad_flags_exit_2_with_a_message(argv, capsys):
    code, lines = run(argv)
    assert code == 2 and lines == []
    assert "error:" in capsys.readouterr().err


def test_help_exits_0(capsys):
    code, _ = run(["--help"])
    assert code == 0 and "--jsonl" in capsys.readouterr().out
