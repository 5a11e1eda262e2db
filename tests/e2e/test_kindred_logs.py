"""Logs never carry private words, at any level: private answers, private shares and DM shares
go through the real client and database while every log line is captured."""
from __future__ import annotations

import logging

import pytest

from bot.log_privacy import PAYLOAD_LOGGERS, hold_payload_loggers
from kindred_world import berlin

MARKER = "LOGMARKER"


@pytest.fixture
def held_loggers():
    hold_payload_loggers()
    yield
    for name in PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET)


@pytest.mark.parametrize("level", ["DEBUG", "INFO", "WARNING", "ERROR"])
async def test_private_words_never_reach_the_log(kindred, caplog, held_loggers, level):
    caplog.set_level(level)
    await kindred.setup()
    await kindred.at(berlin(7, 9))
    [post] = kindred.prompts()
    opened = await kindred.bob.click(post, "Answer privately")
    await (await kindred.bob.submit_modal(opened.modal, f"{MARKER} answer")).wait_followup()
    await kindred.bob.slash("share", text=f"{MARKER} share, exam tomorrow and I'm scared", private=True)
    await kindred.bob.send_dm(f"{MARKER} by DM")
    await kindred.bob.wait_dms(1)
    await kindred.eventually("SELECT COUNT(*) FROM shares", [(3,)])
    assert caplog.records or level != "DEBUG", "DEBUG does log"
    assert MARKER not in caplog.text


async def test_the_dedicated_setting_lets_payload_loggers_through(kindred, caplog):
    hold_payload_loggers(payloads=True)
    caplog.set_level("DEBUG")
    await kindred.bob.slash("share", text=f"{MARKER} visible on purpose")
    assert MARKER in caplog.text, "KINDRED_LOG_PAYLOADS=true shows payloads, for debugging a test server"
