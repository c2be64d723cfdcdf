"""One clock for the whole service: ``Clock`` is any callable giving an aware UTC now.

The store, the outbox, the queue clock, check-ins and the desk all read the same one
(``Store(where, clock)``; the service takes the store's), so a test moves time by
moving a ``FakeClock``, never by rewriting times in the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class FakeClock:
    """A clock that stands still until moved, for tests."""

    def __init__(self, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("a clock tells aware times")
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, by: timedelta) -> datetime:
        self.now += by
        return self.now

    def set(self, now: datetime) -> None:
        self.now = now
