"""`python -m bot demo`: the scripted week runs the real bot to the end (shortened here), shows the
post, the answers, the share and the nudge, writes a page, and leaves nothing behind."""
from __future__ import annotations

import tempfile
from datetime import date
from html.parser import HTMLParser

import discord

from bot.demo import main, run_week
from bot.demo.page import render
from bot.demo.week import demo_bank

MONDAY = date(2026, 12, 7)
VOID = {"meta", "img", "br", "hr", "input", "link"}


class Balanced(HTMLParser):
    """Fails on a tag closed that wasn't open, or left open."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:] or 'nothing'}"
        self.stack.pop()


async def test_two_days_show_post_answer_share_and_nudge(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    transcript = await run_week(days=2, monday=MONDAY)
    entries = transcript.entries
    said = [(e.author, e.place, e.text) for e in entries if not e.by_bot and not e.day]
    posts = [e for e in entries if e.by_bot and "Answer" in e.buttons and e.place in ("#daily", "#us")]
    assert [(p.server, p.stamp) for p in posts] == [
        ("Old Friends", "Mon 09:00 CET"), ("Sam & Alex", "Mon 08:00 EST"),
        ("Old Friends", "Tue 09:00 CET"), ("Sam & Alex", "Tue 08:00 EST")], "each in its own zone"
    assert "Answer privately" in posts[0].buttons
    assert any(q["text"] in repr(posts[0].embed) + posts[0].text for q in demo_bank()), "the day's question is shown"

    [(_, _, answered)] = [s for s in said if s[0] == "dan" and s[2].startswith("presses **Answer**")][:1]
    dans = answered.split("“", 1)[1].rstrip("”")
    assert any(e.place == "#daily › thread" and e.embed["author"] == "dan" and e.embed["description"] == dans
               for e in entries if e.by_bot and e.embed), "the answer is posted in the day's thread"
    private = next(s for s in said if s[0] == "sam" and "Answer privately" in s[2])[2].split("“", 1)[1].rstrip("”")
    assert not any(e.embed and private in e.embed["description"] for e in entries), "a private answer is posted nowhere"

    assert ("sam", "#us", "/share text:“I have a job interview on Wednesday and I'm really nervous”") in said
    [nudge] = [e for e in entries if e.place == "DM with alex" and e.by_bot and not e.edited]
    assert "**sam** reacted to the daily question: they could use some support" in nudge.text
    assert nudge.stamp == "Tue 11:15 EST" and nudge.buttons[0] == "I checked in"
    assert ("alex", "DM with alex", "presses **I checked in**") in said
    assert any(e.edited and e.place == "DM with alex" and "You checked in" in e.text for e in entries)

    assert list(tmp_path.iterdir()) == [], "the temporary database is gone"
    assert discord.http.Route.BASE == "https://discord.com/api/v10", "discord.py points at Discord again"

    page = render(entries)
    parser = Balanced()
    parser.feed(page)
    parser.close()
    assert parser.stack == [], f"unclosed: {parser.stack}"
    assert "they could use some support" in page and "Only sam can see this" in page


def test_the_subcommand_prints_the_day_and_writes_the_page(tmp_path, capsys):
    page = tmp_path / "week.html"
    assert main(["--days", "1", "--fast", "--html", str(page)]) == 0
    out = capsys.readouterr().out
    assert "Old Friends · #daily" in out and "Question of the day" in out and f"Wrote the week as a page: {page}" in out
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["--html", str(tmp_path / "missing" / "week.html")]) == 2
