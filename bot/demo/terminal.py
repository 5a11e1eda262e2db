"""The transcript in a terminal: a header per moment and place, then who said or did what."""
from __future__ import annotations

import re
import shutil
import textwrap
from typing import TextIO

from .transcript import Entry

BOLD, DIM, CYAN, RESET = "\033[1m", "\033[2m", "\033[36m", "\033[0m"


class Printer:
    """Prints entries as they come; ANSI styles only on a terminal."""

    def __init__(self, out: TextIO, color: bool | None = None) -> None:
        self.out = out
        self.color = out.isatty() if color is None else color
        self.width = min(shutil.get_terminal_size((100, 24)).columns, 110)
        self._header: tuple[str, str, str] | None = None

    def _style(self, code: str, text: str) -> str:
        return f"{code}{text}{RESET}" if self.color else text

    def _markdown(self, text: str) -> str:
        """**bold** in bold (or plain), and a backslash-escaped character as itself."""
        text = re.sub(r"\*\*(.+?)\*\*", lambda m: self._style(BOLD, m[1]), text, flags=re.S)
        return re.sub(r"\\([\\*_~`|>#-])", r"\1", text)

    def __call__(self, entry: Entry) -> None:
        if entry.day:
            self._header = None
            rule = "━" * max(4, self.width - len(entry.day) - 4)
            self.out.write(f"\n{self._style(BOLD, f'━━ {entry.day} {rule}')}\n")
            self.out.flush()
            return
        header = (entry.stamp, entry.server, entry.place)
        if header != self._header:
            self._header = header
            self.out.write("\n" + self._style(CYAN, f"{entry.stamp} · {entry.server} · {entry.place}") + "\n")
        self.out.write(self.render(entry))
        self.out.flush()

    def render(self, entry: Entry) -> str:
        lines: list[str] = []
        indent = 4
        for paragraph in entry.text.splitlines():
            lines += textwrap.wrap(paragraph, self.width - indent) or [""]
        if entry.embed:
            lines += self._embed(entry.embed, self.width - indent - 2)
        if entry.image:
            lines.append(f"🖼  {entry.image[0]} ({max(1, len(entry.image[1]) // 1024)} KB picture)")
        extras = " ".join(f"[{label}]" for label in entry.buttons)
        if entry.reactions:
            extras += ("   " if extras else "") + " ".join(entry.reactions)
        if extras:
            lines.append(extras)
        suffix = (" (changed its message)" if entry.edited else "") + \
            (f" (only {entry.only_for} sees this)" if entry.only_for else "")
        head = f"  {self._style(BOLD, entry.author) if entry.by_bot else entry.author}{self._style(DIM, suffix)}"
        if not entry.by_bot and lines:  # a member's action reads as one sentence after their name
            head, lines = f"{head} {self._markdown(lines[0])}", lines[1:]
        return "\n".join([head] + [" " * indent + self._markdown(line) for line in lines]) + "\n"

    def _embed(self, embed: dict, width: int) -> list[str]:
        bar = "┃ "
        lines = [bar + embed["author"]] if embed.get("author") else []
        if embed.get("title"):
            lines.append(bar + f"**{embed['title']}**")
        for paragraph in (embed.get("description") or "").splitlines():
            lines += [bar + line for line in textwrap.wrap(paragraph, width) or [""]]
        lines += [bar + f"**{name}**: {value}" for name, value in embed.get("fields", [])]
        if embed.get("footer"):
            lines.append(bar + self._style(DIM, embed["footer"]))
        return lines
