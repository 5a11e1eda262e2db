"""Whose language: each member's Discord locale as last seen (a DM has no interaction to read it
from), kept with the member in the roster, and the server's preferred locale. Interactions in a
server record the member's locale with the member (`roster.record`); this notes the rest."""
from __future__ import annotations

from .. import guilds
from ..clock import Clock
from ..storage import Database
from .languages import resolve


class Locales:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db, self.clock = db, clock
        self._guilds: dict[int, str] = {}  # what is stored already, so an unchanged locale costs no write

    async def seen(self, user_id: int, locale: object, guild_id: int | None = None, guild_locale: object = None) -> None:
        """An interaction showed these locales. In a DM (no server) the member's goes to every server
        they are known in: it is their client's language, not a server's."""
        if guild_id is None and locale is not None:
            await self.db.execute("UPDATE roster SET locale = ? WHERE user_id = ? AND locale IS NOT ?",
                                  (_code(locale), user_id, _code(locale)))
        if guild_id is not None and guild_locale is not None:
            code = _code(guild_locale)
            if self._guilds.get(guild_id) != code:
                await guilds.seen_locale(self.db, guild_id, code)
                self._guilds[guild_id] = code

    async def member(self, user_id: int) -> str | None:
        """The member's Discord locale as last seen anywhere, if ever."""
        row = await self.db.fetchone("SELECT locale FROM roster WHERE user_id = ? AND locale IS NOT NULL "
                                     "ORDER BY last_seen_at DESC LIMIT 1", (user_id,))
        return row["locale"] if row else None

    async def for_dm(self, user_id: int, server: guilds.GuildSettings | None) -> str:
        """A DM's language: the recipient's last seen locale, else the server's language."""
        return resolve(await self.member(user_id), server.language if server else None)


def _code(locale: object) -> str:
    return str(getattr(locale, "value", locale))
