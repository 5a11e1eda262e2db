"""The scripted week: two servers, their people, and what each does when (in the server's own time).

A couple in New York (partner mode, the partner named at setup) and four old friends in Berlin
(group mode). They answer the daily question publicly and privately, react, share a worry and good
news, and get, and press, check-in nudges. Everything goes through the emulator exactly as a
Discord client would send it; only the clock is fast."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..emulator import Channel, Message, Person
from ..questions import load_bank
from .transcript import Transcript
from .world import Stage

# The questions the demo asks (from the real bank), each with answers the people give to it, in turn.
ANSWERS = {
    "light-001": ("The bakery on the corner remembered my order without asking.",
                  "A stranger's dog decided I was its best friend at the bus stop.",
                  "Finding a note to myself in an old coat pocket: 'you've got this'.",
                  "The first snow, for about four minutes."),
    "gratitude-002": ("My neighbour, who carried the shopping up four floors with me.",
                      "The bus driver who waited while I ran for it.",
                      "My sister, who just listened on the phone for an hour.",
                      "You, for doing the dishes three nights running."),
    "dreams-001": ("The Faroe Islands, for the cliffs and the wind.",
                   "Kyoto in autumn, slowly, on foot.",
                   "Patagonia. One day I'll stop saying one day.",
                   "Anywhere with a night train to get there."),
    "memories-006": ("My grandmother's lentil soup, always with too much lemon.",
                     "Sunday pancakes: the first one always ugly and always mine.",
                     "Dad's paella, made once a year and discussed all year.",
                     "The dumplings we folded together at your aunt's."),
    "support-003": ("A walk around the block without my phone.",
                    "Cooking something that takes exactly one podcast episode.",
                    "Ten minutes on the balcony doing nothing at all.",
                    "A hot shower and the same old playlist."),
    "fun-003": ("Lebanese. Mezze counts as a whole cuisine, right?",
                "Japanese, as long as ramen is included.",
                "Mexican, no contest.",
                "Whatever you're cooking."),
    "reflective-010": ("Slow breakfast, one thing finished, and a call with someone I love.",
                       "A quiet inbox and a long dinner with friends.",
                       "Enough sleep and one honest conversation.",
                       "Coffee together before either of us looks at a screen."),
}


def demo_bank() -> list[dict]:
    """The questions of ANSWERS, as the real bank words them."""
    bank = {entry["id"]: entry for entry in load_bank()}
    missing = sorted(set(ANSWERS) - set(bank))
    if missing:
        raise ValueError(f"the demo's questions {missing} are no longer in the bank: update bot/demo/week.py")
    return [bank[key] for key in ANSWERS]


@dataclass
class Server:
    name: str
    timezone: str
    post_time: str
    mode: str
    channel_name: str
    admin: str
    members: tuple[str, ...]
    channel: Channel | None = None
    people: dict[str, Person] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def cast() -> dict[str, Server]:
    return {
        "couple": Server("Sam & Alex", "America/New_York", "08:00", "partner", "us", "alex", ("sam",)),
        "friends": Server("Old Friends", "Europe/Berlin", "09:00", "group", "daily", "carol",
                          ("dan", "erin", "farid")),
    }


# The week: (day 0-6, server, local time, who, what, detail). Posts and nudges need no line: they
# come by themselves when the clock reaches them.
SCRIPT: list[tuple[int, str, str, str, str, object]] = [
    (0, "friends", "07:40", "carol", "setup", None),
    (0, "friends", "07:55", "erin", "slash", ("privacy", {"check_ins": True})),
    (0, "friends", "08:05", "farid", "slash", ("privacy", {"check_ins": True})),
    (0, "friends", "09:12", "dan", "answer", None),
    (0, "friends", "09:20", "erin", "react", "💛"),
    (0, "friends", "10:02", "carol", "answer", None),
    (0, "friends", "12:30", "farid", "answer_privately", "Honestly? Not much. Work has been a grind lately."),
    (0, "couple", "07:10", "alex", "setup", None),
    (0, "couple", "08:25", "alex", "answer", None),
    (0, "couple", "08:40", "sam", "answer_privately", "That you asked me to dinner on Friday before I'd even mentioned the week I'm having."),
    (0, "couple", "12:10", "sam", "slash", ("share", {"text": "I have a job interview on Wednesday and I'm really nervous"})),
    (1, "couple", "08:15", "sam", "react", "🫂"),
    (1, "couple", "08:50", "alex", "answer", None),
    (1, "couple", "11:20", "alex", "press", "I checked in"),
    (1, "friends", "09:30", "farid", "answer", None),
    (1, "friends", "09:45", "dan", "react", "💛"),
    (1, "friends", "20:10", "dan", "slash", ("share", {"text": "My mum's surgery is on Thursday and I can't stop worrying about it"})),
    (2, "couple", "08:30", "sam", "answer", None),
    (2, "couple", "09:00", "alex", "react", "💛"),
    (2, "friends", "09:05", "erin", "answer", None),
    (2, "friends", "13:00", "carol", "answer", None),
    (2, "friends", "19:00", "farid", "slash", ("share", {"text": "We got the flat!! Moving in on Saturday and I'm so excited 🎉"})),
    (3, "couple", "08:10", "alex", "answer", None),
    (3, "couple", "19:30", "alex", "press", "I checked in"),
    (3, "friends", "09:40", "dan", "answer", None),
    (3, "friends", "10:15", "erin", "react", "🎉"),
    (4, "couple", "08:45", "sam", "answer", None),
    (4, "couple", "21:00", "sam", "dm", "We booked the cabin for New Year!"),
    (4, "friends", "18:20", "erin", "press", "Remind me tomorrow"),
    (4, "friends", "18:40", "farid", "press", "I checked in"),
    (4, "friends", "09:15", "carol", "answer", None),
    (5, "couple", "10:30", "alex", "answer", None),
    (5, "couple", "10:40", "sam", "answer", None),
    (5, "friends", "11:00", "erin", "answer", None),
    (5, "friends", "11:30", "farid", "answer", None),
    (5, "friends", "18:30", "erin", "press", "I checked in"),
    (6, "couple", "09:30", "sam", "answer", None),
    (6, "couple", "19:00", "alex", "slash", ("kindred stats", {})),
    (6, "friends", "10:00", "dan", "answer", None),
    (6, "friends", "10:20", "carol", "react", "🎉"),
    (6, "friends", "18:10", "erin", "press", "I checked in"),
    (6, "friends", "19:00", "carol", "slash", ("kindred stats", {})),
]


def next_monday(today: date) -> date:
    """The week the demo shows: the coming one, so the fast clock never meets the real one."""
    return today + timedelta(days=7 - today.weekday())


def first_midnight(monday: date) -> datetime:
    """Where the clock starts: the first server's Monday 00:00."""
    return min(datetime.combine(monday, time(0), s.zone) for s in cast().values()).astimezone(ZoneInfo("UTC"))


