"""Open Referral UK (HSDS 3) in and out: the directory as a ``services`` list, and an
HSDS document (JSON, or a CSV package assembled into the same shape) as changes.

Pure functions. The mapping, one HSDS part per entry field:

- service ``id``, ``name``, ``description`` (notes), ``url``, ``email``, ``status``
  (``active``; closed entries are ``inactive``), ``fees_description`` (cost),
  ``eligibility_description`` (who.note), ``minimum_age``/``maximum_age``;
- ``organization``: its name (an entry has none of its own: the service name);
- ``phones``: ``voice`` is the phone, ``text`` the number to text (keyword in its
  description);
- ``service_areas``: ``name`` is a postcode area or district (BD, BD18), or
  ``United Kingdom`` for a national service;
- ``service_at_locations[].location``: name, latitude, longitude and ``addresses``
  (``address_1``, ``city`` = town, ``postal_code``);
- ``schedules``: weekly rules (``freq`` WEEKLY, ``byday``, ``opens_at``, ``closes_at``);
  hours they cannot say (bank holidays, exceptions) go whole in ``description`` as
  OpenStreetMap ``opening_hours``;
- ``languages[].name``; and ``attributes`` for what HSDS has no field for: kind, who
  it is for, communities served, access and who refers (``taxonomy_term_id``
  ``waitingroom:<what>``, ``value``).

Importing compares each part with what exporting the stored entry would write: a part
that is the same keeps the entry's own value (so "Mo-Fr" is not rewritten as
"Mo,Tu,We,Th,Fr"), a part that differs is taken from the file. Entries added or
changed by an import arrive unverified, with the file as their source.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .editing import EntryProblems, body_of, entry_from_body, slug
from .hours import ALWAYS, check_hours
from .models import Entry, Status
from .places import Gazetteer
from .postcodes import split_outward

NATIONAL = "United Kingdom"
_NATIONAL_NAMES = {"united kingdom", "uk", "national", "england", "great britain", "gb"}
_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_RULE = re.compile(
    r"(?:(?P<days>(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?"
    r"(?:,(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?)*)\s+)?"
    r"(?P<times>\d\d:\d\d-\d\d:\d\d(?:,\d\d:\d\d-\d\d:\d\d)*)"
)
_ATTRIBUTES = ("kind", "audience", "community", "access", "referral_via")
# The parts of a service compared one by one on import.
_PARTS = (
    "name",
    "description",
    "url",
    "email",
    "fees_description",
    "eligibility_description",
    "ages",
    "phones",
    "service_areas",
    "location",
    "schedules",
    "languages",
    "attributes",
)


class HsdsProblems(ValueError):
    """The file cannot be imported; one line per problem, each naming where and the field."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# -- out ---------------------------------------------------------------------------


def _day_list(days: str | None) -> list[str]:
    if days is None:
        return list(_DAYS)
    found: list[str] = []
    for item in days.split(","):
        first, _, last = item.partition("-")
        start, end = _DAYS.index(first), _DAYS.index(last or first)
        span = range(start, end + 1) if start <= end else [*range(start, 7), *range(0, end + 1)]
        found.extend(_DAYS[i] for i in span)
    return found


def schedules_of(hours: str | None, service_id: str) -> list[dict[str, Any]]:
    """Weekly HSDS schedules for simple hours; the whole value in a description otherwise."""
    if hours is None:
        return []
    if hours == ALWAYS:
        return [_schedule(service_id, 1, list(_DAYS), "00:00", "24:00")]
    schedules: list[dict[str, Any]] = []
    for rule in (part.strip() for part in hours.split(";") if part.strip()):
        match = _RULE.fullmatch(rule)
        if match is None:
            return [{"id": f"{service_id}-hours", "service_id": service_id, "description": hours}]
        days = _day_list(match.group("days"))
        for span in match.group("times").split(","):
            opens, closes = span.split("-")
            schedules.append(_schedule(service_id, len(schedules) + 1, days, opens, closes))
    return schedules


def _schedule(
    service_id: str, number: int, days: list[str], opens: str, closes: str
) -> dict[str, Any]:
    return {
        "id": f"{service_id}-hours-{number}",
        "service_id": service_id,
        "freq": "WEEKLY",
        "byday": ",".join(day.upper() for day in days),
        "opens_at": opens,
        "closes_at": closes,
    }


