"""The "somewhere to go now" journey: where are you, then what is open, near and meant
for you, three at a time. Pure: the directory and the clock come in the context."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.directory import (
    LONDON,
    Audience,
    Directory,
    Kind,
    Result,
    Status,
    Where,
    is_open,
    parse_where,
    search,
)
from bot.directory.asking import Wants, wants_in
from bot.directory.search import NATIONAL, locality

from . import meaning, words
from .replies import Counted, Option, Reply
from .state import State

PAGE = 3
PLACES_OPTIONS = (Option.MORE, Option.MENU, Option.URGENT)
ASK_OPTIONS = (Option.MENU, Option.URGENT)


def ask(state: State, audience: Audience = Audience.ME) -> tuple[State, tuple[Reply, ...]]:
    """Ask where the person is."""
    state = replace(state, step="where", audience=str(audience), where=None, page=0, wants=())
    return state, (Reply("where_ask", {"asked": None}, ASK_OPTIONS),)


def _asked(wants: Wants) -> dict[str, list[str]] | None:
    """What the person asked for, for the template to say back."""
    if not wants:
        return None
    return {"languages": sorted(wants.languages), "communities": sorted(wants.communities)}


def asks_for(text: str) -> bool:
    """Is this someone asking for a language or a community ("somewhere that speaks
    urdu", "for young black men"), rather than a word that happens to be one?"""
    cleaned = words.clean(text)
    asking = (
        cleaned.startswith("for ")
        or " speak" in f" {cleaned}"
        or words.intent(text) == Option.SOMEWHERE
    )
    return asking and bool(wants_in(text))


def ask_for(
    state: State, text: str, directory: Directory, now: datetime
) -> tuple[State, tuple[Reply, ...]]:
    """A language or community asked for: searched where they are, or asked where first."""
    wants = wants_in(text)
    where = parse_where(text, directory.places)
    if state.step not in ("where", "places"):
        audience = Audience.CARER if state.carer else Audience.ME
        state, _ = ask(state, audience)
    state = replace(state, wants=wants.keys(), page=0)
    if where is not None:
        return show(state, where, True, directory, now)
    if state.step == "places" and state.where is not None:
        return show(state, _where_from_state(state), state.known_place, directory, now)
    state = replace(state, step="where")
    return state, (Reply("where_ask", {"asked": _asked(wants)}, ASK_OPTIONS),)


def _when(moment: datetime | None, now: datetime) -> dict[str, Any] | None:
    """When something next changes, in local time words the template can say."""
    if moment is None:
        return None
    local, today = moment.astimezone(LONDON), now.astimezone(LONDON).date()
    days = (local.date() - today).days
    # "today", "tomorrow", or the weekday's number (Monday is 0) for the template to name.
    day: str | int = "today" if days == 0 else "tomorrow" if days == 1 else local.weekday()
    return {"time": local.strftime("%H:%M"), "day": day}


def listing(result: Result, now: datetime) -> dict[str, Any]:
    """One result as plain values for ``messages/*/replies/places.j2``."""
    entry = result.entry
    place = entry.place
    return {
        "id": entry.id,
        "name": entry.name,
        "kind": entry.kind.value,
        "audiences": [group.value for group in entry.who.audiences],
        "ages": list(entry.who.ages) if entry.who.ages else None,
        "open_now": result.open_now,
        "always_open": result.open_now and result.next_change is None,
        "next_change": _when(result.next_change, now),
        "phone": entry.contact.phone,
        "text": entry.contact.text,
        "text_keyword": entry.contact.text_keyword,
        "web": entry.contact.web,
        "place": result.place,
        "wanted": result.wanted,
        "languages": list(entry.who.languages),
        "communities": list(entry.who.communities),
        "address": place.address if place else None,
        "postcode": place.postcode if place else None,
        "access": entry.access.value,
        "referral_via": entry.referral_via,
        "distance_km": round(result.distance_km, 1) if result.distance_km is not None else None,
        "checked": {"month": entry.verified_on.month, "year": entry.verified_on.year},
    }


def _where_from_state(state: State) -> Where | None:
    if state.where is None:
        return None
    return Where(**state.where)


def show(
    state: State, where: Where | None, known: bool, directory: Directory, now: datetime
) -> tuple[State, tuple[Reply, ...]]:
    """The page of results the state points at; national lines are always there."""
    audience = Audience(state.audience)
    wants = Wants.from_keys(state.wants)
    results = search(directory, where, audience, now, wants=wants or None)
    start = state.page * PAGE
    page = results[start : start + PAGE]
    more = len(results) > start + PAGE
    if not page:  # paged past the end: start again rather than show nothing
        state, page, more = replace(state, page=0), results[:PAGE], len(results) > PAGE
    carer = audience is Audience.CARER
    # What they came for: carer support for a carer, a place to go for anyone else.
    wanted_kind = [r for r in results if (r.for_carers if carer else r.place and r.local)]
    values = {
        "where": where.label if where is not None and known else None,
        "unknown_place": not known,
        "results": [listing(result, now) for result in page],
        "first_page": start == 0 or state.page == 0,
        "for_carer": carer,
        # Said plainly, before the lines: nothing checked of what they came for.
        "none_checked": known and where is not None and not wanted_kind,
        "none_open": bool(wanted_kind) and not any(r.open_now for r in wanted_kind),
        "asked": _asked(wants),
        "asked_found": any(r.wanted for r in results),
    }
    options = PLACES_OPTIONS if more else PLACES_OPTIONS[1:]
    saved = (
        {
            "area": where.area,
            "district": where.district,
            "label": where.label,
            "lat": where.lat,
            "lon": where.lon,
        }
        if where is not None
        else None
    )
    return replace(state, step="places", where=saved, known_place=known), (
        Reply("places", values, options),
    )


def meant(text: str, directory: Directory) -> str:
    """The place they settled on ("keighley, no sorry, silsden") and are at now ("at a mates
    in bingley but i normally live in bd4"), as typed."""

    def reads(said: str) -> bool:
        return parse_where(said, directory.places) is not None

    return meaning.where_now("where_ask", meaning.corrected(text, reads), reads)


def place_named(
    state: State, text: str, directory: Directory, now: datetime
) -> tuple[State, tuple[Reply, ...]]:
    if asks_for(text) or wants_in(text):
        return ask_for(state, text, directory, now)
    where = parse_where(meant(text, directory), directory.places)
    return show(replace(state, page=0), where, where is not None, directory, now)


def place_shared(
    state: State, latitude: float, longitude: float, directory: Directory, now: datetime
) -> tuple[State, tuple[Reply, ...]]:
    where = Where.from_coordinates(latitude, longitude, directory.places)
    if state.audience == "":
        state = replace(state, audience=str(Audience.ME))
    return show(replace(state, page=0), where, True, directory, now)


def more(state: State, directory: Directory, now: datetime) -> tuple[State, tuple[Reply, ...]]:
    state = replace(state, page=state.page + 1)
    return show(state, _where_from_state(state), state.known_place, directory, now)


def local_crisis_lines(
    state: State, directory: Directory | None, now: datetime
) -> list[dict[str, Any]] | None:
    """The verified local crisis lines for where the person said they are, for the urgent
    reply; None when their area is not known (the service's own contacts are given)."""
    if directory is None or state.where is None or not state.where.get("area"):
        return None
    where = _where_from_state(state)
    lines = []
    for entry in directory.entries:
        if entry.status != Status.ACTIVE or entry.kind != Kind.CRISIS_LINE:
            continue
        level = locality(entry, where)
        if level is None or level == NATIONAL or entry.contact.phone is None:
            continue
        open_now, change = is_open(entry, now)
        lines.append(
            {
                "name": entry.name,
                "phone": entry.contact.phone,
                "open_now": open_now,
                "always_open": open_now and change is None,
            }
        )
    return lines


def signposts(replies: Sequence[Reply]) -> tuple[Counted, ...]:
    """A count for every directory entry shown, for "signposts by service" in reports."""
    return tuple(
        Counted("signpost", detail=str(result["id"]))
        for reply in replies
        if reply.key == "places"
        for result in reply.values.get("results", ())
    )
