"""The transcript as one self-contained HTML page that reads like a Discord chat log."""
from __future__ import annotations

import base64
import html
import re
import zlib

from .transcript import Entry

PALETTE = ("#e67e80", "#7fbbb3", "#dbbc7f", "#a7c080", "#d699b6", "#83c092", "#e69875")
BOT_COLOUR = "#5865f2"

STYLE = """
body { margin: 0; background: #313338; color: #dbdee1; font: 15px/1.4 "gg sans", "Noto Sans", "Helvetica Neue",
       Helvetica, Arial, sans-serif; }
main { max-width: 860px; margin: 0 auto; padding: 24px 16px 64px; }
h1 { color: #f2f3f5; font-size: 22px; margin: 0 0 4px; }
.intro { color: #b5bac1; margin: 0 0 8px; }
.legend span { display: inline-block; margin-right: 16px; font-size: 13px; color: #b5bac1; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
.day { display: flex; align-items: center; margin: 28px 0 8px; color: #949ba4; font-size: 12px; font-weight: 600; }
.day::before, .day::after { content: ""; flex: 1; border-top: 1px solid #3f4147; margin: 0 8px; }
.msg { display: flex; gap: 14px; padding: 6px 10px; border-left: 3px solid transparent; }
.msg:hover { background: #2e3035; }
.avatar { flex: none; width: 40px; height: 40px; border-radius: 50%; color: #fff; font-weight: 700;
          display: flex; align-items: center; justify-content: center; font-size: 17px; }
.body { min-width: 0; flex: 1; }
.head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px; }
.name { color: #f2f3f5; font-weight: 600; }
.tag { background: #5865f2; color: #fff; font-size: 10px; font-weight: 700; border-radius: 3px; padding: 0 4px; }
.time, .where { color: #949ba4; font-size: 12px; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.action { color: #b5bac1; font-style: italic; }
.command { color: #c9cdfb; background: rgba(88, 101, 242, .3); border-radius: 3px; padding: 0 3px; font-style: normal; }
code { background: #2b2d31; border-radius: 3px; padding: 0 3px; font-size: 13px; }
.embed { margin-top: 4px; max-width: 520px; background: #2b2d31; border-left: 4px solid #f0b232;
         border-radius: 4px; padding: 8px 12px; }
.embed .author { font-size: 13px; font-weight: 600; color: #f2f3f5; }
.embed .title { font-weight: 700; color: #f2f3f5; }
.embed .footer { font-size: 12px; color: #949ba4; margin-top: 6px; }
.buttons { margin-top: 6px; display: flex; flex-wrap: wrap; gap: 8px; }
.buttons span { background: #4e5058; color: #fff; border-radius: 3px; padding: 3px 12px; font-size: 14px; }
.buttons span.primary { background: #5865f2; }
.reactions { margin-top: 4px; display: flex; gap: 4px; }
.reactions span { background: #2b2d31; border: 1px solid #3f4147; border-radius: 8px; padding: 0 6px; }
.ephemeral { font-size: 12px; color: #949ba4; margin-top: 2px; }
.changed { font-size: 11px; color: #949ba4; }
img.picture { display: block; margin-top: 6px; max-width: 100%; width: 520px; border-radius: 4px; }
"""


def _colour(name: str) -> str:
    return BOT_COLOUR if name == "Kindred" else PALETTE[zlib.crc32(name.encode()) % len(PALETTE)]


def _markdown(text: str) -> str:
    """Escaped text with Discord's **bold**, *italic* and `code` (a backslash keeps a character literal)."""
    out = re.sub(r"\\([\\*_~`|>#-])", lambda m: f"&#{ord(m[1])};", html.escape(text, quote=False))
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out, flags=re.S)
    return re.sub(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])", r"<em>\1</em>", out)


def _member_text(text: str) -> str:
    """A member's slash command shows as Discord shows one; anything else they did reads as an action."""
    if text.startswith("/"):
        words = text.split(" ")
        path = next((i for i, word in enumerate(words) if ":" in word), len(words))
        command, options = " ".join(words[:path]), " ".join(words[path:])
        return f'<span class="command">{html.escape(command)}</span> {_markdown(options)}'
    return f'<span class="action">{_markdown(text)}</span>'


def _embed(embed: dict) -> str:
    parts = []
    if embed.get("author"):
        parts.append(f'<div class="author">{html.escape(embed["author"])}</div>')
    if embed.get("title"):
        parts.append(f'<div class="title">{html.escape(embed["title"])}</div>')
    if embed.get("description"):
        parts.append(f'<div class="text">{_markdown(embed["description"])}</div>')
    for name, value in embed.get("fields", []):
        parts.append(f'<div><strong>{html.escape(name)}</strong><div class="text">{_markdown(value)}</div></div>')
    if embed.get("footer"):
        parts.append(f'<div class="footer">{html.escape(embed["footer"])}</div>')
    return f'<div class="embed">{"".join(parts)}</div>'


def _message(entry: Entry, server_colours: dict[str, str]) -> str:
    name = html.escape(entry.author)
    head = [f'<span class="name">{name}</span>']
    if entry.by_bot:
        head.append('<span class="tag">APP</span>')
    head.append(f'<span class="time">{html.escape(entry.stamp)}</span>')
    head.append(f'<span class="where">{html.escape(entry.server)} › {html.escape(entry.place)}</span>')
    if entry.edited:
        head.append('<span class="changed">(changed its message)</span>')
    body = [f'<div class="head">{"".join(head)}</div>']
    if entry.text:
        body.append(f'<div class="text">{_markdown(entry.text) if entry.by_bot else _member_text(entry.text)}</div>')
    if entry.embed:
        body.append(_embed(entry.embed))
    if entry.image:
        data = base64.b64encode(entry.image[1]).decode()
        body.append(f'<img class="picture" alt="{html.escape(entry.text)}" src="data:image/png;base64,{data}">')
    if entry.buttons:
        spans = "".join(f'<span class="{"primary" if i == 0 else ""}">{html.escape(b)}</span>'
                        for i, b in enumerate(entry.buttons))
        body.append(f'<div class="buttons">{spans}</div>')
    if entry.reactions:
        body.append('<div class="reactions">' + "".join(f"<span>{html.escape(r)}</span>" for r in entry.reactions)
                    + "</div>")
    if entry.only_for:
        body.append(f'<div class="ephemeral">👁 Only {html.escape(entry.only_for)} can see this</div>')
    stripe = server_colours.get(entry.server, "transparent")
    return (f'<div class="msg" style="border-left-color: {stripe}">'
            f'<div class="avatar" style="background: {_colour(entry.author)}">{html.escape(entry.author[:1].upper())}</div>'
            f'<div class="body">{"".join(body)}</div></div>')


def render(entries: list[Entry]) -> str:
    servers = list(dict.fromkeys(e.server for e in entries if e.server))
    colours = {server: ("#eb459e", "#23a55a", "#f0b232")[i % 3] for i, server in enumerate(servers)}
    legend = "".join(f'<span><i style="background: {colours[s]}"></i>{html.escape(s)}</span>' for s in servers)
    rows = []
    for entry in entries:
        if entry.day:
            rows.append(f'<div class="day">{html.escape(entry.day)}</div>')
        else:
            rows.append(_message(entry, colours))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>A week with Kindred</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        "<h1>A week with Kindred</h1>\n"
        '<p class="intro">A simulated week (python -m bot demo): the real bot against a local Discord, '
        "with scripted members in two servers. Times are each server's own.</p>\n"
        f'<p class="legend">{legend}</p>\n' + "\n".join(rows) + "\n</main>\n</body>\n</html>\n")
