"""Login lockout: after MAX_FAILURES wrong passwords for a name, it waits LOCK_FOR."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Failures:
    count: int = 0
    locked_until: datetime | None = None


def is_locked(failures: Failures, now: datetime) -> bool:
    return failures.locked_until is not None and now < failures.locked_until


def after_failure(failures: Failures, now: datetime) -> Failures:
    """One more wrong password; the count starts again once a lock has passed."""
    count = 1 if failures.locked_until is not None else failures.count + 1
    if count >= MAX_FAILURES:
        return Failures(count, now + LOCK_FOR)
    return Failures(count, None)
