"""What happened in the demo, as entries: what members did (told by the script) and what Kindred
posted, sent or changed (read from the emulator), each with its time in its server's zone."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable
from zoneinfo import ZoneInfo

from ..emulator import Emulator, Message


@dataclass
class Entry:
    at: datetime                    # UTC
    zone: ZoneInfo                  # the zone of the server it happened in (a DM: its recipient's)
    server: str                     # "Sam & Alex"
    place: str                      # "#us", "#us › thread", "DM with alex"
    author: str
    text: str = ""                  # Discord markdown; mentions and timestamps already readable
    by_bot: bool = False
    embed: dict | None = None       # {"title", "author", "description", "fields": [(name, value)], "footer"}
    buttons: list[str] = field(default_factory=list)
    reactions: list[str] = field(default_factory=list)
    only_for: str | None = None     # an ephemeral reply: who sees it
    edited: bool = False            # Kindred changed an earlier message (e.g. a nudge after a button)
    image: tuple[str, bytes] | None = None  # (filename, PNG bytes)
    day: str | None = None          # a day header ("Monday 7 December"), no message

    @property
    def local(self) -> datetime:
        return self.at.astimezone(self.zone)

    @property
    def stamp(self) -> str:
        """"Mon 09:00 CET": the time as the people there saw it."""
        return self.local.strftime("%a %H:%M %Z")


class Transcript:
    """Collects entries and hands each new one to the listeners (the terminal printer, the page)."""

    def __init__(self, emu: Emulator, clock_now: Callable[[], datetime], zone_of: Callable[[Message], ZoneInfo],
                 server_of: Callable[[Message], str]) -> None:
        self.emu = emu
        self.now = clock_now
        self.zone_of, self.server_of = zone_of, server_of
        self.entries: list[Entry] = []
        self.listeners: list[Callable[[Entry], None]] = []
        self._seen: dict[int, tuple[str, str]] = {}  # message id -> (content, components) as last shown

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)
        for listener in self.listeners:
            listener(entry)

    def day(self, title: str) -> None:
        self.add(Entry(self.now(), ZoneInfo("UTC"), "", "", "", day=title))

    def member(self, who: str, place: str, text: str, zone: ZoneInfo, server: str) -> None:
        """A member did something (pressed, typed, reacted): the script says what."""
        self.add(Entry(self.now(), zone, server, place, who, self.readable(text, zone)))

    def collect(self) -> None:
        """Add every message Kindred sent or changed since the last look, in the order it sent them."""
        bot_id = self.emu.bot_user.id
        fresh = sorted((m for m in self.emu.world.messages.values() if m.author.id == bot_id and not m.deleted),
                       key=lambda m: m.id)
        for message in fresh:
            shown = (message.content, repr(message.components))
            before = self._seen.get(message.id)
            if before == shown or not (message.content or message.embeds or message.attachments):
                continue  # unchanged, or still a "thinking…" placeholder
            self._seen[message.id] = shown
            self.add(self._entry(message, edited_from=before[0] if before else None))

    def _entry(self, message: Message, edited_from: str | None) -> Entry:
        text = message.content
        if edited_from is not None and text.startswith(edited_from):
            text = text[len(edited_from):].strip()  # a nudge after a button: show what was added
        embed = message.embeds[0] if message.embeds else None
        png = next(((a.filename, a.data) for a in message.attachments if a.filename.endswith(".png")), None)
        zone = self.zone_of(message)
        return Entry(
            self.now(), zone, self.server_of(message), self.place(message), "Kindred",
            self.readable(text, zone), by_bot=True, embed=self._embed(embed, zone) if embed else None,
            buttons=[b.get("label") or (b.get("emoji") or {}).get("name") or "" for b in message.buttons
                     if not b.get("disabled")],
            reactions=list(message.reactions), edited=edited_from is not None,
            only_for=message.interaction.user.name if message.ephemeral and message.interaction else None,
            image=png)

    def place(self, message: Message) -> str:
        channel = message.channel
        if channel.is_dm:
            return f"DM with {channel.recipient.name}"
        if channel.is_thread:
            return f"#{channel.parent.name} › thread"
        return f"#{channel.name}"

    def _embed(self, embed: dict, zone: ZoneInfo) -> dict:
        return {
            "title": embed.get("title"),
            "author": (embed.get("author") or {}).get("name"),
            "description": self.readable(embed.get("description") or "", zone),
            "fields": [(f["name"], self.readable(f["value"], zone)) for f in embed.get("fields", [])],
            "footer": (embed.get("footer") or {}).get("text"),
        }

    def readable(self, text: str, zone: ZoneInfo) -> str:
        """Mentions and Discord timestamps as a person's client would show them."""
        world = self.emu.world

        def user(m: re.Match) -> str:
            found = world.users.get(int(m[1]))
            return f"@{found.name}" if found else "@someone"

        def channel(m: re.Match) -> str:
            found = world.channels.get(int(m[1]))
            return f"#{found.name}" if found and found.name else "#channel"

        def stamp(m: re.Match) -> str:
            when = datetime.fromtimestamp(int(m[1]), zone)
            if m[2] != "R":
                return when.strftime("%a %d %b, %H:%M")
            minutes = round((when - self.now()).total_seconds() / 60)  # relative, as clients show :R
            hours, mins = divmod(abs(minutes), 60)
            span = f"{hours} h {mins} min" if hours else f"{mins} min"
            return f"in {span}" if minutes >= 0 else f"{span} ago"

        text = re.sub(r"<@!?(\d+)>", user, text)
        text = re.sub(r"<#(\d+)>", channel, text)
        return re.sub(r"<t:(\d+)(?::(\w))?>", stamp, text)
