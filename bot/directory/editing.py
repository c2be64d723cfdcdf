"""Changing the directory: what a lead's form, a verification, a close or an import make
of an entry, and whether the result may be kept. Pure functions over ``Entry``.

Every problem names the field it is about, so the dashboard and the command line can
say exactly what to fix; nothing is changed while there is one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pydantic import ValidationError

from .codes import postcode_area, split_outward
from .loading import always_something
from .models import Entry, Group, Kind, Status
from .places import Gazetteer

# How long a check holds: older than this, an entry is on the lead's to-do list.
RECHECK_DAYS = 180


class EntryProblems(ValueError):
    """The entry cannot be kept as it is; ``problems`` is one (field, message) per problem."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{name}: {text}" for name, text in self.problems))


def _field(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "entry"


def entry_from_body(body: Mapping[str, Any], places: Gazetteer | None = None) -> Entry:
    """An entry from its YAML fields, or EntryProblems naming each bad field."""
    try:
        return Entry.model_validate(dict(body), context={"gazetteer": places})
    except ValidationError as error:
        raise EntryProblems(
            [
                (_field(e["loc"]), str(e["msg"]).removeprefix("Value error, "))
                for e in error.errors()
            ]
        ) from None


def body_of(entry: Entry) -> dict[str, Any]:
    """The entry's fields as a lead writes them in YAML (and as the store keeps them)."""
    return entry.model_dump(mode="json", by_alias=True, exclude_none=True)


def slug(name: str) -> str:
    """An id made from a name: "Haven (The Cellar Trust)" -> "haven-the-cellar-trust"."""
    words = re.sub(r"[^a-z0-9]+", "-", name.casefold().replace("'", "")).strip("-")
    return words[:60].strip("-") or "entry"


def _words(text: str) -> list[str]:
    """A comma-separated list as a lead types it."""
    return [item.strip() for item in text.split(",") if item.strip()]


def _number(text: str) -> float | int | str | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text  # left for the model to refuse, naming the field


def body_from_form(
    fields: Mapping[str, str],
    audiences: Sequence[str],
    *,
    entry_id: str,
    status: Status,
    verified_on: date,
) -> dict[str, Any]:
    """The YAML fields a lead's entry form describes (checked by ``entry_from_body``)."""

    def text(name: str) -> str | None:
        value = fields.get(name, "").strip()
        return value or None

    low, high = _number(fields.get("age_min", "")), _number(fields.get("age_max", ""))
    who: dict[str, Any] = {
        "audiences": list(audiences),
        "languages": _words(fields.get("languages", "")),
        "communities": _words(fields.get("communities", "")),
    }
    if low is not None or high is not None:
        who["ages"] = [low, high]
    if text("who_note"):
        who["note"] = text("who_note")
    area: dict[str, Any] = (
        {"national": True}
        if fields.get("national") == "1"
        else {"postcodes": _words(fields.get("postcodes", ""))}
    )
    place = {
        name: value
        for name, value in {
            "address": text("address"),
            "postcode": text("postcode"),
            "town": text("town"),
            "lat": _number(fields.get("lat", "")),
            "lon": _number(fields.get("lon", "")),
        }.items()
        if value is not None
    }
    contact = {
        name: text(name)
        for name in ("phone", "text", "text_keyword", "email", "web")
        if text(name) is not None
    }
    body: dict[str, Any] = {
        "id": entry_id,
        "name": text("name") or "",
        "kind": text("kind") or "",
        "status": status.value,
        "for": who,
        "area": area,
        "contact": contact,
        "access": text("access") or "",
        "cost": text("cost") or "free",
        "source": text("source") or "",
        "verified_on": verified_on.isoformat(),
    }
    for name in ("hours", "referral_via", "notes"):
        if text(name) is not None:
            body[name] = text(name)
    if place:
        body["place"] = place
    return body


def with_status(
    entry: Entry, status: Status, *, verified_on: date | None = None, source: str | None = None
) -> Entry:
    """The same entry, verified (active, checked today against ``source``), closed or
    reopened; validated again, so an unverified entry without hours cannot go live."""
    body = body_of(entry)
    body["status"] = status.value
    if verified_on is not None:
        body["verified_on"] = verified_on.isoformat()
    if source:
        body["source"] = source
    return entry_from_body(body)


def replace_entries(entries: Iterable[Entry], changed: Iterable[Entry]) -> list[Entry]:
    """The directory with ``changed`` put in place of (or beside) the entries they replace."""
    new = {entry.id: entry for entry in changed}
    kept = [new.pop(entry.id, entry) for entry in entries]
    return kept + list(new.values())


def check_change(entries: Iterable[Entry], changed: Iterable[Entry]) -> None:
    """Refuse a change that would leave people with nothing to be offered."""
    if not always_something(replace_entries(entries, changed)):
        raise EntryProblems(
            [
                (
                    "status",
                    "this would leave no active national line for everyone open 24/7 "
                    "(such as Samaritans): search must always have something to offer",
                )
            ]
        )


@dataclass(frozen=True, slots=True)
class ToDo:
    entry: Entry
    why: str  # "unverified" or "stale"


def is_stale(entry: Entry, today: date, days: int = RECHECK_DAYS) -> bool:
    return entry.status != Status.CLOSED and entry.verified_on < today - timedelta(days=days)


def to_do(entries: Iterable[Entry], today: date, days: int = RECHECK_DAYS) -> list[ToDo]:
    """What a lead should check: unverified entries, then stale ones, oldest first."""
    unverified = [ToDo(e, "unverified") for e in entries if e.status == Status.UNVERIFIED]
    stale = [
        ToDo(e, "stale") for e in entries if e.status == Status.ACTIVE and is_stale(e, today, days)
    ]
    unverified.sort(key=lambda t: t.entry.name.casefold())
    stale.sort(key=lambda t: (t.entry.verified_on, t.entry.name.casefold()))
    return unverified + stale


def _flat(body: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in body.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flat(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def changed_fields(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[str]:
    """Which fields differ ("hours", "for.languages"), for the history a lead reads."""
    if before is None:
        return []
    old, new = _flat(before), _flat(after)
    return sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name))


@dataclass(frozen=True, slots=True)
class Filters:
    """What the lead's directory list shows: by state, area, kind and who it is for."""

    show: str = "all"  # all, active, unverified, stale, closed
    area: str = ""  # a postcode area or district, or "national"
    kind: str = ""
    audience: str = ""


SHOWS = ("all", "active", "unverified", "stale", "closed")


def filters_from(query: Mapping[str, str]) -> tuple[Filters, list[tuple[str, str]]]:
    """Filters from a query string, and a problem for each value that is not one."""
    problems: list[tuple[str, str]] = []
    show = query.get("show", "all") or "all"
    if show not in SHOWS:
        problems.append(("show", f"choose one of {', '.join(SHOWS)}"))
        show = "all"
    area = query.get("area", "").strip()
    if area and area.casefold() != "national":
        parts = split_outward(area)
        if parts is None:
            problems.append(("area", f"not a UK postcode area or district (BD, BD18): {area!r}"))
            area = ""
        else:
            area = parts[1] or parts[0]
    kind = query.get("kind", "")
    if kind and kind not in {k.value for k in Kind}:
        problems.append(("kind", f"not a kind of service: {kind!r}"))
        kind = ""
    audience = query.get("audience", "")
    if audience and audience not in {g.value for g in Group}:
        problems.append(("audience", f"not a group: {audience!r}"))
        audience = ""
    return Filters(
        show, area.casefold() if area.casefold() == "national" else area, kind, audience
    ), problems


def shown(entry: Entry, filters: Filters, today: date, days: int = RECHECK_DAYS) -> bool:
    """Does the entry pass the lead's filters?"""
    show = filters.show
    if show == "active" and entry.status != Status.ACTIVE:
        return False
    if show == "unverified" and entry.status != Status.UNVERIFIED:
        return False
    if show == "closed" and entry.status != Status.CLOSED:
        return False
    if show == "stale" and not (entry.status == Status.ACTIVE and is_stale(entry, today, days)):
        return False
    if filters.kind and entry.kind.value != filters.kind:
        return False
    if filters.audience and filters.audience not in {g.value for g in entry.who.audiences}:
        return False
    if filters.area == "national":
        return entry.area.national
    if filters.area:
        area = postcode_area(filters.area)
        codes = entry.area.postcodes
        return (
            filters.area in codes
            or area in codes
            or (filters.area == area and any(postcode_area(c) == area for c in codes))
        )
    return True
