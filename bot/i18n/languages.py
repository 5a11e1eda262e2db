"""Which languages Kindred speaks, and which of them a Discord locale means."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import babel

DEFAULT = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locales"


@lru_cache(maxsize=1)
def available() -> tuple[str, ...]:
    """English first, then every language with a catalog, in file-name order."""
    return (DEFAULT, *sorted(p.stem for p in LOCALE_DIR.glob("*.po")))


def match(locale: object) -> str | None:
    """The language for a Discord locale (`discord.Locale` or its value): the catalog named exactly so,
    else the one for its language (`es-419` and `es-ES` -> `es`, `en-GB` -> `en`); None if unsupported."""
    if locale is None:
        return None
    code = str(getattr(locale, "value", locale)).strip()
    if not code:
        return None
    by_lower = {c.lower(): c for c in available()}
    return by_lower.get(code.lower()) or by_lower.get(code.split("-")[0].lower())


def resolve(*locales: object) -> str:
    """The first supported language among `locales` (e.g. a member's, then the server's), else English."""
    for locale in locales:
        found = match(locale)
        if found:
            return found
    return DEFAULT


@lru_cache(maxsize=None)
def babel_locale(language: str) -> babel.Locale:
    return babel.Locale.parse(language, sep="-")


def native_name(language: str) -> str:
    """`Deutsch`, `Português (Brasil)`: how a language calls itself."""
    name = babel_locale(language).get_display_name(babel_locale(language))
    return name[:1].upper() + name[1:]
