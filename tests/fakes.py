"""Test doubles shared by the unit tests: a Discord port that records, and a small question bank."""
from __future__ import annotations

import itertools

from bot import custom_ids, questions


class FakePort:
    """Records what would be sent to Discord; `fail_next` makes the next calls of a method raise."""

    def __init__(self) -> None:
        self.ids = itertools.count(1000)
        self.prompts: list[tuple[int, object, str]] = []
        self.sent: dict[int, tuple[int, str]] = {}  # message id -> (channel, a custom_id on it), for look-backs
        self.look_backs = 0
        self.threads: dict[int, int] = {}
        self.answers: dict[int, tuple[int, object]] = {}
        self.deleted: list[int] = []
        self.failures: dict[str, list[Exception]] = {}
        self.nonces: dict[str, int] = {}
        self.dms: list[tuple[int, str, int, str]] = []  # (channel id, content, followup id, nonce)
        self.left: set[tuple[int, int]] = set()  # (guild id, user id) no longer members
        self.lookups: list[int] = []  # every member look-up asked for, by user id
        self.stop_buttons: dict[int, int | None] = {}  # DM message id -> the server its Stop these button is for

    def forget_nonces(self) -> None:
        """What Discord does a few minutes after a send."""
        self.nonces.clear()

    def fail_next(self, method: str, *errors: Exception) -> None:
        self.failures.setdefault(method, []).extend(errors)

    def _maybe_fail(self, method: str) -> None:
        pending = self.failures.get(method)
        if pending:
            raise pending.pop(0)

    async def post_prompt(self, channel_id, card, nonce):
        self._maybe_fail("post_prompt")
        if nonce in self.nonces:  # like Discord with enforce_nonce: the same message again
            return self.nonces[nonce]
        message_id = next(self.ids)
        self.nonces[nonce] = message_id
        self.prompts.append((channel_id, card, nonce))
        self.sent[message_id] = (channel_id, custom_ids.answer(card.prompt_id, "group"))
        return message_id

    async def find_own_message(self, channel_id, custom_id):
        self._maybe_fail("find_own_message")
        self.look_backs += 1
        # Like Discord's newest-first history: the latest message carrying it.
        return next((mid for mid, sent in reversed(self.sent.items()) if sent == (channel_id, custom_id)), None)

    async def start_thread(self, channel_id, message_id, name):
        self._maybe_fail("start_thread")
        self.threads.setdefault(message_id, message_id)
        return message_id

    async def post_answer(self, thread_id, card):
        self._maybe_fail("post_answer")
        message_id = next(self.ids)
        self.answers[message_id] = (thread_id, card)
        return message_id

    async def edit_answer(self, thread_id, message_id, card):
        self._maybe_fail("edit_answer")
        self.answers[message_id] = (thread_id, card)

    async def open_dm(self, user_id):
        self._maybe_fail("open_dm")
        return 50_000 + user_id

    async def send_dm(self, channel_id, content, followup_id, nonce, stop_guild_id=None, language="en"):
        self._maybe_fail("send_dm")
        if nonce in self.nonces:
            return self.nonces[nonce]
        message_id = self.nonces[nonce] = next(self.ids)
        self.dms.append((channel_id, content, followup_id, nonce))
        self.stop_buttons[message_id] = stop_guild_id
        self.sent[message_id] = (channel_id, custom_ids.followup(followup_id, "done"))
        return message_id

    def guild_name(self, guild_id):
        return f"Server {guild_id}"

    async def is_member(self, guild_id, user_id):
        self.lookups.append(user_id)
        return (guild_id, user_id) not in self.left

    async def delete_message(self, channel_id, message_id):
        self._maybe_fail("delete_message")
        self.deleted.append(message_id)
        self.answers.pop(message_id, None)


BANK = [
    {"id": f"{cat}-{n:03d}", "text": f"A {cat} question number {n}?", "category": cat, "depth": 1 + n % 3,
     "audience": {"partner": "partner", "team": "group"}.get(cat, "any")}
    for cat in questions.CATEGORIES for n in range(4)
]
