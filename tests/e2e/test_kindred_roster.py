"""Who is in the room, end to end: a partner who never typed a command gets their check-in, the
first DM introduces Kindred with a working Stop these button, DM shares find their server, members
who left drop out of nudges and DM shares, withdrawn consent stops a nudge, and servers that changed
while Kindred was offline are reconciled at start-up."""
from __future__ import annotations

import asyncio

import discord
import pytest

from bot.__main__ import privileged_intents_help
from bot.config import Config
from bot.storage import Database
import kindred_world
from kindred_world import berlin

INTERVIEW = "I have a job interview on Thursday and I'm really nervous"


async def _planned(kindred, count: int) -> None:
    """A share's nudges are planned just after its reply: wait for them."""
    await kindred.eventually("SELECT COUNT(*) FROM followups", [(count,)])


async def _couple(kindred, **options):
    res = await kindred.alice.slash("kindred setup", channel=kindred.us, time="09:00", timezone="Europe/Berlin",
                                    mode="partner", **options)
    assert "All set" in res.message.content, res.message.content
    return res


async def test_named_partner_who_never_used_kindred_gets_one_introduced_dm_and_can_stop_them(kindred):
    res = await _couple(kindred, partner=kindred.bob)
    assert f"Partner: <@{kindred.bob.id}>" in res.message.content
    await kindred.at(berlin(9, 10))  # Wednesday
    await kindred.alice.slash("share", text=INTERVIEW)
    await kindred.alice.slash("share", text="my sister's wedding is on the 19th and I'm so stressed about the speech")
    await _planned(kindred, 2)
    await kindred.at(berlin(11, 17, 59))
    assert await kindred.bob.dm_messages() == []
    await kindred.at(berlin(11, 18, 0))
    [dm] = await kindred.bob.wait_dms(1)
    assert dm.content.startswith("👋 I'm Kindred, a bot **alice** set up in **Home**")
    assert "**alice** shared: “I have a job interview on Thursday and I'm really nervous”" in dm.content
    assert [b["label"] for b in dm.buttons] == ["I checked in", "Remind me tomorrow", "Not for me", "Stop these"]
    assert dm.allowed_mentions == {"parse": []}
    assert await kindred.query("SELECT COUNT(*) FROM followups WHERE status = 'planned'") == [(1,)], "the wedding"

    stopped = await kindred.bob.click(dm, "Stop these")
    assert "no more check-in DMs from Kindred for that server" in stopped.message.content
    assert "/privacy check_ins:true" in stopped.message.content
    assert [b["label"] for b in stopped.message.buttons] == ["I checked in", "Remind me tomorrow", "Not for me"]
    assert await kindred.query("SELECT status FROM followups ORDER BY id") == [("sent",), ("cancelled",)]
    await kindred.at(berlin(21, 19))
    assert len(await kindred.bob.dm_messages()) == 1, "nothing after Stop these"
    privacy = await kindred.bob.slash("privacy")
    assert "check-in DMs to you: **off**" in privacy.message.content


async def test_stop_these_refuses_a_member_kindred_doesnt_know_there(kindred):
    await _couple(kindred, partner=kindred.bob)
    await kindred.alice.slash("share", text="exam tomorrow, so stressed")
    await _planned(kindred, 1)
    await kindred.at(berlin(9, 18))
    [dm] = await kindred.bob.wait_dms(1)
    kindred.guild.remove_member(kindred.bob)
    refused = await kindred.bob.click(dm, "Stop these")
    assert refused.message.ephemeral and "doesn't know you in that server" in refused.message.content


async def test_members_intent_finds_the_partner_without_naming_one(kindred):
    await kindred.restart(members_intent=True)
    res = await _couple(kindred)
    assert f"Partner: <@{kindred.bob.id}>" in res.message.content
    assert await kindred.query("SELECT how FROM roster WHERE user_id = ?", (kindred.bob.id,)) == [("partner",)]
    await kindred.alice.slash("share", text=INTERVIEW)
    await _planned(kindred, 1)
    await kindred.at(berlin(11, 18))
    [dm] = await kindred.bob.wait_dms(1)
    assert "I'm Kindred" in dm.content and "Stop these" in [b["label"] for b in dm.buttons]


async def test_members_intent_follows_joins_and_leaves(kindred):
    await kindred.restart(members_intent=True)
    await kindred.setup(mode="group")
    carol = kindred.guild.add_member("carol")
    await kindred.eventually("SELECT how FROM roster WHERE user_id = ?", [("intent",)], (carol.id,))
    kindred.guild.remove_member(carol)
    await kindred.eventually("SELECT left_at IS NOT NULL FROM roster WHERE user_id = ?", [(1,)], (carol.id,))


