"""Who is in the room: the members Kindred knows in each server, how it first knew them, by which
path it last saw them, and when.

Without the privileged Server Members intent Discord doesn't tell a bot who is in a server, so
Kindred learns it honestly: the partner an admin names at setup, the members intent where the owner
enabled it, and everyone who uses Kindred (a command, button, form, reaction, answer, share or DM).
Asking Discord about one member (`Roster.confirm`) fills the gaps. A member who left is kept with
`left_at` set, which takes them out of the roster until they are seen again."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from .clock import Clock
from .storage import Database, to_db
from .scheduling import TransientError

log = logging.getLogger(__name__)

HOWS = frozenset({"setup", "partner", "intent", "command", "button", "form", "reaction", "answer", "share",
                  "thread", "dm", "lookup"})
LOOKUP_LIMIT = 25  # ask Discord about an unknown DM author only when Kindred serves this few servers
LOOKUP_TTL = timedelta(days=1)

_UPSERT = """INSERT INTO roster (guild_id, user_id, how, last_via, display_name, first_seen_at, last_seen_at, locale)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (guild_id, user_id) DO UPDATE SET
                 last_via = excluded.last_via, last_seen_at = excluded.last_seen_at, left_at = NULL,
                 display_name = COALESCE(excluded.display_name, roster.display_name),
                 locale = COALESCE(excluded.locale, roster.locale),
                 how = CASE WHEN excluded.how = 'partner' THEN 'partner' ELSE roster.how END"""


async def record(target, clock: Clock, guild_id: int, user_id: int, how: str, name: str | None = None,
                 locale: str | None = None) -> None:
    """Note that `user_id` is in `guild_id`, seen just now through `how` (with their Discord locale, when
    an interaction told it). `target` is the database or a connection inside a transaction (so the
    member is recorded with what they did, atomically)."""
    if how not in HOWS:
        raise ValueError(f"unknown way of meeting a member: {how}")
    now = to_db(clock.now())
    await target.execute(_UPSERT, (guild_id, user_id, how, how, name[:100] if name else None, now, now, locale))


async def left(db: Database, clock: Clock, guild_id: int, user_id: int) -> None:
    await db.execute("UPDATE roster SET left_at = ? WHERE guild_id = ? AND user_id = ? AND left_at IS NULL",
                     (to_db(clock.now()), guild_id, user_id))


async def is_present(db: Database, guild_id: int, user_id: int) -> bool:
    row = await db.fetchone("SELECT 1 FROM roster WHERE guild_id = ? AND user_id = ? AND left_at IS NULL",
                            (guild_id, user_id))
    return row is not None


async def present(db: Database, guild_id: int, since: datetime | None = None) -> list[int]:
    """Members in the roster (seen since `since`, when given), by id."""
    rows = await db.fetchall(
        "SELECT user_id FROM roster WHERE guild_id = ? AND left_at IS NULL AND last_seen_at >= ? ORDER BY user_id",
        (guild_id, to_db(since) if since else ""))
    return [r["user_id"] for r in rows]


async def name_of(db: Database, guild_id: int, user_id: int) -> str | None:
    row = await db.fetchone("SELECT display_name FROM roster WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))
    return row["display_name"] if row else None


async def servers_of(db: Database, user_id: int) -> list[int]:
    """Servers set up with Kindred (and not left by it) whose roster holds this member."""
    rows = await db.fetchall(
        """SELECT r.guild_id FROM roster r JOIN guilds g ON g.guild_id = r.guild_id
           WHERE r.user_id = ? AND r.left_at IS NULL AND g.removed_at IS NULL ORDER BY r.guild_id""", (user_id,))
    return [r["guild_id"] for r in rows]


async def sync(db: Database, clock: Clock, guild_id: int, members: dict[int, str]) -> list[int]:
    """The members intent gave the whole member list (humans, id -> name): record each, and mark the
    roster's others as left. Returns who left."""
    now = to_db(clock.now())
    async with db.transaction() as conn:
        for user_id, name in members.items():
            await conn.execute(_UPSERT, (guild_id, user_id, "intent", "intent", name[:100] if name else None, now, now,
                                         None))
        known = {r[0] for r in await conn.execute_fetchall(
            "SELECT user_id FROM roster WHERE guild_id = ? AND left_at IS NULL", (guild_id,))}
        gone = known - set(members)
        for user_id in gone:
            await conn.execute("UPDATE roster SET left_at = ? WHERE guild_id = ? AND user_id = ?", (now, guild_id, user_id))
    return sorted(gone)


