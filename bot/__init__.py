"""Kindred's core: everything but the discord.py extensions in `cogs/`."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kindred")
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "unknown"
