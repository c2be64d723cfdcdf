"""The one clock (bot/clock.py): real time in UTC, or a fake that moves only when told."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import FakeClock, utc_now

T0 = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)


def test_the_real_clock_is_aware_utc() -> None:
    assert utc_now().tzinfo is UTC


def test_a_fake_clock_stands_still_until_moved() -> None:
    clock = FakeClock(T0)
    assert clock() == clock() == T0
    assert clock.advance(timedelta(minutes=5)) == T0 + timedelta(minutes=5) == clock()
    clock.set(T0)
    assert clock() == T0


def test_a_fake_clock_refuses_a_naive_time() -> None:
    with pytest.raises(ValueError, match="aware"):
        FakeClock(datetime(2026, 12, 1, 20, 0))