class Roster:
    """The roster plus what Discord says when asked (`port.is_member`), for the paths that must know
    whether someone is still there: DM shares and nudge deliveries."""

    def __init__(self, db: Database, clock: Clock, port) -> None:
        self.db, self.clock, self.port = db, clock, port
        self._not_members: dict[tuple[int, int], datetime] = {}  # (guild, user) -> when Discord said no

    async def confirm(self, guild_id: int, user_id: int) -> bool:
        """Is the member still in the server? Asks Discord (its member cache first, which the members
        intent keeps up to date); a "no" takes them out of the roster, a "yes" counts as seeing them.
        Without the intent nothing tells Kindred that someone left, so a sighting, however recent,
        is no answer. When Discord can't be reached, the roster's word stands."""
        try:
            inside = await self.port.is_member(guild_id, user_id)
        except TransientError:
            return await is_present(self.db, guild_id, user_id)
        if inside:
            await record(self.db, self.clock, guild_id, user_id, "lookup")
        else:
            await left(self.db, self.clock, guild_id, user_id)
        return inside

    async def dm_servers(self, user_id: int, serving: set[int]) -> list[int]:
        """Where a DM share from `user_id` may go, among the servers Kindred is in (`serving`) and set
        up: those whose roster holds them and Discord confirms; if none, and Kindred serves at most
        LOOKUP_LIMIT servers, each one Discord says they are a member of (one request per server, a
        "no" remembered for a day)."""
        known = [g for g in await servers_of(self.db, user_id) if g in serving]
        found = [g for g in known if await self.confirm(g, user_id)]
        if found or len(serving) > LOOKUP_LIMIT:
            return found
        now = self.clock.now()
        marks = ", ".join("?" * len(serving))
        rows = await self.db.fetchall(
            f"SELECT guild_id FROM guilds WHERE removed_at IS NULL AND guild_id IN ({marks}) ORDER BY guild_id",
            tuple(serving)) if serving else []
        for guild_id in (r["guild_id"] for r in rows):
            said_no = self._not_members.get((guild_id, user_id))
            if guild_id in known or (said_no is not None and now - said_no < LOOKUP_TTL):
                continue
            try:
                inside = await self.port.is_member(guild_id, user_id)
            except TransientError:
                continue
            if inside:
                await record(self.db, self.clock, guild_id, user_id, "lookup")
                found.append(guild_id)
            else:
                self._not_members[(guild_id, user_id)] = now
        return found

async def name_partner(db: Database, clock: Clock, guild_id: int, by: int, partner_id: int, name: str | None) -> None:
    """Partner mode: `by` (an admin, one of the couple) names their partner, who joins the roster at once
    and so gets check-ins from day one."""
    async with db.transaction() as conn:
        await conn.execute("UPDATE guilds SET setup_by = ?, partner_id = ?, updated_at = ? WHERE guild_id = ?",
                           (by, partner_id, to_db(clock.now()), guild_id))
        await record(conn, clock, guild_id, partner_id, "partner", name)
    log.info("guild %s: partner %s named by %s", guild_id, partner_id, by)


def only_other(humans: list[int], me: int) -> int | None:
    """The one other human in a server of exactly two (the members intent's view), else None."""
    others = [h for h in set(humans) if h != me]
    return others[0] if len(others) == 1 and me in humans else None