def _attribute(service_id: str, what: str, value: str) -> dict[str, Any]:
    return {
        "id": f"{service_id}-{what}-{re.sub(r'[^a-z0-9]+', '-', value.casefold())}",
        "link_id": service_id,
        "link_entity": "service",
        "taxonomy_term_id": f"waitingroom:{what}",
        "value": value,
    }


def service_of(entry: Entry) -> dict[str, Any]:
    """One entry as an HSDS service."""
    sid = entry.id
    contact, who, place = entry.contact, entry.who, entry.place
    phones = []
    if contact.phone:
        phones.append(
            {"id": f"{sid}-phone", "service_id": sid, "number": contact.phone, "type": "voice"}
        )
    if contact.text:
        phones.append(
            {
                "id": f"{sid}-text",
                "service_id": sid,
                "number": contact.text,
                "type": "text",
                "description": contact.text_keyword or "",
            }
        )
    areas = (
        [{"id": f"{sid}-area-uk", "service_id": sid, "name": NATIONAL}]
        if entry.area.national
        else [
            {"id": f"{sid}-area-{code.lower()}", "service_id": sid, "name": code}
            for code in entry.area.postcodes
        ]
    )
    locations = []
    if place is not None:
        address = {
            "id": f"{sid}-address",
            "location_id": f"{sid}-location",
            "address_1": place.address or "",
            "city": place.town or "",
            "postal_code": place.postcode or "",
            "country": "GB",
        }
        location = {
            "id": f"{sid}-location",
            "location_type": "physical",
            "name": entry.name,
            "latitude": place.lat,
            "longitude": place.lon,
            "addresses": [address],
        }
        locations.append(
            {
                "id": f"{sid}-at-location",
                "service_id": sid,
                "location_id": location["id"],
                "location": location,
            }
        )
    attributes = [
        _attribute(sid, "kind", entry.kind.value),
        *(_attribute(sid, "audience", group.value) for group in who.audiences),
        *(_attribute(sid, "community", name) for name in who.communities),
        _attribute(sid, "access", entry.access.value),
    ]
    if entry.referral_via:
        attributes.append(_attribute(sid, "referral_via", entry.referral_via))
    low, high = who.ages if who.ages else (None, None)
    return {
        "id": sid,
        "organization_id": f"{sid}-organization",
        "organization": {"id": f"{sid}-organization", "name": entry.name},
        "name": entry.name,
        "description": entry.notes or "",
        "url": contact.web or "",
        "email": contact.email or "",
        "status": "inactive" if entry.status == Status.CLOSED else "active",
        "fees_description": entry.cost,
        "eligibility_description": who.note or "",
        "minimum_age": low,
        "maximum_age": high,
        "assured_date": entry.verified_on.isoformat(),
        "phones": phones,
        "schedules": schedules_of(entry.hours, sid),
        "service_areas": areas,
        "service_at_locations": locations,
        "languages": [
            {"id": f"{sid}-language-{n}", "service_id": sid, "name": name}
            for n, name in enumerate(who.languages, start=1)
        ],
        "attributes": attributes,
    }


def export(entries: Iterable[Entry]) -> dict[str, Any]:
    """The directory as an HSDS document: ``{"services": [...]}``."""
    return {"services": [service_of(entry) for entry in sorted(entries, key=lambda e: e.id)]}


# -- in ----------------------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _parts(service: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of a service compared on import, in a form where equal means same."""
    locations = service.get("service_at_locations") or []
    location = (locations[0].get("location") if locations else None) or {}
    addresses = location.get("addresses") or [{}]
    address = addresses[0] if addresses else {}
    return {
        "name": _text(service.get("name")),
        "description": _text(service.get("description")),
        "url": _text(service.get("url")),
        "email": _text(service.get("email")),
        "fees_description": _text(service.get("fees_description")),
        "eligibility_description": _text(service.get("eligibility_description")),
        "ages": (_age(service.get("minimum_age")), _age(service.get("maximum_age"))),
        "phones": sorted(
            (_text(p.get("type")) or "voice", _text(p.get("number")), _text(p.get("description")))
            for p in service.get("phones") or []
        ),
        "service_areas": sorted(_text(a.get("name")) for a in service.get("service_areas") or []),
        "location": (
            _text(address.get("address_1")),
            _text(address.get("city")),
            _text(address.get("postal_code")),
            _coordinate(location.get("latitude")),
            _coordinate(location.get("longitude")),
        )
        if location
        else None,
        "schedules": sorted(
            (
                _text(s.get("byday")).upper(),
                _text(s.get("opens_at"))[:5],
                _text(s.get("closes_at"))[:5],
                _text(s.get("description")),
            )
            for s in service.get("schedules") or []
        ),
        "languages": [_text(lang.get("name")) for lang in service.get("languages") or []],
        "attributes": sorted(
            (_text(a.get("taxonomy_term_id")), _text(a.get("value")))
            for a in service.get("attributes") or []
            if _text(a.get("taxonomy_term_id")).startswith("waitingroom:")
        ),
    }


