"""Collecting the messages to translate: `_()`/`_n()` calls in bot/ and cogs/, plus every name,
description and choice of the slash commands; writing the template and merging it into catalogs."""
from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po
from discord import app_commands

from .catalogs import NAME_CONTEXT
from .languages import LOCALE_DIR, available

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("bot", "cogs")
KEYWORDS = {"_": None, "_n": (1, 2)}
TEMPLATE = LOCALE_DIR / "kindred.pot"


def source_messages() -> list[tuple[str | tuple[str, str], str]]:
    """(msgid or (singular, plural), where) for every marked message in the code."""
    found = []
    for folder in SOURCES:
        for filename, lineno, message, _comments, _context in extract_from_dir(
                ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()):
            found.append((message, f"{folder}/{filename}:{lineno}"))
    return found


def tree_messages(tree: app_commands.CommandTree) -> list[tuple[str, str | None, str]]:
    """(message, context, where) for every user-visible string of the slash commands."""
    found: list[tuple[str, str | None, str]] = []

    def walk(command, path: str) -> None:
        where = f"/{path}"
        found.append((command.name, NAME_CONTEXT, where))
        found.append((str(command.description), None, where))
        if isinstance(command, app_commands.Group):
            for child in command.commands:
                walk(child, f"{path} {child.name}")
            return
        for param in command.parameters:
            found.append((param.name, NAME_CONTEXT, f"{where} {param.name}"))
            if param.description and param.description != "…":
                found.append((str(param.description), None, f"{where} {param.name}"))
            for choice in param.choices:
                named = getattr(choice, "_locale_name", None) or choice.name
                if isinstance(named, app_commands.locale_str) and named.extras.get("verbatim"):
                    continue
                found.append((str(choice.name), None, f"{where} {param.name}"))

    for command in tree.get_commands():
        walk(command, command.name)
    return found


def template(tree: app_commands.CommandTree) -> Catalog:
    catalog = Catalog(project="Kindred", charset="utf-8")
    for message, where in source_messages():
        catalog.add(message, locations=[(where.rsplit(":", 1)[0], int(where.rsplit(":", 1)[1]))],
                    flags=("python-brace-format",) if _has_braces(message) else ())
    for message, context, where in tree_messages(tree):
        catalog.add(message, locations=[(where, None)], context=context)
    return catalog


def _has_braces(message) -> bool:
    return any("{" in m for m in (message if isinstance(message, tuple) else (message,)))


def update(tree: app_commands.CommandTree) -> list[Path]:
    """Write the template, and merge it into every catalog (new messages untranslated, gone ones dropped)."""
    pot = template(tree)
    if TEMPLATE.exists():  # unchanged messages keep the template's date: an update with nothing new changes no file
        with open(TEMPLATE, "rb") as f:
            old = read_po(f)
        if _messages(old) == _messages(pot):
            pot.creation_date = old.creation_date
    with open(TEMPLATE, "wb") as f:
        write_po(f, pot, width=100, omit_header=False)
    written = []
    for language in available()[1:]:
        path = LOCALE_DIR / f"{language}.po"
        with open(path, "rb") as f:
            catalog = read_po(f, locale=language.replace("-", "_"))
        catalog.update(pot, no_fuzzy_matching=True)
        with open(path, "wb") as f:
            write_po(f, catalog, width=100, ignore_obsolete=True)
        written.append(path)
    return written


def _messages(catalog: Catalog) -> list:
    return sorted((str(m.id), m.context or "", sorted(map(str, m.locations))) for m in catalog if m.id)


def new_catalog(language: str, tree: app_commands.CommandTree) -> Path:
    """Start the catalog of a new language from the template."""
    pot = template(tree)
    catalog = Catalog(locale=language.replace("-", "_"), project="Kindred", charset="utf-8")
    catalog.update(pot, no_fuzzy_matching=True)
    path = LOCALE_DIR / f"{language}.po"
    with open(path, "wb") as f:
        write_po(f, catalog, width=100)
    return path
