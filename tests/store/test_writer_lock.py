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


async def test_keyed_holders_of_different_keys_hold_at_once_and_one_key_waits() -> None:
    lock = WriterLock(shared_limit=4)
    await lock.acquire(keys=("a",))
    await asyncio.wait_for(lock.acquire(keys=("b", "c")), 1)  # no key in common: at once
    same = asyncio.create_task(lock.acquire(keys=("c",)))
    await asyncio.sleep(0.01)
    assert not same.done()
    lock.release(("b", "c"))
    await asyncio.wait_for(same, 1)
    lock.release(("c",))
    lock.release(("a",))
    assert not lock.locked()


async def test_an_exclusive_writer_waits_for_keyed_ones_and_holds_later_ones_back() -> None:
    lock = WriterLock(shared_limit=4)
    await lock.acquire(keys=("a",))
    exclusive = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0.01)
    later = asyncio.create_task(lock.acquire(keys=("b",)))  # would fit, but comes after
    await asyncio.sleep(0.01)
    assert not exclusive.done() and not later.done()
    lock.release(("a",))
    await asyncio.wait_for(exclusive, 1)
    await asyncio.sleep(0.01)
    assert not later.done()
    lock.release()
    await asyncio.wait_for(later, 1)
    lock.release(("b",))
    assert not lock.locked()


async def test_a_waiter_is_never_overtaken_on_its_keys_and_the_limit_holds() -> None:
    lock = WriterLock(shared_limit=2)
    await lock.acquire(keys=("a",))
    both = asyncio.create_task(lock.acquire(keys=("a", "b")))
    await asyncio.sleep(0.01)
    later_b = asyncio.create_task(lock.acquire(keys=("b",)))
    await asyncio.sleep(0.01)
    assert not both.done() and not later_b.done()  # "b" is promised to the one before
    await asyncio.wait_for(lock.acquire(keys=("c",)), 1)  # two holders: the limit
    fourth = asyncio.create_task(lock.acquire(keys=("d",)))
    await asyncio.sleep(0.01)
    assert not fourth.done()
    lock.release(("a",))
    await asyncio.wait_for(both, 1)
    lock.release(("c",))
    await asyncio.wait_for(fourth, 1)
    assert not later_b.done()
    lock.release(("a", "b"))
    await asyncio.wait_for(later_b, 1)
    lock.release(("b",))
    lock.release(("d",))
    assert not lock.locked()


async def test_a_cancelled_keyed_waiter_lets_the_ones_it_held_back_go() -> None:
    lock = WriterLock(shared_limit=4)
    await lock.acquire(keys=("a",))
    blocked = asyncio.create_task(lock.acquire(keys=("a", "b")))
    await asyncio.sleep(0.01)
    behind = asyncio.create_task(lock.acquire(keys=("b",)))
    await asyncio.sleep(0.01)
    assert not behind.done()
    blocked.cancel()
    await asyncio.wait_for(behind, 1)
    lock.release(("b",))
    lock.release(("a",))
    assert not lock.locked()


async def test_an_exclusive_writer_is_not_starved_by_overlapping_keyed_ones() -> None:
    lock = WriterLock(shared_limit=4)
    await lock.acquire(keys=("turn",))
    exclusive = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0.01)
    store = asyncio.create_task(lock.acquire(first=True, keys=("store",)))
    await asyncio.sleep(0.01)
    assert not store.done()  # would overlap the holder, and so on forever
    lock.release(("turn",))
    await asyncio.wait_for(store, 1)  # the lock is free: the fast lane goes first, as ever
    assert not exclusive.done()
    lock.release(("store",))
    await asyncio.wait_for(exclusive, 1)
    lock.release()
    assert not lock.locked()