async def test_partner_mode_without_a_partner_says_how_to_name_one(kindred):
    res = await _couple(kindred)
    assert "Name your partner with `/kindred settings partner:@them`" in res.message.content
    await kindred.at(berlin(7, 9))
    assert len(kindred.prompts()) == 1, "the daily question still comes"
    named = await kindred.alice.slash("kindred settings", partner=kindred.bob)
    assert f"partner <@{kindred.bob.id}>" in named.message.content
    assert named.message.allowed_mentions == {"parse": []}


async def test_naming_a_bot_or_yourself_or_in_group_mode_is_refused_clearly(kindred):
    for partner, mode, says in ((kindred.alice, "partner", "not yourself"),
                                (kindred.bob, "group", "A partner is for partner mode")):
        res = await kindred.alice.slash("kindred setup", channel=kindred.us, time="09:00", timezone="Europe/Berlin",
                                        mode=mode, partner=partner)
        assert res.message.ephemeral and says in res.message.content
    assert await kindred.query("SELECT COUNT(*) FROM guilds") == [(0,)], "nothing saved"


async def test_the_admin_who_ran_setup_can_dm_a_share_straight_away(kindred):
    await _couple(kindred, partner=kindred.bob)
    await kindred.alice.send_dm("exam tomorrow, nervous")
    [reply] = await kindred.alice.wait_dms(1)
    assert "Saved to **Home**" in reply.content and reply.buttons == []
    await kindred.eventually("SELECT source, author_id FROM shares", [("dm", kindred.alice.id)])


async def test_a_member_kindred_never_met_is_found_by_asking_discord(kindred):
    await kindred.setup(mode="group")
    carol = kindred.guild.add_member("carol")
    await carol.send_dm("moving flats on saturday, so much to do")
    [reply] = await carol.wait_dms(1)
    assert "Saved to **Home**" in reply.content
    assert await kindred.query("SELECT how FROM roster WHERE user_id = ?", (carol.id,)) == [("lookup",)]


async def test_a_member_who_left_cant_dm_shares_there_and_batched_nudges_about_them_drop(kindred):
    await kindred.setup(mode="group")
    carol = kindred.guild.add_member("carol")
    await kindred.alice.slash("privacy", check_ins=True)
    for sharer, text in ((kindred.bob, "exam tomorrow, so stressed"), (carol, "exam tomorrow and I'm so nervous")):
        await sharer.slash("circle add", member=kindred.alice)
        await sharer.slash("share", text=text)
    await _planned(kindred, 2)
    kindred.emu.add_guild("Elsewhere").add_member(kindred.bob)  # so Kindred can still answer bob's DMs
    kindred.guild.remove_member(kindred.bob)  # no members intent: Kindred learns it by asking Discord

    await kindred.at(berlin(9, 18))
    [dm] = await kindred.alice.wait_dms(1)
    assert "**carol** shared" in dm.content and "bob" not in dm.content and "gentle nudge from" in dm.content
    assert await kindred.query("SELECT subject_id, status FROM followups ORDER BY id") == [
        (kindred.bob.id, "cancelled"), (carol.id, "sent")]

    await kindred.bob.send_dm("another exam next week")
    [reply] = await kindred.bob.wait_dms(1)
    assert "can't find a server of yours" in reply.content
    assert await kindred.query("SELECT COUNT(*) FROM shares WHERE text = 'another exam next week'") == [(0,)]


async def test_a_member_who_left_cant_pick_that_server_for_a_dm_share(kindred):
    await kindred.setup(mode="group")
    other = kindred.emu.add_guild("Work")
    admin = other.add_member("carol", admin=True)
    team = other.add_text_channel("team")
    await admin.slash("kindred setup", channel=team, time="10:00", timezone="Europe/Berlin", mode="group")
    bob_at_work = other.add_member(kindred.bob)
    await kindred.bob.slash("share", text="hello home")
    await bob_at_work.slash("share", text="hello work")
    await kindred.bob.send_dm("flying home Dec 20")
    [question] = await kindred.bob.wait_dms(1)
    other.remove_member(kindred.bob)
    refused = await kindred.bob.click(question, "Work")
    assert refused.message.ephemeral and "no longer a member of that server" in refused.message.content
    assert await kindred.query("SELECT COUNT(*) FROM shares WHERE text = 'flying home Dec 20'") == [(0,)]


