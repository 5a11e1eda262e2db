"""Polling until the emulated state satisfies a condition."""

from __future__ import annotations

import asyncio
from typing import Callable

POLL_INTERVAL = 0.01


async def wait_until(predicate: Callable[[], object], timeout: float, what: str) -> None:
    """Return once ``predicate()`` is truthy; raise ``TimeoutError`` naming ``what`` after ``timeout`` s."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() >= deadline:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(POLL_INTERVAL)
