"""Which services are open now, near the person and meant for them: pure functions."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from .asking import Wants, match
from .hours import is_open
from .loading import Directory
from .models import Entry, Group, Kind, Status
from .places import distance_km
from .postcodes import Where, postcode_area


class Audience(StrEnum):
    """Who is asking, as the bot knows it."""

    ME = "me"
    CARER = "carer"
    YOUNG_PERSON = "young_person"
    COMMUNITY = "community"  # Black, Asian and minority ethnic communities


_GROUPS: dict[Audience, frozenset[Group]] = {
    Audience.ME: frozenset({Group.EVERYONE}),
    Audience.CARER: frozenset({Group.EVERYONE, Group.CARERS}),
    Audience.YOUNG_PERSON: frozenset({Group.EVERYONE, Group.YOUNG_PEOPLE}),
    Audience.COMMUNITY: frozenset({Group.EVERYONE, Group.BAME}),
}

DISTRICT, AREA, NATIONAL = 0, 1, 2

# Somewhere to go: places people can go to, before lines they can call.
PLACE_KINDS = frozenset(
    {Kind.SAFE_HAVEN, Kind.CRISIS_CAFE, Kind.CRISIS_HOUSE, Kind.PEER_GROUP, Kind.COMMUNITY_GROUP}
)
LINE_KINDS = frozenset({Kind.CRISIS_LINE, Kind.TEXT_LINE})
# Groups that make a service a specialist one ("for men", "for young people").
_GENERAL = frozenset({Group.EVERYONE, Group.CARERS})


@dataclass(frozen=True)
class Result:
    entry: Entry
    open_now: bool
    next_change: datetime | None  # aware, Europe/London; None: no change (24/7) or unknown
    distance_km: float | None
    local: bool
    place: bool = False  # somewhere to go, rather than a line to call
    wanted: bool = False  # speaks a language or serves a community the person asked for
    for_carers: bool = False  # support for the carer themself


def is_place(entry: Entry) -> bool:
    return entry.kind in PLACE_KINDS


def for_carers(entry: Entry) -> bool:
    """Support for carers themselves: carer support, or a service only for carers."""
    return entry.kind == Kind.CARER_SUPPORT or set(entry.who.audiences) == {Group.CARERS}


def relevance(entry: Entry, audience: Audience = Audience.ME) -> int:
    """Among lines: 0 general crisis lines (NHS 111, Samaritans, the local crisis line),
    1 text lines, 2 lines for another group (CALM, Childline), 3 information and websites.
    A line for the asker's own group (a young person, a carer) is not "another group"."""
    special = set(entry.who.audiences) - _GENERAL - _GROUPS[audience]
    if entry.kind in LINE_KINDS and not special and entry.who.ages is None:
        return 0 if entry.kind == Kind.CRISIS_LINE else 1
    if entry.kind in LINE_KINDS:
        return 2
    return 3


def meant_for(entry: Entry, audience: Audience, age: int | None = None) -> bool:
    """Is ``entry`` meant for this person?

    A carer's age says nothing about the person they care for, so services for carers
    match carers at any age. A person who gives an age also matches services for
    young people whose age range includes them.
    """
    groups = set(entry.who.audiences)
    if audience is Audience.CARER and Group.CARERS in groups:
        return True
    young_by_age = (
        audience is Audience.ME
        and age is not None
        and Group.YOUNG_PEOPLE in groups
        and entry.who.ages is not None
    )
    if not (groups & _GROUPS[audience]) and not young_by_age:
        return False
    return age is None or entry.who.fits(age)


def locality(entry: Entry, where: Where | None) -> int | None:
    """DISTRICT, AREA or NATIONAL match, or None when the entry is for somewhere else."""
    if entry.area.national:
        return NATIONAL
    if where is None or not where.area:
        return None
    codes = entry.area.postcodes
    if where.district is not None and where.district in codes:
        return DISTRICT
    if where.area in codes:
        return AREA
    # "BD" alone: any service for part of BD is near enough to offer.
    if where.district is None and any(postcode_area(code) == where.area for code in codes):
        return AREA
    return None


def search(
    directory: Directory,
    where: Where | None,
    audience: Audience,
    now: datetime,
    *,
    open_now_only: bool = False,
    age: int | None = None,
    wants: Wants | None = None,
) -> list[Result]:
    """Active services for this person, best first.

    Order: what they asked for first (a language or community, when they named one);
    then what they came for (a carer: support for carers; anyone else: places to go,
    open ones first, before lines); then open now; then relevance (general crisis lines
    before lines for one group, before information); then district, area, national;
    then nearest; then name. Emergency entries (999) are left out: the bot shows urgent
    numbers on their own.
    """
    results: list[tuple[tuple[int, int, bool, int, int, float, str], Result]] = []
    for entry in directory.entries:
        if entry.status != Status.ACTIVE or entry.kind == Kind.EMERGENCY:
            continue
        level = locality(entry, where)
        if level is None or not meant_for(entry, audience, age):
            continue
        open_now, next_change = is_open(entry, now)
        if open_now_only and not open_now:
            continue
        km = _distance(directory, entry, where) if level != NATIONAL else None
        wanted = match(entry, wants) if wants else 0
        # Wanted: offers all that was asked ("young black men", not just "men").
        full = wants is not None and bool(wants) and wanted >= len(wants.keys())
        place, carers = is_place(entry), for_carers(entry)
        if audience is Audience.CARER:
            tier = 0 if carers else 1 if entry.kind in LINE_KINDS else 2
        else:
            tier = 0 if place else 1
        key = (
            -wanted,
            tier,
            not open_now,
            relevance(entry, audience),
            level,
            math.inf if km is None else km,
            entry.name.casefold(),
        )
        results.append(
            (
                key,
                Result(entry, open_now, next_change, km, level != NATIONAL, place, full, carers),
            )
        )
    return [result for _, result in sorted(results, key=lambda pair: pair[0])]


def _distance(directory: Directory, entry: Entry, where: Where | None) -> float | None:
    if where is None or where.lat is None or where.lon is None:
        return None
    location = directory.location_of(entry)
    if location is None:
        return None
    return distance_km(where.lat, where.lon, *location)


def stale_entries(directory: Directory, today: date, max_age_days: int = 180) -> list[Entry]:
    """Entries (not closed) last verified more than ``max_age_days`` ago, oldest first."""
    cutoff = today - timedelta(days=max_age_days)
    stale = [e for e in directory.entries if e.status != Status.CLOSED and e.verified_on < cutoff]
    return sorted(stale, key=lambda e: (e.verified_on, e.id))
