"""The roster: how Kindred knows each member, who is out, partner naming, who gets nudged, DM-share
servers (with Discord asked in small deployments), and consent withdrawn at once."""
from __future__ import annotations


import pytest

from bot import guilds, members, roster, shares
from bot.followups import FollowUps
from bot.roster import Roster
from bot.scheduling import TransientError

G, OTHER_G = 111, 333
ALICE, BOB, CAROL = 1, 2, 3


@pytest.fixture
async def server(daily, bank_db):
    await daily.setup(G, 222, "09:00", "Europe/Berlin", "partner")
    return bank_db


async def test_record_keeps_how_it_first_knew_them_and_when_it_last_saw_them(server, clock):
    await roster.record(server, clock, G, BOB, "command", "bob")
    clock.advance(hours=5)
    await roster.record(server, clock, G, BOB, "reaction")
    row = await server.fetchone("SELECT how, last_via, display_name, first_seen_at < last_seen_at AS later FROM roster")
    assert tuple(row) == ("command", "reaction", "bob", 1)
    await roster.record(server, clock, G, BOB, "partner")
    assert (await server.fetchone("SELECT how FROM roster"))[0] == "partner", "named as partner wins"
    with pytest.raises(ValueError):
        await roster.record(server, clock, G, BOB, "guess")


async def test_every_path_that_meets_a_member_records_them(server, clock):
    await shares.add(server, clock, G, ALICE, "hello", visibility="group", about_name="alice")
    await members.update(server, clock, G, BOB, quiet_start="21:00")
    await shares.add_note(server, clock, G, CAROL, BOB, "bob: new job monday")
    rows = await server.fetchall("SELECT user_id, how FROM roster ORDER BY user_id")
    assert [tuple(r) for r in rows] == [(ALICE, "share"), (BOB, "command"), (CAROL, "command")]


async def test_left_members_are_out_until_seen_again(server, clock):
    for uid in (ALICE, BOB):
        await roster.record(server, clock, G, uid, "command")
    await roster.left(server, clock, G, BOB)
    assert await roster.present(server, G) == [ALICE]
    assert not await roster.is_present(server, G, BOB)
    await roster.record(server, clock, G, BOB, "intent")
    assert await roster.present(server, G) == [ALICE, BOB]


async def test_sync_from_the_members_intent_marks_the_rest_as_left(server, clock):
    for uid in (ALICE, BOB, CAROL):
        await roster.record(server, clock, G, uid, "command")
    assert await roster.sync(server, clock, G, {ALICE: "alice", BOB: "bob"}) == [CAROL]
    assert await roster.present(server, G) == [ALICE, BOB]


def test_only_other_is_the_one_other_human_of_two():
    assert roster.only_other([ALICE, BOB], ALICE) == BOB
    assert roster.only_other([ALICE, BOB, CAROL], ALICE) is None
    assert roster.only_other([BOB, CAROL], ALICE) is None, "the admin must be one of the two"
    assert roster.only_other([ALICE], ALICE) is None


async def test_partner_mode_nudges_the_named_partner_only_and_group_mode_only_the_roster(server, clock, queue):
    followups = FollowUps(server, clock, queue)
    for uid in (ALICE, BOB, CAROL):
        await roster.record(server, clock, G, uid, "command")
    settings = await guilds.get(server, G)
    assert await followups.recipients(settings, ALICE) == [], "nobody named: nobody nudged"
    await guilds.update(server, clock, G, setup_by=ALICE)
    await roster.name_partner(server, clock, G, ALICE, BOB, "bob")
    settings = await guilds.get(server, G)
    assert await followups.recipients(settings, ALICE) == [BOB]
    assert await followups.recipients(settings, BOB) == [ALICE]
    assert await followups.recipients(settings, CAROL) == [], "not one of the couple"
    await roster.left(server, clock, G, BOB)
    assert await followups.recipients(settings, ALICE) == [], "a partner who left gets nothing"

    await guilds.update(server, clock, G, mode="group")
    settings = await guilds.get(server, G)
    await members.update(server, clock, G, CAROL, receive_checkins=True)
    await followups.circle_add(G, ALICE, BOB)
    assert await followups.recipients(settings, ALICE) == [], "the circle holds only bob, who left"
    await followups.circle_remove(G, ALICE, BOB)
    assert await followups.recipients(settings, ALICE) == [CAROL], "the opted-in pool"
    clock.advance(days=31)
    assert await followups.recipients(settings, ALICE) == [], "not seen for a month"


