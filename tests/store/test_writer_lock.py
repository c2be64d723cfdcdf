"""The writer's lock: one holder; stores of inbound messages go first; nothing is lost
to cancellation."""

from __future__ import annotations

import asyncio

import pytest

from bot.store.writer_lock import WriterLock


async def _take(lock: WriterLock, name: str, first: bool, order: list[str]) -> None:
    await lock.acquire(first)
    order.append(name)
    await asyncio.sleep(0)
    lock.release()


async def test_waiting_stores_go_before_other_writes_each_in_turn() -> None:
    lock = WriterLock()
    await lock.acquire()
    order: list[str] = []
    tasks = [
        asyncio.create_task(_take(lock, name, first, order))
        for name, first in (
            ("turn-1", False),
            ("store-1", True),
            ("send", False),
            ("store-2", True),
        )
    ]
    await asyncio.sleep(0)
    lock.release()
    await asyncio.gather(*tasks)
    assert order == ["store-1", "store-2", "turn-1", "send"]
    assert not lock.locked()


async def test_a_cancelled_waiter_never_keeps_the_lock() -> None:
    lock = WriterLock()
    await lock.acquire()
    waiting = asyncio.create_task(lock.acquire(first=True))
    behind = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0)
    waiting.cancel()
    lock.release()
    await asyncio.wait_for(behind, 1)  # the lock passed over the cancelled waiter
    assert lock.locked()
    lock.release()
    assert not lock.locked()


async def test_a_waiter_cancelled_as_it_is_handed_the_lock_passes_it_on() -> None:
    lock = WriterLock()
    await lock.acquire()
    handed = asyncio.create_task(lock.acquire())
    next_in_line = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0)
    lock.release()  # hands the lock to the first waiter...
    handed.cancel()  # ...which is cancelled before it runs
    await asyncio.wait_for(next_in_line, 1)
    assert lock.locked()
    lock.release()
    assert not lock.locked()


async def test_a_waiter_cancelled_and_passed_over_before_it_wakes_raises_only_cancelled() -> None:
    """Cancelled, then the holder releases before the cancelled task runs again: the
    release passes over it to the next, and the cancelled one must not trip on that."""
    lock = WriterLock()
    await lock.acquire()
    cancelled = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0)  # waiting in its lane
    after = asyncio.create_task(_take(lock, "after", False, order := []))
    await asyncio.sleep(0)
    cancelled.cancel()  # its future is cancelled at once; the task has not run again yet
    lock.release()  # passes over the cancelled waiter to "after"
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    await after
    assert order == ["after"] and not lock.locked()
