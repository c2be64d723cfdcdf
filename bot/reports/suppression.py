"""Small-number suppression: any count from 1 to 4 is shown only as "fewer than 5".

A lead's report must not let anyone pick out one person, so small counts are hidden,
and so is anything worked out from them (a median of four waits, a share of three).
The words themselves live in the templates; here a figure only knows it is hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

THRESHOLD = 5


@dataclass(frozen=True, slots=True)
class Shown:
    """A figure as a report may show it: its value, or hidden, or nothing to show."""

    value: float | None
    hidden: bool = False

    @property
    def empty(self) -> bool:
        """Nothing to show (a median of no waits): not the same as hidden."""
        return self.value is None and not self.hidden


HIDDEN = Shown(None, hidden=True)
NOTHING = Shown(None)


def count(n: int) -> Shown:
    """A count: 0 is 0, 1 to 4 are hidden, 5 and more are shown."""
    if 0 < n < THRESHOLD:
        return HIDDEN
    return Shown(n)


def derived(value: float | None, base: int) -> Shown:
    """A figure worked out from ``base`` items: hidden when the base is small."""
    if base == 0 or value is None:
        return NOTHING
    if base < THRESHOLD:
        return HIDDEN
    return Shown(value)


def share(part: int, base: int) -> Shown:
    """A percentage; hidden when either the part or the base is a small count, since
    a share of a shown base would give a hidden part away."""
    if base == 0:
        return NOTHING
    if base < THRESHOLD or 0 < part < THRESHOLD:
        return HIDDEN
    return Shown(round(100 * part / base))
