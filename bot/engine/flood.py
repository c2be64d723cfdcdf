"""Flood control: a sliding window of arrival times per person.

More than LIMIT messages inside WINDOW is a flood. Nothing is dropped because of it:
every message is stored and read for risk; only ordinary replies are held back
(bot/engine/holdback.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

LIMIT = 20
WINDOW = timedelta(minutes=1)


def arrive(arrivals: tuple[str, ...], at: datetime) -> tuple[tuple[str, ...], bool]:
    """Add one arrival; returns the arrivals to keep and whether this one floods."""
    kept = [t for t in arrivals if timedelta(0) <= at - datetime.fromisoformat(t) < WINDOW]
    kept.append(at.isoformat())
    # No more than the limit plus this one are needed to tell; the state stays small.
    return tuple(kept[-(LIMIT + 1) :]), len(kept) > LIMIT
