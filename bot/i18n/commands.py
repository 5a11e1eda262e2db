"""Slash commands in each member's client language, through discord.py's Translator.

Names (of commands, groups and options) are looked up under the gettext context `command name`, so
"add" the command can differ from "add" in a sentence; descriptions and choice names are plain
messages. The strings are collected from the command tree itself (see `extract.tree_messages`)."""
from __future__ import annotations

from discord import Locale, app_commands
from discord.app_commands import TranslationContextLocation as Where

from .catalogs import NAME_CONTEXT, command_name, translation
from .languages import DEFAULT, match

NAMES = (Where.command_name, Where.group_name, Where.parameter_name)


def translate(message: str, language: str, is_name: bool) -> str | None:
    """The translation, or None where the catalog has none (Discord then shows the English)."""
    if is_name:
        return command_name(message, language)
    found = translation(language).gettext(message)
    return found if found != message else None


class KindredTranslator(app_commands.Translator):
    async def translate(self, string: app_commands.locale_str, locale: Locale,
                        context: app_commands.TranslationContext) -> str | None:
        language = match(locale)
        if string.extras.get("verbatim") or language is None or language == DEFAULT:
            return None
        return translate(string.message, language, context.location in NAMES)
