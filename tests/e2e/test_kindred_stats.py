"""/kindred stats end to end: a picture attached to an ephemeral reply, its figures as text beside
it and as the picture's description, counting only the answers the group can see."""
from __future__ import annotations

import struct

from kindred_world import berlin


async def test_stats_reply_has_the_picture_and_its_text_twin(kindred):
    await kindred.setup(mode="group")
    await kindred.at(berlin(7, 9))
    [post] = kindred.prompts()
    for person, button, text in ((kindred.bob, "Answer", "out loud"), (kindred.alice, "Answer privately", "just me")):
        opened = await person.click(post, button)
        await (await person.submit_modal(opened.modal, text)).wait_followup()

    res = await kindred.alice.slash("kindred stats")
    assert res.deferred and res.message.ephemeral
    reply = await res.wait_followup(timeout=30)  # the first picture in a process imports matplotlib
    assert reply.ephemeral
    assert "**Last four weeks** (Tue 10 Nov – Mon 07 Dec)" in reply.content
    assert "This week: **1** answer from 1 member; by day: Tue 0 · Wed 0 · Thu 0 · Fri 0 · Sat 0 · Sun 0 · Mon 1" in reply.content
    assert "Answer streak: **1** day" in reply.content
    [picture] = reply.attachments
    assert picture.filename == "kindred-stats.png" and picture.content_type == "image/png"
    assert picture.data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", picture.data[16:24]) == (800, 360)
    assert picture.description.startswith("Chart of this server's last four weeks.")
    assert "This week: 1 answer from 1 member" in picture.description
    assert "just me" not in reply.content + picture.description and "out loud" not in picture.description


async def test_stats_before_setup_says_how_to_start(kindred):
    res = await kindred.alice.slash("kindred stats")
    assert res.message.ephemeral and "/kindred setup" in res.message.content
    assert res.message.attachments == []