async def test_withdrawn_consent_before_the_nudge_time_means_no_dm(kindred):
    await _couple(kindred, partner=kindred.bob)
    await kindred.alice.slash("share", text=INTERVIEW)
    await _planned(kindred, 1)
    off = await kindred.alice.slash("privacy", follow_ups=False)
    assert "1 planned nudge cancelled" in off.message.content
    await kindred.alice.slash("privacy", follow_ups=True)
    await kindred.alice.slash("share", text="exam tomorrow, so stressed")
    await _planned(kindred, 2)
    off = await kindred.bob.slash("privacy", check_ins=False)
    assert "1 planned nudge cancelled" in off.message.content
    checkins = await kindred.bob.slash("checkins")
    assert "No nudges for you here yet" in checkins.message.content
    await kindred.at(berlin(14, 19))
    assert await kindred.bob.dm_messages() == []


async def test_removed_and_readded_while_offline_is_reconciled_at_start_up(kindred):
    await kindred.setup()
    await kindred.bob.slash("share", text="exam tomorrow, so stressed")
    await _planned(kindred, 1)
    await kindred.stop()
    kindred.emu.world.set_bot_presence(kindred.guild, False)
    await kindred.start()
    await kindred.eventually("SELECT removed_at IS NOT NULL FROM guilds", [(1,)])
    assert await kindred.query("SELECT COUNT(*) FROM jobs WHERE status = 'pending'") == [(0,)]
    await kindred.stop()
    kindred.emu.world.set_bot_presence(kindred.guild, True)
    await kindred.start()
    await kindred.eventually("SELECT removed_at FROM guilds", [(None,)])
    await kindred.eventually("SELECT kind FROM jobs WHERE status = 'pending' ORDER BY kind", [("daily",), ("followup",)])
    await kindred.at(berlin(8, 9))
    assert len(kindred.prompts()) == 1


async def test_asking_for_the_members_intent_while_the_portal_toggle_is_off_ends_start_up_clearly(kindred):
    await kindred.stop()
    kindred.emu.world.privileged_allowed = 0
    db = await Database.open(kindred.db_path)
    config = Config("test-token", kindred.db_path, members_intent=True)
    bot = kindred_world.TestBot(config, db, kindred.clock, sweep_interval=3600)
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with bot:
            await asyncio.wait_for(bot.start("test-token"), 10)
    help_text = privileged_intents_help(config)
    assert "Server Members Intent" in help_text and "KINDRED_MEMBERS_INTENT=false" in help_text
    assert "Message Content" not in help_text


async def test_with_no_partner_named_nobody_is_nudged_and_the_sharer_is_told(kindred):
    await _couple(kindred)
    mallory = kindred.guild.add_member("mallory")
    await mallory.slash("checkins")  # Kindred knows her now
    shared = await kindred.alice.slash("share", text=INTERVIEW)
    assert "No partner is named here yet" in shared.message.content
    await kindred.at(berlin(14, 19))
    assert await mallory.dm_messages() == [] and await kindred.bob.dm_messages() == []


async def test_a_new_partner_or_another_admins_setup_takes_planned_nudges_from_the_old_one(kindred):
    await _couple(kindred, partner=kindred.bob)
    carol = kindred.guild.add_member("carol", admin=True)
    await kindred.alice.slash("share", text=INTERVIEW)
    await _planned(kindred, 1)
    await kindred.alice.slash("kindred settings", partner=carol)
    assert await kindred.query("SELECT status FROM followups") == [("cancelled",)]
    await kindred.alice.slash("share", text="exam tomorrow, so stressed")
    await _planned(kindred, 2)
    res = await carol.slash("kindred setup", channel=kindred.us, time="09:00", timezone="Europe/Berlin", mode="partner")
    assert "Name your partner" in res.message.content, "alice's partner isn't carol's"
    await kindred.at(berlin(14, 19))
    assert await kindred.bob.dm_messages() == [] and await carol.dm_messages() == []


async def test_removing_someone_from_your_circle_takes_their_planned_nudge(kindred):
    await kindred.setup(mode="group")
    carol = kindred.guild.add_member("carol")
    for person in (kindred.alice, carol):
        await person.slash("privacy", check_ins=True)
        await kindred.bob.slash("circle add", member=person)
    await kindred.bob.slash("share", text="exam tomorrow, so stressed")
    await _planned(kindred, 2)
    await kindred.bob.slash("circle remove", member=kindred.alice)
    await kindred.at(berlin(9, 19))  # Wednesday evening, when the nudge is due (a day later it would expire)
    assert await kindred.alice.dm_messages() == []
    assert len(await carol.wait_dms(1)) == 1