def _age(value: Any) -> int | str | None:
    if value is None or value == "":
        return None
    try:
        return int(str(value))
    except ValueError:
        return str(value)


def _coordinate(value: Any) -> float | str | None:
    if value is None or value == "":
        return None
    try:
        return round(float(value), 6)
    except (TypeError, ValueError):
        return str(value)


def _hours_from(parts: dict[str, Any], where: str, problems: list[str]) -> str | None:
    rules: list[tuple[list[str], str]] = []
    described = ""
    for byday, opens, closes, description in parts["schedules"]:
        if byday and opens and closes:
            days = [day.capitalize() for day in byday.replace(" ", "").split(",") if day]
            if any(day not in _DAYS for day in days):
                problems.append(
                    f"{where}: field 'schedules.byday': not days such as MO,TU: {byday!r}"
                )
                continue
            rules.append((days, f"{opens}-{closes}"))
        elif description:
            described = description
    if rules:
        if all(len(days) == 7 and span == "00:00-24:00" for days, span in rules):
            return ALWAYS
        hours = "; ".join(
            f"{','.join(sorted(days, key=_DAYS.index))} {span}" for days, span in rules
        )
    elif described:
        hours = described
    else:
        return None
    try:
        return check_hours(hours)
    except ValueError as error:
        problems.append(f"{where}: field 'schedules': {error}")
        return None


def _apply(
    body: dict[str, Any],
    parts: dict[str, Any],
    changed: set[str],
    where: str,
    problems: list[str],
) -> None:
    """Put each changed part of the service into the entry's YAML fields."""
    who = body.setdefault("for", {"audiences": ["everyone"]})
    contact = body.setdefault("contact", {})
    if "name" in changed:
        body["name"] = parts["name"]
    if "description" in changed:
        _set(body, "notes", parts["description"])
    if "url" in changed:
        _set(contact, "web", parts["url"])
    if "email" in changed:
        _set(contact, "email", parts["email"])
    if "fees_description" in changed:
        body["cost"] = parts["fees_description"] or "free"
    if "eligibility_description" in changed:
        _set(who, "note", parts["eligibility_description"])
    if "ages" in changed:
        if parts["ages"] == (None, None):
            who.pop("ages", None)
        else:
            who["ages"] = list(parts["ages"])
    if "phones" in changed:
        for name in ("phone", "text", "text_keyword"):
            contact.pop(name, None)
        for kind, number, description in parts["phones"]:
            if kind == "text":
                contact["text"] = number
                _set(contact, "text_keyword", description)
            elif "phone" not in contact:
                contact["phone"] = number
    if "service_areas" in changed:
        names = parts["service_areas"]
        if any(name.casefold() in _NATIONAL_NAMES for name in names):
            body["area"] = {"national": True}
        else:
            for name in names:
                if split_outward(name) is None:
                    problems.append(
                        f"{where}: field 'service_areas.name': not a UK postcode area or "
                        f"district (BD, BD18) nor '{NATIONAL}': {name!r}"
                    )
            body["area"] = {"postcodes": names}
    if "location" in changed:
        if parts["location"] is None:
            body.pop("place", None)
        else:
            address, town, postcode, lat, lon = parts["location"]
            place = {"address": address, "town": town, "postcode": postcode, "lat": lat, "lon": lon}
            body["place"] = {k: v for k, v in place.items() if v not in (None, "")}
    if "schedules" in changed:
        hours = _hours_from(parts, where, problems)
        if hours is None:
            body.pop("hours", None)
        else:
            body["hours"] = hours
    if "languages" in changed:
        who["languages"] = [name for name in parts["languages"] if name]
    if "attributes" in changed:
        values: dict[str, list[str]] = {what: [] for what in _ATTRIBUTES}
        for term, value in parts["attributes"]:
            what = term.removeprefix("waitingroom:")
            if what in values and value:
                values[what].append(value)
        if values["kind"]:
            body["kind"] = values["kind"][0]
        who["audiences"] = values["audience"] or who.get("audiences") or ["everyone"]
        who["communities"] = values["community"]
        if values["access"]:
            body["access"] = values["access"][0]
        if values["referral_via"]:
            body["referral_via"] = values["referral_via"][0]
        else:
            body.pop("referral_via", None)


