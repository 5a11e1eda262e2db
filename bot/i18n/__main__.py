"""`python -m bot.i18n update` re-extracts messages into locales/kindred.pot and every catalog;
`python -m bot.i18n new it` starts the catalog of a new language."""
from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from . import extract, languages


async def _tree():
    """The real command tree, from the real extensions (nothing connects)."""
    from ..app import EXTENSIONS, KindredBot
    from ..config import Config
    from ..storage import Database

    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "k.db")
        bot = KindredBot(Config("extract", Path(tmp) / "k.db"), db)
        for name in EXTENSIONS:
            await bot.load_extension(name)
        await db.close()
        return bot.tree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.i18n")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("update", help="re-extract messages and merge them into every catalog")
    new = sub.add_parser("new", help="start a catalog for a new language (a Discord locale code, e.g. it)")
    new.add_argument("language")
    args = parser.parse_args(argv)
    tree = asyncio.run(_tree())
    if args.command == "update":
        for path in extract.update(tree):
            print(f"updated {path.relative_to(extract.ROOT)}")
    else:
        print(f"created {extract.new_catalog(args.language, tree).relative_to(extract.ROOT)}")
        languages.available.cache_clear()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
