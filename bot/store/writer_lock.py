"""The single writer's lock, with a fast lane: storing what a person just sent goes
before turns, deliveries and housekeeping that are waiting for the writer.

The webhook answer waits on that store (nothing is acknowledged before it is stored),
and providers retry slow webhooks; the rest can wait a few milliseconds more without
anyone noticing. Within each lane, first come first served.
"""

from __future__ import annotations

import asyncio
from collections import deque


class WriterLock:
    def __init__(self) -> None:
        self._held = False
        self._first: deque[asyncio.Future[None]] = deque()
        self._rest: deque[asyncio.Future[None]] = deque()

    def locked(self) -> bool:
        return self._held

    async def acquire(self, first: bool = False) -> None:
        if not self._held and not self._first and not self._rest:
            self._held = True
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        lane = self._first if first else self._rest
        lane.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release()  # handed the lock as we were cancelled: pass it on
            elif waiter in lane:
                # (Not there if a release already passed over it, cancelled, to the next.)
                lane.remove(waiter)
            raise

    def release(self) -> None:
        for lane in (self._first, self._rest):
            while lane:
                waiter = lane.popleft()
                if not waiter.done():
                    waiter.set_result(None)  # the lock passes straight to this waiter
                    return
        self._held = False
