"""Small-number suppression: any count from 1 to 4 is shown only as "fewer than 5".

A lead's report must not let anyone pick out one person, so small counts are hidden,
and anything worked out from them is withheld (a median of four waits, a share of
three). So is a total when it, less the parts shown beside it, would give a hidden
number away (15 contacts, 12 of them from people: the carers would be 3).
The words themselves live in the templates; here a figure only knows it is hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5


@dataclass(frozen=True, slots=True)
class Shown:
    """A figure as a report may show it: its value, or hidden, or nothing to show."""

    value: float | None
    hidden: bool = False
    # Not a small count itself, but worked out from one or able to give one away.
    withheld: bool = False

    @property
    def empty(self) -> bool:
        """Nothing to show (a median of no waits): not the same as hidden."""
        return self.value is None and not self.hidden and not self.withheld


HIDDEN = Shown(None, hidden=True)
WITHHELD = Shown(None, withheld=True)
NOTHING = Shown(None)


def count(n: int) -> Shown:
    """A count: 0 is 0, 1 to 4 are hidden, 5 and more are shown."""
    if 0 < n < THRESHOLD:
        return HIDDEN
    return Shown(n)


def total(n: int, *breakdowns: Sequence[tuple[int, Shown]]) -> Shown:
    """A total of parts, each breakdown given as (true count, as shown) pairs.

    Withheld when the parts not shown exactly add up to 1 to 4, or when there is one
    such part and it is itself withheld: subtracting would give it away.
    """
    if 0 < n < THRESHOLD:
        return HIDDEN  # a small count itself: say so
    for parts in breakdowns:
        unseen = [(m, shown) for m, shown in parts if m > 0 and shown.value is None]
        rest = sum(m for m, _ in unseen)
        if 0 < rest < THRESHOLD or (len(unseen) == 1 and unseen[0][1].withheld):
            return WITHHELD
    return count(n)


def derived(value: float | None, base: int) -> Shown:
    """A figure worked out from ``base`` items: hidden when the base is small."""
    if base == 0 or value is None:
        return NOTHING
    if base < THRESHOLD:
        return WITHHELD
    return Shown(value)


def share(part: int, base: int, base_shown: Shown = NOTHING) -> Shown:
    """A percentage; hidden when either the part or the base is a small count, since
    a share of a shown base would give a hidden part away, or when the base is a
    withheld total (the part and the share would give it away)."""
    if base == 0:
        return NOTHING
    if base < THRESHOLD or 0 < part < THRESHOLD or base_shown.withheld:
        return WITHHELD
    return Shown(round(100 * part / base))
