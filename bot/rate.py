"""A shared pace: callers wait their turn so that, together, they stay under `per_second`.

Turns are spaced evenly (no bursts), on the event loop's clock, so one Rate shared by every
concurrent sender keeps the whole process under Discord's global limit (or a DM pace). A caller the
loop woke late (it was busy) makes no burst either: no second ever holds more turns, as they really
began, than the even pace puts in one (`per_second` rounded up), which is what Discord counts. On
the pace that window never binds, so a turn sleeps once, until its slot."""
from __future__ import annotations

import asyncio
import math
from collections import deque

# On an integral pace a turn's slot is exactly a second after the turn `per_second` before it:
# what floating-point sums of the interval are off by is not a wait.
WINDOW_SLACK = 1e-6


class Rate:
    def __init__(self, per_second: float) -> None:
        if per_second <= 0:
            raise ValueError("a rate must be positive")
        self.per_second = per_second
        self._interval = 1.0 / per_second
        self._next = 0.0
        self._began: deque[float] = deque(maxlen=math.ceil(per_second))  # when the last turns began

    async def turn(self) -> None:
        """Wait for this caller's slot (returns at once while the pace is not reached)."""
        loop, began = asyncio.get_running_loop(), self._began
        now = loop.time()
        slot = max(now, self._next)
        self._next = slot + self._interval
        if slot > now:
            await asyncio.sleep(slot - now)
        while len(began) == began.maxlen and (wait := began[0] + 1.0 - loop.time()) > WINDOW_SLACK:
            await asyncio.sleep(wait)
        began.append(loop.time())