def _set(mapping: dict[str, Any], name: str, value: str) -> None:
    if value:
        mapping[name] = value
    else:
        mapping.pop(name, None)


_NEW_SERVICE: dict[str, Any] = {
    # What an entry from a file that has never been here starts as, before the file's
    # own parts are applied: unverified, for everyone, a community service.
    "kind": "community_group",
    "status": "unverified",
    "for": {"audiences": ["everyone"]},
    "access": "self_referral",
}


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do, entry by entry; ``entries`` are the new versions."""

    added: list[Entry] = field(default_factory=list)
    changed: list[tuple[Entry, Entry, list[str]]] = field(default_factory=list)  # old, new, parts
    closed: list[Entry] = field(default_factory=list)
    unchanged: int = 0

    @property
    def entries(self) -> list[Entry]:
        return [*self.added, *(new for _, new, _ in self.changed), *self.closed]


def plan_import(
    document: Any,
    existing: Iterable[Entry],
    *,
    source: str,
    today: date,
    places: Gazetteer | None = None,
) -> ImportPlan:
    """What importing an HSDS document into ``existing`` would change; HsdsProblems when
    anything in it cannot be read (then nothing may change)."""
    if isinstance(document, list):
        document = {"services": document}
    if not isinstance(document, dict) or not isinstance(document.get("services"), list):
        raise HsdsProblems(["(file): expected a JSON object with a 'services' list"])
    by_id = {entry.id: entry for entry in existing}
    problems: list[str] = []
    plan = ImportPlan()
    seen: set[str] = set()
    for number, service in enumerate(document["services"]):
        if not isinstance(service, dict):
            problems.append(f"services[{number}]: expected an object")
            continue
        raw_id = _text(service.get("id"))
        where = f"services[{number}] ({raw_id or 'no id'})"
        entry_id = _entry_id(raw_id, _text(service.get("name")))
        if not entry_id:
            problems.append(f"{where}: field 'id': missing, and no 'name' to make one from")
            continue
        if entry_id in seen:
            problems.append(f"{where}: field 'id': given twice")
            continue
        seen.add(entry_id)
        old = by_id.get(entry_id)
        parts = _parts(service)
        if old is not None:
            before = _parts(service_of(old))
            # A part the file leaves out entirely says nothing: the entry keeps its own.
            changed = {
                part for part in _PARTS if _given(service, part) and parts[part] != before[part]
            }
            body = body_of(old)
        else:
            changed = set(_PARTS)
            body = json.loads(json.dumps(_NEW_SERVICE))
            body["id"] = entry_id
        status = _text(service.get("status")).casefold() or "active"
        closing = status in ("inactive", "defunct", "temporarily closed")
        if old is not None and not changed and closing == (old.status == Status.CLOSED):
            plan = _count_unchanged(plan)
            continue
        problems_before = len(problems)
        _apply(body, parts, changed, where, problems)
        if len(problems) > problems_before:
            continue
        if closing:
            body["status"] = Status.CLOSED.value
        elif changed or old is None or old.status == Status.CLOSED:
            body["status"] = Status.UNVERIFIED.value
        if changed or old is None:
            body["source"] = source
        body.setdefault("verified_on", today.isoformat())
        try:
            new = entry_from_body(body, places)
        except EntryProblems as error:
            problems.extend(f"{where}: field '{name}': {text}" for name, text in error.problems)
            continue
        if old is None:
            plan.added.append(new)
        elif closing and old.status != Status.CLOSED and not changed:
            plan.closed.append(new)
        else:
            plan.changed.append((old, new, sorted(changed) or ["status"]))
    if problems:
        raise HsdsProblems(problems)
    return plan


_KEYS = {"ages": ("minimum_age", "maximum_age"), "location": ("service_at_locations",)}


def _given(service: Mapping[str, Any], part: str) -> bool:
    return any(key in service for key in _KEYS.get(part, (part,)))


def _count_unchanged(plan: ImportPlan) -> ImportPlan:
    return ImportPlan(plan.added, plan.changed, plan.closed, plan.unchanged + 1)


def _entry_id(raw_id: str, name: str) -> str:
    """Our ids are slugs; a council's ids (often UUIDs) are made into one."""
    if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", raw_id):
        return raw_id
    if raw_id:
        return slug(raw_id)
    return slug(name) if name else ""