async def test_withdrawn_consent_cancels_planned_nudges_at_once_but_not_own_reminders(server, clock, queue):
    followups = FollowUps(server, clock, queue)
    await roster.name_partner(server, clock, G, ALICE, BOB, "bob")
    [about_alice] = await followups.plan_share(await shares.add(server, clock, G, ALICE, "exam tomorrow, so stressed",
                                                                visibility="group"))
    [own_note] = await followups.plan_share(await shares.add_note(server, clock, G, BOB, ALICE, "alice: exam tomorrow"))
    assert (about_alice.recipient_id, own_note.recipient_id) == (BOB, BOB)
    assert await followups.consent_withdrawn(G, BOB, checkins_to=True) == 1
    assert (await followups.get(about_alice.id)).status == "cancelled"
    assert (await followups.get(own_note.id)).status == "planned", "bob's own reminder stays"
    jobs = await server.fetchall("SELECT status FROM jobs WHERE kind = 'followup' ORDER BY id")
    assert [r[0] for r in jobs] == ["cancelled", "pending"]


class AskingPort:
    """Answers is_member from a set of (guild, user), counting the questions."""

    def __init__(self, members: set[tuple[int, int]], down: bool = False) -> None:
        self.members, self.down, self.asked = members, down, []

    async def is_member(self, guild_id, user_id):
        self.asked.append(guild_id)
        if self.down:
            raise TransientError("Discord answered 503")
        return (guild_id, user_id) in self.members


async def test_dm_servers_come_from_the_roster_confirmed_by_discord(server, clock, daily):
    await daily.setup(OTHER_G, 444, "09:00", "Europe/Berlin", "group")
    await roster.record(server, clock, G, BOB, "command")
    await roster.record(server, clock, OTHER_G, BOB, "command")
    port = AskingPort({(G, BOB)})
    assert await Roster(server, clock, port).dm_servers(BOB, {G, OTHER_G}) == [G]
    assert not await roster.is_present(server, OTHER_G, BOB), "Discord said bob left"
    assert await Roster(server, clock, port).dm_servers(BOB, {OTHER_G}) == [], "only servers Kindred is in"


async def test_an_unknown_dm_author_is_looked_up_once_a_day_in_small_deployments(server, clock, daily):
    await daily.setup(OTHER_G, 444, "09:00", "Europe/Berlin", "group")
    port = AskingPort({(OTHER_G, CAROL)})
    found = Roster(server, clock, port)
    assert await found.dm_servers(CAROL, {G, OTHER_G, 999}) == [OTHER_G], "999 isn't set up: not asked"
    assert sorted(port.asked) == [G, OTHER_G]
    assert (await server.fetchone("SELECT how FROM roster WHERE user_id = ?", (CAROL,)))[0] == "lookup"
    stranger = Roster(server, clock, port)
    port.asked.clear()
    assert await stranger.dm_servers(ALICE, {G, OTHER_G}) == []
    assert await stranger.dm_servers(ALICE, {G, OTHER_G}) == []
    assert sorted(port.asked) == [G, OTHER_G], "a no is remembered"
    clock.advance(days=1, seconds=1)
    assert await stranger.dm_servers(ALICE, {G, OTHER_G}) == []
    assert len(port.asked) == 4, "asked again a day later"
    big = set(range(1000, 1000 + roster.LOOKUP_LIMIT)) | {G}
    port.asked.clear()
    assert await Roster(server, clock, port).dm_servers(ALICE, big) == [] and port.asked == [], "too many servers to ask"


async def test_when_discord_is_down_the_rosters_word_stands(server, clock):
    await roster.record(server, clock, G, BOB, "command")
    assert await Roster(server, clock, AskingPort(set(), down=True)).confirm(G, BOB)
    assert await roster.is_present(server, G, BOB)


async def test_upgrading_keeps_an_existing_couples_check_ins(tmp_path):
    """Before the roster, partner mode nudged whoever else used Kindred: a two-member server becomes
    the named couple on upgrade, a bigger one waits for an admin to name the partner."""
    import sqlite3

    from bot.storage import Database, migrations

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for version, _name, sql in migrations()[:3]:
        conn.executescript(sql)
    for guild_id, members_ in ((G, (ALICE, BOB)), (OTHER_G, (ALICE, BOB, CAROL))):
        conn.execute("INSERT INTO guilds (guild_id, channel_id, post_time, timezone, mode, created_at, updated_at) "
                     "VALUES (?, 1, '09:00', 'UTC', 'partner', 'x', 'x')", (guild_id,))
        for uid in members_:
            conn.execute("INSERT INTO shares (guild_id, author_id, source, text, visibility, created_at, updated_at) "
                         "VALUES (?, ?, 'share', 'hi', 'group', '2026-01-01T00:00:00Z', 'x')", (guild_id, uid))
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    db = await Database.open(path)
    try:
        couples = [tuple(r) for r in await db.fetchall("SELECT guild_id, setup_by, partner_id FROM guilds ORDER BY guild_id")]
        assert couples == [(G, ALICE, BOB), (OTHER_G, None, None)]
    finally:
        await db.close()