class Week:
    """Plays SCRIPT on a Stage, writing what happens to a Transcript."""

    def __init__(self, stage: Stage, monday: date, pace: float = 0.0) -> None:
        self.stage, self.monday, self.pace = stage, monday, pace
        self.servers = cast()
        self.transcript = Transcript(stage.emu, stage.clock.now, self._zone_of, self._server_of)
        self._answered: dict[int, int] = {}  # post id -> answers given

    # -- the cast on the emulator ----------------------------------------------------------------------

    def build(self) -> None:
        emu = self.stage.emu
        for server in self.servers.values():
            guild = emu.add_guild(server.name)
            server.channel = guild.add_text_channel(server.channel_name)
            server.people[server.admin] = guild.add_member(server.admin, admin=True)
            for name in server.members:
                server.people[name] = guild.add_member(name)

    def _server_named(self, guild_name: str | None) -> Server | None:
        return next((s for s in self.servers.values() if s.name == guild_name), None)

    def _home(self, user_id: int) -> Server:
        return next(s for s in self.servers.values() if any(p.id == user_id for p in s.people.values()))

    def _zone_of(self, message: Message) -> ZoneInfo:
        channel = message.channel
        server = self._home(channel.recipient.id) if channel.is_dm else self._server_named(channel.guild.name)
        return server.zone

    def _server_of(self, message: Message) -> str:
        channel = message.channel
        return self._home(channel.recipient.id).name if channel.is_dm else channel.guild.name

    # -- playing ------------------------------------------------------------------------------------------

    def when(self, day: int, server: Server, local: str) -> datetime:
        hour, minute = map(int, local.split(":"))
        return datetime.combine(self.monday + timedelta(days=day), time(hour, minute), server.zone).astimezone(ZoneInfo("UTC"))

    async def play(self, days: int = 7) -> Transcript:
        self.build()
        beats = sorted(((self.when(d, self.servers[s], t), d, s, who, what, detail)
                        for d, s, t, who, what, detail in SCRIPT if d < days), key=lambda b: b[0])
        day_shown = -1
        for at, day, key, who, what, detail in beats:
            if day != day_shown:
                await self._advance(self.when(day, self.servers["friends"], "00:00"))
                self.transcript.day((self.monday + timedelta(days=day)).strftime("%A %d %B"))
                day_shown = day
            await self._advance(at)
            await getattr(self, f"_{what}")(self.servers[key], who, detail)
            await self._after()
        await self._advance(self.when(days, self.servers["couple"], "00:00"))  # the last day's nudges
        return self.transcript

    async def _advance(self, until: datetime) -> None:
        """Let time pass to `until`, showing what Kindred does on the way (posts, nudges) as it happens."""
        while (due := await self.stage.next_due()) is not None and due <= until:
            await self.stage.sweep_at(due)
            await self._after()
        self.stage.clock.set(until)

    async def _after(self) -> None:
        await self.stage.settle()
        before = len(self.transcript.entries)
        self.transcript.collect()
        await self._beat(len(self.transcript.entries) - before)

    async def _beat(self, lines: int) -> None:
        if self.pace and lines:
            await asyncio.sleep(self.pace * lines)

    def _say(self, server: Server, who: str, place: str, text: str) -> None:
        self.transcript.member(who, place, text, server.zone, server.name)

    # -- what people do -------------------------------------------------------------------------------------

    async def _setup(self, server: Server, who: str, _detail) -> None:
        options = {"channel": server.channel, "time": server.post_time, "timezone": server.timezone, "mode": server.mode}
        if server.mode == "partner":
            options["partner"] = next(p for name, p in server.people.items() if name != who)
        await self._slash(server, who, ("kindred setup", options))

    async def _slash(self, server: Server, who: str, detail) -> None:
        path, options = detail
        shown = " ".join(f"{name}:{self._option(value)}" for name, value in options.items())
        await self._beat(1)
        self._say(server, who, f"#{server.channel.name}", f"/{path} {shown}".rstrip())
        await server.people[who].slash(path, in_channel=server.channel, options=options)

    @staticmethod
    def _option(value) -> str:
        if isinstance(value, Person):
            return f"@{value.name}"
        if isinstance(value, Channel):
            return f"#{value.name}"
        if isinstance(value, bool):
            return str(value).lower()
        return f"“{value}”" if isinstance(value, str) and " " in value else str(value)

    def _todays_post(self, server: Server) -> Message:
        bot_id = self.stage.emu.bot_user.id
        posts = [m for m in self.stage.emu.messages_in(server.channel)
                 if m.author.id == bot_id and any(b.get("label") == "Answer" for b in m.buttons)]
        if not posts:
            raise RuntimeError(f"no daily question in {server.name} yet")
        return posts[-1]

    def _answer_for(self, server: Server, post: Message) -> str:
        shown = post.content + repr(post.embeds)
        key = next((e["id"] for e in self.stage.bank if e["text"] in shown), None)
        if key is None:
            raise RuntimeError(f"the question in {server.name} is not one of the demo's")
        turn = self._answered.get(post.id, 0)
        self._answered[post.id] = turn + 1
        answers = ANSWERS[key]  # the friends take them from the first, the couple from the last
        return answers[turn if server.mode == "group" else -1 - turn]

    async def _answer(self, server: Server, who: str, text, *, label: str = "Answer") -> None:
        post = self._todays_post(server)
        text = text or self._answer_for(server, post)
        person = server.people[who]
        await self._beat(1)
        self._say(server, who, f"#{server.channel.name}", f"presses **{label}** and writes: “{text}”")
        opened = await person.click(post, label)
        await person.submit_modal(opened.modal, text)

    async def _answer_privately(self, server: Server, who: str, text) -> None:
        await self._answer(server, who, text, label="Answer privately")

    async def _react(self, server: Server, who: str, emoji) -> None:
        await self._beat(1)
        self._say(server, who, f"#{server.channel.name}", f"reacts {emoji} to the daily question")
        await server.people[who].react(self._todays_post(server), emoji)

    async def _press(self, server: Server, who: str, label) -> None:
        person = server.people[who]
        nudges = [m for m in await person.dm_messages() if any(b.get("label") == label for b in m.buttons)]
        if not nudges:
            raise RuntimeError(f"{who} has no DM with a {label!r} button")
        await self._beat(1)
        self._say(server, who, f"DM with {who}", f"presses **{label}**")
        await person.click(nudges[-1], label)

    async def _dm(self, server: Server, who: str, text) -> None:
        await self._beat(1)
        self._say(server, who, f"DM with {who}", f"writes to Kindred: “{text}”")
        await server.people[who].send_dm(text)