# -- CSV packages --------------------------------------------------------------------

CSV_FILES = (
    "services.csv",
    "organizations.csv",
    "locations.csv",
    "addresses.csv",
    "service_at_locations.csv",
    "phones.csv",
    "schedules.csv",
    "service_areas.csv",
    "languages.csv",
    "attributes.csv",
)


def _rows(files: Mapping[str, str], name: str, problems: list[str]) -> list[dict[str, str]]:
    text = files.get(name)
    if text is None:
        return []
    try:
        reader = csv.DictReader(io.StringIO(text))
        rows = [dict(row) for row in reader]
    except csv.Error as error:
        problems.append(f"{name}: not CSV: {error}")
        return []
    if reader.fieldnames is None or "id" not in reader.fieldnames:
        problems.append(f"{name}: the first line must name the columns, including 'id'")
        return []
    return [{k: (v or "") for k, v in row.items() if k is not None} for row in rows]


def from_csv(files: Mapping[str, str]) -> dict[str, Any]:
    """An HSDS CSV package (file name -> text) as the nested JSON shape ``plan_import`` reads."""
    problems: list[str] = []
    if "services.csv" not in files:
        raise HsdsProblems(["(package): no services.csv"])
    tables = {name: _rows(files, name, problems) for name in CSV_FILES}
    if problems:
        raise HsdsProblems(problems)

    def linked(table: str, key: str, value: str) -> list[dict[str, Any]]:
        return [dict(row) for row in tables[table] if row.get(key) == value]

    organizations = {row["id"]: row for row in tables["organizations.csv"]}
    locations = {}
    for row in tables["locations.csv"]:
        location: dict[str, Any] = dict(row)
        location["addresses"] = linked("addresses.csv", "location_id", row["id"])
        locations[row["id"]] = location
    services = []
    for row in tables["services.csv"]:
        service: dict[str, Any] = dict(row)
        sid = row["id"]
        if row.get("organization_id") in organizations:
            service["organization"] = organizations[row["organization_id"]]
        service["phones"] = linked("phones.csv", "service_id", sid)
        service["schedules"] = linked("schedules.csv", "service_id", sid)
        service["service_areas"] = linked("service_areas.csv", "service_id", sid)
        service["languages"] = linked("languages.csv", "service_id", sid)
        service["attributes"] = linked("attributes.csv", "link_id", sid)
        at_locations = linked("service_at_locations.csv", "service_id", sid)
        for at in at_locations:
            if at.get("location_id") in locations:
                at["location"] = locations[at["location_id"]]
        service["service_at_locations"] = at_locations
        services.append(service)
    return {"services": services}


def to_csv(document: Mapping[str, Any]) -> dict[str, str]:
    """The export as an HSDS CSV package: file name -> text."""
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in CSV_FILES}
    nested = {
        "phones",
        "schedules",
        "service_areas",
        "languages",
        "attributes",
        "service_at_locations",
        "organization",
    }
    for service in document["services"]:
        tables["services.csv"].append({k: v for k, v in service.items() if k not in nested})
        tables["organizations.csv"].append(dict(service["organization"]))
        for name in ("phones", "schedules", "service_areas", "languages", "attributes"):
            tables[f"{name}.csv"].extend(dict(row) for row in service[name])
        for at in service["service_at_locations"]:
            location = dict(at["location"])
            tables["addresses.csv"].extend(dict(a) for a in location.pop("addresses"))
            tables["locations.csv"].append(location)
            tables["service_at_locations.csv"].append(
                {k: v for k, v in at.items() if k != "location"}
            )
    out = {}
    for name, rows in tables.items():
        columns = sorted({key for row in rows for key in row}, key=lambda k: (k != "id", k))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns or ["id"])
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
        out[name] = buffer.getvalue()
    return out
