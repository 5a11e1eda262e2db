"""The compiled catalogs. The `.po` files are the source; they are compiled (Babel's `write_mo`) in
memory when first used, so a fresh clone needs no build step and a catalog can never be stale."""
from __future__ import annotations

import gettext
import io
from functools import lru_cache

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from .languages import DEFAULT, LOCALE_DIR, available

# The gettext context of slash command, group and option names ("add" the command can differ from
# "add" in a sentence).
NAME_CONTEXT = "command name"


def read_catalog(language: str):
    """The Babel catalog of a language's `.po` file."""
    with open(LOCALE_DIR / f"{language}.po", "rb") as f:
        return read_po(f, locale=language.replace("-", "_"))


def load_all() -> None:
    """Compile every catalog now (about 50 ms each), so no member's first reply waits for it."""
    for language in available():
        translation(language)


@lru_cache(maxsize=None)
def translation(language: str) -> gettext.NullTranslations:
    """The gettext translation for a language; English (the source) and unknown ones return the msgid."""
    if language == DEFAULT or language not in available():
        return gettext.NullTranslations()
    compiled = io.BytesIO()
    write_mo(compiled, read_catalog(language))  # fuzzy entries are left out: they fall back to English
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def command_name(name: str, language: str) -> str | None:
    """A command's, group's or option's name as Discord shows it in `language`; None when the catalog has
    none (Discord then shows the English)."""
    found = translation(language).pgettext(NAME_CONTEXT, name)
    return found if found != name else None
