"""A loopback Discord API emulator: the real discord.py client talks to it as to Discord (REST and
gateway on 127.0.0.1). The end-to-end tests and `python -m bot demo` run Kindred against it.

    emu = Emulator()
    await emu.start()                      # REST + gateway on 127.0.0.1, discord.py pointed at it
    guild = emu.add_guild("Home")
    alice = guild.add_member("alice", admin=True)
    ...start the bot with any token, then: await emu.wait_ready()
    res = await alice.slash("kindred setup", channel=guild.text_channels[0])
    assert res.message.content == "..."
    await emu.stop()

See tests/e2e/test_emulator_selftest.py for every feature in use.
"""

from .errors import ApiError, EmulatorError
from .emulator import Emulator
from .interactions import InteractionResult, Modal
from .people import Person
from .rest import RecordedRequest
from .state import Attachment, Channel, ChannelType, Guild, Intents, Message, MessageFlags, Role, User

__all__ = [
    "ApiError",
    "Attachment",
    "Channel",
    "ChannelType",
    "Emulator",
    "EmulatorError",
    "Guild",
    "Intents",
    "InteractionResult",
    "Message",
    "MessageFlags",
    "Modal",
    "Person",
    "RecordedRequest",
    "Role",
    "User",
]
