"""Every slash command Kindred registers is used once with valid options and answers in time."""
from __future__ import annotations

import json

from kindred_world import berlin


def command_paths(registered: list[dict]) -> set[str]:
    paths = set()
    for command in registered:
        subs = [o for o in command.get("options", []) if o["type"] in (1, 2)]
        if not subs:
            paths.add(command["name"])
        for sub in subs:
            if sub["type"] == 1:
                paths.add(f"{command['name']} {sub['name']}")
            else:
                paths.update(f"{command['name']} {sub['name']} {inner['name']}" for inner in sub.get("options", []))
    return paths


async def test_every_command_answers_in_time(kindred):
    emu, alice, bob = kindred.emu, kindred.alice, kindred.bob
    calls = [
        ("kindred setup", alice, dict(channel=kindred.us, time="9am", timezone="Europe/Berlin", mode="partner")),
        ("kindred settings", alice, dict(time="21:30", reveal="together", retention_days=30)),
        ("kindred status", alice, {}),
        ("kindred skip", alice, {}),
        ("kindred pause", alice, {}),
        ("kindred resume", alice, {}),
        ("kindred stats", alice, {}),
        ("question add", alice, dict(text="What made you proud this week?", category="reflective")),
        ("question suggest", bob, dict(text="What song describes your week?")),
        ("question list", alice, {}),
        ("question remove", alice, dict(id=1)),  # a bank question: a clear refusal is still an answer
        ("question now", alice, {}),
        ("share", bob, dict(text="My mum's surgery is on the 14th", check_in=True)),
        ("remember", alice, dict(member=bob, note="bob's mum: surgery on the 14th")),
        ("memories", alice, dict(member=bob)),
        ("privacy", bob, dict(check_ins=True, timezone="Europe/Berlin", quiet_start="22:00", quiet_end="08:00")),
        ("circle add", bob, dict(member=alice)),
        ("circle list", bob, {}),
        ("circle remove", bob, dict(member=alice)),
        ("checkins", alice, {}),
        ("export", bob, {}),
        ("forget", bob, {}),
    ]
    assert {path for path, _, _ in calls} == command_paths(emu.registered_commands()), "a command is missing here"
    for path, person, options in calls:
        res = await person.slash(path, **options)
        assert res.callback_latency is not None and res.callback_latency < 3, path
        assert res.message is not None and res.message.ephemeral, path
    assert emu.failures == []
    zones = await alice.autocomplete("kindred setup", "timezone", "Europe/Be", channel=kindred.us, time="09:00")
    assert "Europe/Berlin" in [c["value"] for c in zones]


async def test_export_and_forget_as_a_member_would(kindred):
    await kindred.setup()
    await kindred.at(berlin(7, 9))
    [post] = kindred.prompts()
    opened = await kindred.bob.click(post, "Answer")
    await (await kindred.bob.submit_modal(opened.modal, "thinking of home")).wait_followup()
    await kindred.bob.slash("share", text="secret thing", private=True)
    await kindred.alice.slash("remember", member=kindred.bob, note="ask bob about home")

    export = await kindred.bob.slash("export")
    [file] = export.message.attachments
    data = json.loads(file.data)
    assert {s["text"] for s in data["shares"]} == {"thinking of home", "secret thing"}
    assert data["notes_about_you"]["count"] == 1 and "ask bob" not in file.data.decode()

    asked = await kindred.bob.slash("forget")
    assert [b["label"] for b in asked.message.buttons] == ["Erase everything", "Keep it"]
    done = await kindred.bob.click(asked.message, "Erase everything")
    await kindred.emu.wait_for(lambda: "Done" in (done.message.content or ""), what="the forget summary")
    assert "answers and shares: 2" in done.message.content and "notes about you: 1" in done.message.content
    assert kindred.emu.messages_in(kindred.emu.thread_of(post)) == [], "the bot deleted its post of bob's answer"
    after = json.loads((await kindred.bob.slash("export")).message.attachments[0].data)
    assert after["shares"] == [] and after["notes_about_you"]["count"] == 0


async def test_suggestion_is_approved_with_a_button_by_an_admin_only(kindred):
    await kindred.setup()
    res = await kindred.bob.slash("question suggest", text="What tiny adventure should we plan next?")
    assert "waiting for an admin" in res.message.content
    await kindred.emu.wait_for(lambda: any(m.buttons for m in kindred.emu.messages_in(kindred.us)), what="the notice")
    [notice] = [m for m in kindred.emu.messages_in(kindred.us) if m.buttons]
    assert notice.allowed_mentions == {"parse": []}
    refused = await kindred.bob.click(notice, "Approve")
    assert refused.message.ephemeral and "Manage Server" in refused.message.content
    approved = await kindred.alice.click(notice, "Approve")
    assert "Approved" in approved.message.content and approved.message.buttons == []
    listed = await kindred.alice.slash("question list")
    assert "What tiny adventure should we plan next?" in listed.message.content


async def test_more_bad_input(kindred):
    category = kindred.guild.add_category("stuff")
    res = await kindred.alice.slash("kindred setup", channel=category, time="09:00", timezone="Europe/Berlin")
    assert "pick a text channel" in res.message.content
    await kindred.setup()
    bot_member = kindred.guild.add_member("otherbot")
    bot_member.user.bot = True
    res = await kindred.alice.slash("remember", member=bot_member, note="beep")
    assert "not bots" in res.message.content
    res = await kindred.alice.slash("remember", member=kindred.alice, note="me")
    assert "someone else" in res.message.content
    res = await kindred.alice.slash("kindred settings", timezone="Not/AZone")
    assert "isn't a time zone" in res.message.content
    res = await kindred.bob.slash("privacy", quiet_start="25:00")
    assert "isn't a time of day" in res.message.content


async def test_rate_limited_post_waits_and_posts_once(kindred):
    await kindred.setup()
    kindred.emu.fail("POST", r"/channels/\d+/messages$", 429, retry_after=0.2)
    await kindred.at(berlin(7, 9))
    assert len(kindred.prompts()) == 1
