"""Login lockout: after MAX_FAILURES wrong passwords for a name, it waits LOCK_FOR.

A try is counted before its password is checked (``start_try``), in the same write as
the check that the name is not locked, so a burst of guesses sent at once gets at most
MAX_FAILURES of them checked; a right password then clears the count.
"""

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


def start_try(failures: Failures, now: datetime) -> Failures | None:
    """A login try for a name, counted before its password is checked; None refuses it
    (locked). The try that reaches MAX_FAILURES is still checked, and locks the name for
    every try after it, including those already sent."""
    if is_locked(failures, now):
        return None
    return after_failure(failures, now)
