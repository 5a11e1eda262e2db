"""Logs never carry members' words. Kindred's own lines name ids, never text; the third-party
loggers that dump payloads at DEBUG (aiosqlite: every statement with its values; discord.py's
gateway: every event; its HTTP client and webhooks: every request and response body) are held at
INFO whatever KINDRED_LOG_LEVEL says, unless KINDRED_LOG_PAYLOADS=true asks for them (on a test
server: those lines show private answers and shares in full)."""
from __future__ import annotations

import logging

PAYLOAD_LOGGERS = ("aiosqlite", "discord.gateway", "discord.http", "discord.webhook")


def hold_payload_loggers(payloads: bool = False, floor: int = logging.INFO) -> None:
    """Hold the payload loggers at `floor` (INFO or above), or let everything through with `payloads`
    (DEBUG, set on the logger itself so a quieter parent such as `discord` doesn't hold it back)."""
    for name in PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if payloads else max(floor, logging.INFO))
