"""The writer's lock, with a fast lane: storing what a person just sent goes before
turns, deliveries and housekeeping that are waiting for the writer.

The webhook answer waits on that store (nothing is acknowledged before it is stored),
and providers retry slow webhooks; the rest can wait a few milliseconds more without
anyone noticing. Within each lane, first come first served.

Two modes. Exclusive (no ``keys``, as SQLite always asks): one holder, nothing beside
it. Keyed (``keys``, PostgreSQL only): any number of holders at once as long as no two
share a key and no exclusive holder is in; a write that touches only one person's rows
names that person, so two people's writes run side by side (``Database.write(key=…)``).
A waiter is never overtaken on its keys by one that came after it, and while an
exclusive write waits no keyed one joins the holders, so a key-less write (a supporter
taking a conversation, the queue clock) waits for the writes already in and never for
a stream of keyed ones.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(eq=False)
class _Waiter:
    keys: frozenset[str] | None  # None: exclusive
    done: asyncio.Future[None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class WriterLock:
    def __init__(self, shared_limit: int = 1) -> None:
        # How many keyed holders at once (each holds a pooled connection meanwhile).
        self._limit = max(1, shared_limit)
        self._exclusive = False
        self._keys: set[str] = set()
        self._shared = 0
        self._first: deque[_Waiter] = deque()
        self._rest: deque[_Waiter] = deque()

    def locked(self) -> bool:
        return self._exclusive or self._shared > 0

    async def acquire(self, first: bool = False, keys: Iterable[str] | None = None) -> None:
        """Wait for the lock: exclusive without ``keys``, else keyed by them (an empty
        collection of keys is still keyed: it waits only for exclusive holders)."""
        waiter = _Waiter(None if keys is None else frozenset(keys))
        lane = self._first if first else self._rest
        lane.append(waiter)
        self._grant()
        if waiter.done.done():
            return
        try:
            await waiter.done
        except asyncio.CancelledError:
            if waiter.done.done() and not waiter.done.cancelled():
                self.release(waiter.keys)  # granted as we were cancelled: pass it on
            else:
                if waiter in lane:
                    lane.remove(waiter)
                self._grant()  # it may have been holding others back
            raise

    def release(self, keys: Iterable[str] | None = None) -> None:
        """Give back what ``acquire`` was given: the same ``keys`` (None: exclusive)."""
        if keys is None:
            self._exclusive = False
        else:
            self._shared -= 1
            self._keys.difference_update(keys)
        self._grant()

    def _fits(self, waiter: _Waiter, reserved: set[str]) -> bool:
        if self._exclusive:
            return False
        if waiter.keys is None:
            return self._shared == 0
        return (
            self._shared < self._limit
            and not (waiter.keys & self._keys)
            and not (waiter.keys & reserved)
        )

    def _grant(self) -> None:
        """Hand the lock to every waiter that may have it now, in order."""
        if self._shared and any(
            w.keys is None and not w.done.done() for lane in (self._first, self._rest) for w in lane
        ):
            # An exclusive write is waiting for the keyed holders to finish: no more join
            # them, so it waits for those alone (never starved by overlapping ones).
            return
        reserved: set[str] = set()  # keys of earlier waiters still waiting
        for lane in (self._first, self._rest):
            for waiter in list(lane):
                if waiter.done.done():  # cancelled: its task removes it
                    continue
                if self._fits(waiter, reserved):
                    lane.remove(waiter)
                    if waiter.keys is None:
                        self._exclusive = True
                    else:
                        self._shared += 1
                        self._keys.update(waiter.keys)
                    waiter.done.set_result(None)
                    if self._exclusive:
                        return
                    continue
                if waiter.keys is None:
                    # An exclusive write waits for the holders to finish: nothing after
                    # it goes first (a fast-lane one holds back the slow lane too).
                    return
                reserved.update(waiter.keys)
