"""Supervision of the service's long-running tasks (polling, processor, senders, clocks).

A task that raises is logged by the error's type and where it was raised (never its
message: that may quote what a person said), then started again after a backoff that
doubles up to ``cap``. A task that has died ``limit`` times within ``window`` seconds is
reported by ``failing()``, and ``/healthz`` answers 503 naming it, so a task that keeps
dying is seen instead of leaving people unanswered behind a green health check.
"""

from __future__ import annotations

import asyncio
import logging
import time
import traceback
from collections import deque
from collections.abc import Awaitable, Callable
from pathlib import Path

log = logging.getLogger("waitingroom.supervise")


def where(error: BaseException) -> str:
    """The error's type and where it was raised; its message may quote what a person said."""
    frames = traceback.extract_tb(error.__traceback__)
    place = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}{place}"


class Supervisor:
    """Starts tasks that are restarted with backoff when they raise."""

    def __init__(
        self,
        *,
        base: float = 1.0,
        cap: float = 60.0,
        limit: int = 3,
        window: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base = base
        self.cap = cap
        self.limit = limit
        self.window = window
        self._clock = clock
        self._deaths: dict[str, deque[float]] = {}

    def spawn(
        self,
        name: str,
        factory: Callable[[], Awaitable[None]],
        stopping: Callable[[], bool] = lambda: False,
    ) -> asyncio.Task[None]:
        """Run ``factory()`` as a task named ``name``, again after each failure; a normal
        return ends it, and so does a failure once ``stopping()`` is true."""
        return asyncio.create_task(self.run(name, factory, stopping), name=name)

    async def run(
        self,
        name: str,
        factory: Callable[[], Awaitable[None]],
        stopping: Callable[[], bool] = lambda: False,
    ) -> None:
        in_a_row = 0
        while True:
            started = self._clock()
            try:
                await factory()
                return
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self._record(name)
                if self._clock() - started > self.window:
                    in_a_row = 0  # it ran well for a long while: start the backoff afresh
                delay = min(self.cap, self.base * 2**in_a_row)
                in_a_row += 1
                if stopping():
                    log.error("task %s died while stopping (%s)", name, where(error))
                    return
                log.error("task %s died (%s); restarting in %.1fs", name, where(error), delay)
            await asyncio.sleep(delay)

    def _record(self, name: str) -> None:
        deaths = self._deaths.setdefault(name, deque(maxlen=max(self.limit, 1) * 4))
        deaths.append(self._clock())

    def failing(self) -> list[str]:
        """Tasks that have died at least ``limit`` times in the last ``window`` seconds."""
        since = self._clock() - self.window
        return sorted(
            name
            for name, deaths in self._deaths.items()
            if sum(1 for at in deaths if at >= since) >= self.limit
        )
