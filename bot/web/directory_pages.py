"""Leads' directory pages: the list with filters, an entry's page (edit every field,
verify, close, reopen, its history), a new entry, and the opening-hours check the
entry page asks as the lead types. Every change is stored with its history and goes
live at once: the service's directory is rebuilt from the store after each one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response

from bot.directory import Access as EntryAccess
from bot.directory import Entry, Group, Kind, Status
from bot.directory.editing import (
    RECHECK_DAYS,
    EntryProblems,
    body_from_form,
    body_of,
    changed_fields,
    check_change,
    entry_from_body,
    filters_from,
    is_stale,
    shown,
    slug,
    to_do,
    with_status,
)
from bot.directory.hours import LONDON, check_hours, hours_state
from bot.staff.models import Supporter
from bot.store.directory import Change, StoredEntry

from .staff_auth import PREFIX, Access, Page, current, form_text, now, render, see_other, service

BASE = f"{PREFIX}/directory"
# Every field of the entry form, with the longest a lead may type in it.
_FIELDS = {
    "name": 200, "kind": 40, "age_min": 5, "age_max": 5, "languages": 500,
    "communities": 500, "who_note": 500, "national": 1, "postcodes": 300, "address": 300,
    "postcode": 12, "town": 100, "lat": 20, "lon": 20, "phone": 40, "text": 40,
    "text_keyword": 40, "email": 200, "web": 500, "hours": 500, "access": 20,
    "referral_via": 200, "cost": 200, "source": 500, "notes": 2000, "id": 60,
}  # fmt: skip


def _zone(request: Request) -> ZoneInfo:
    return ZoneInfo(service(request).settings.file.service.time_zone)


def _today(request: Request) -> date:
    return now(request).astimezone(_zone(request)).date()


def _entry(stored: StoredEntry) -> Entry | None:
    try:
        return entry_from_body(stored.body)
    except EntryProblems:
        return None


async def _stored(request: Request) -> list[tuple[StoredEntry, Entry]]:
    found = await service(request).store.directory.entries()
    return [(s, e) for s in found if (e := _entry(s)) is not None]


def _choices() -> dict[str, Any]:
    return {
        "kinds": [k.value for k in Kind],
        "groups": [g.value for g in Group],
        "accesses": [a.value for a in EntryAccess],
    }


async def _names(request: Request, ids: set[str]) -> dict[str, str]:
    staff = service(request).store.staff
    names: dict[str, str] = {}
    for supporter_id in ids:
        found: Supporter | None = await staff.get(supporter_id)
        if found is not None:
            names[supporter_id] = found.display_name
    return names


# -- the list ------------------------------------------------------------------------


async def directory_list(request: Request) -> Response:
    today = _today(request)
    filters, problems = filters_from(dict(request.query_params))
    rows: list[dict[str, Any]] = []
    for stored, entry in await _stored(request):
        if not shown(entry, filters, today):
            continue
        rows.append(
            {
                "entry": entry,
                "stale": is_stale(entry, today),
                "verified_by": stored.verified_by,
                "verified_at": stored.verified_at,
                "origin": stored.origin,
            }
        )
    rows.sort(key=lambda row: row["entry"].name.casefold())
    return render(
        request,
        "directory.html",
        {
            **_choices(),
            "loaded": service(request).directory is not None,
            "rows": rows,
            "filters": filters,
            "filter_problems": problems,
            "stale_days": RECHECK_DAYS,
            "today": today.isoformat(),
            "notice": request.query_params.get("done", ""),
        },
        400 if problems else 200,
    )


# -- one entry -----------------------------------------------------------------------


def _form_values(entry: Entry | None) -> dict[str, str]:
    """The entry as the form's text fields."""
    if entry is None:
        return {name: "" for name in _FIELDS} | {"access": "self_referral", "cost": "free"}
    who, place, contact = entry.who, entry.place, entry.contact
    low, high = who.ages if who.ages else (None, None)

    def text(value: object) -> str:
        return "" if value is None else str(value)

    return {
        "id": entry.id,
        "name": entry.name,
        "kind": entry.kind.value,
        "age_min": text(low),
        "age_max": text(high),
        "languages": ", ".join(who.languages),
        "communities": ", ".join(who.communities),
        "who_note": text(who.note),
        "national": "1" if entry.area.national else "",
        "postcodes": ", ".join(entry.area.postcodes),
        "address": text(place.address if place else None),
        "postcode": text(place.postcode if place else None),
        "town": text(place.town if place else None),
        "lat": text(place.lat if place else None),
        "lon": text(place.lon if place else None),
        "phone": text(contact.phone),
        "text": text(contact.text),
        "text_keyword": text(contact.text_keyword),
        "email": text(contact.email),
        "web": text(contact.web),
        "hours": text(entry.hours),
        "access": entry.access.value,
        "referral_via": text(entry.referral_via),
        "cost": entry.cost,
        "source": entry.source,
        "notes": text(entry.notes),
    }


async def _entry_page(
    request: Request,
    stored: StoredEntry | None,
    *,
    values: dict[str, str] | None = None,
    audiences: list[str] | None = None,
    problems: list[tuple[str, str]] | None = None,
    status_code: int = 200,
) -> Response:
    entry = _entry(stored) if stored is not None else None
    history = await service(request).store.directory.history(stored.id) if stored else []
    ids = {h.by for h in history} | (
        {stored.verified_by} if stored and stored.verified_by else set()
    )
    names = await _names(request, ids)
    today = _today(request)
    at = now(request).astimezone(LONDON)
    return render(
        request,
        "directory_entry.html",
        {
            **_choices(),
            "stored": stored,
            "entry": entry,
            "values": values if values is not None else _form_values(entry),
            "audiences": audiences
            if audiences is not None
            else ([g.value for g in entry.who.audiences] if entry else ["everyone"]),
            "problems": problems or [],
            "stale": entry is not None and is_stale(entry, today),
            "names": names,
            "history": [{"item": h, "fields": changed_fields(h.before, h.after)} for h in history],
            "preview_at": at.strftime("%Y-%m-%dT%H:%M"),
            "preview": _preview(entry.hours if entry else None, at),
            "notice": request.query_params.get("done", ""),
            "updated_at": stored.updated_at.isoformat() if stored else "",
        },
        status_code,
    )


async def entry_page(request: Request) -> Response:
    stored = await service(request).store.directory.get(request.path_params["entry_id"])
    if stored is None:
        return render(request, "not_found.html", status_code=404)
    return await _entry_page(request, stored)


async def new_page(request: Request) -> Response:
    return await _entry_page(request, None)


def _fields(form: Any) -> tuple[dict[str, str], list[str]]:
    values = {name: form_text(form, name, limit).strip() for name, limit in _FIELDS.items()}
    audiences = [str(a)[:40] for a in form.getlist("audiences")][:10]
    return values, audiences


async def _save(
    request: Request,
    stored: StoredEntry | None,
    entry: Entry,
    action: str,
    *,
    verified_source: str | None = None,
    expected: dict[str, datetime | None] | None = None,
) -> bool:
    svc = service(request)
    others = [e for _, e in await _stored(request)]
    check_change(others, [entry])
    changed = Change(
        entry.id,
        body_of(entry),
        action,
        origin=stored.origin if stored else "dashboard",
        verified_source=verified_source,
    )
    saved = await svc.store.directory.save(
        [changed], current(request).id, now(request), expected=expected
    )
    if saved:
        await svc.refresh_directory()
    return saved


def _expected(form: Any, entry_id: str) -> dict[str, datetime | None] | None:
    """The version the lead's page showed, so a change made since is not undone."""
    text = form_text(form, "updated_at", 60)
    try:
        return {entry_id: datetime.fromisoformat(text)} if text else None
    except ValueError:
        return None


async def save_entry(request: Request) -> Response:
    directory = service(request).store.directory
    stored = await directory.get(request.path_params["entry_id"])
    if stored is None:
        return render(request, "not_found.html", status_code=404)
    old = _entry(stored)
    form = await request.form()
    values, audiences = _fields(form)
    status = old.status if old is not None else Status.UNVERIFIED
    verified_on = old.verified_on if old is not None else _today(request)
    body = body_from_form(
        values, audiences, entry_id=stored.id, status=status, verified_on=verified_on
    )
    places = service(request).directory
    try:
        entry = entry_from_body(body, places.places if places else None)
        if not await _save(request, stored, entry, "edit", expected=_expected(form, stored.id)):
            return await _entry_page(
                request,
                stored,
                values=values,
                audiences=audiences,
                problems=[
                    (
                        "entry",
                        "changed by someone else since you opened it: "
                        "your changes are below, not saved; look, then save again",
                    )
                ],
                status_code=409,
            )
    except EntryProblems as error:
        return await _entry_page(
            request,
            stored,
            values=values,
            audiences=audiences,
            problems=error.problems,
            status_code=400,
        )
    return see_other(f"{BASE}/entry/{stored.id}?done=entry_saved")


async def add_entry(request: Request) -> Response:
    form = await request.form()
    values, audiences = _fields(form)
    entry_id = slug(values["id"] or values["name"])
    directory = service(request).store.directory
    problems: list[tuple[str, str]] = []
    if await directory.get(entry_id) is not None:
        problems.append(("id", f"{entry_id!r} is already in the directory: choose another"))
    body = body_from_form(
        values,
        audiences,
        entry_id=entry_id,
        status=Status.UNVERIFIED,
        verified_on=_today(request),
    )
    places = service(request).directory
    try:
        entry = entry_from_body(body, places.places if places else None)
        if not problems and not await _save(request, None, entry, "add", expected={entry_id: None}):
            problems.append(("id", f"{entry_id!r} was added by someone else just now"))
    except EntryProblems as error:
        problems.extend(error.problems)
    if problems:
        return await _entry_page(
            request,
            None,
            values=values,
            audiences=audiences,
            problems=problems,
            status_code=400,
        )
    return see_other(f"{BASE}/entry/{entry_id}?done=entry_added")


async def _status_change(request: Request, status: Status, action: str) -> Response:
    stored = await service(request).store.directory.get(request.path_params["entry_id"])
    entry = _entry(stored) if stored is not None else None
    if stored is None or entry is None:
        return render(request, "not_found.html", status_code=404)
    form = await request.form()
    source = form_text(form, "checked_source", 500).strip() or None
    if action == "verify" and source is None:
        return await _entry_page(
            request,
            stored,
            problems=[("checked_source", "say what you checked (a phone call, a web page)")],
            status_code=400,
        )
    try:
        changed = with_status(
            entry,
            status,
            verified_on=_today(request) if action == "verify" else None,
            source=source,
        )
        if not await _save(
            request,
            stored,
            changed,
            action,
            verified_source=source,
            expected=_expected(form, stored.id),
        ):
            return await _entry_page(
                request,
                stored,
                problems=[("entry", "changed by someone else since you opened it: look again")],
                status_code=409,
            )
    except EntryProblems as error:
        return await _entry_page(request, stored, problems=error.problems, status_code=400)
    return see_other(f"{BASE}/entry/{stored.id}?done=entry_{action}")


async def verify(request: Request) -> Response:
    return await _status_change(request, Status.ACTIVE, "verify")


async def close(request: Request) -> Response:
    return await _status_change(request, Status.CLOSED, "close")


async def reopen(request: Request) -> Response:
    # Back as unverified: whoever reopens it checks it before people are sent there.
    return await _status_change(request, Status.UNVERIFIED, "reopen")


# -- opening hours, as the lead types ---------------------------------------------


def _preview(hours: str | None, at: datetime) -> dict[str, Any]:
    if not hours:
        return {"state": "none"}
    try:
        hours = check_hours(hours)
    except ValueError as error:
        return {"state": "invalid", "problem": str(error)}
    is_open, change = hours_state(hours, at)
    return {
        "state": "open" if is_open else "closed",
        "at": at.astimezone(LONDON),
        "change": change.astimezone(LONDON) if change else None,
    }


async def hours_check(request: Request) -> Response:
    hours = request.query_params.get("hours", "")[:500]
    at_text = request.query_params.get("at", "")
    try:
        at = datetime.fromisoformat(at_text).replace(tzinfo=LONDON)
    except ValueError:
        at = now(request).astimezone(LONDON)
    return render(request, "_hours_preview.html", {"preview": _preview(hours, at)})


# -- the lead's home page ------------------------------------------------------------


async def home_todo(request: Request, me: Supporter) -> dict[str, Any]:
    """What to check in the directory, on a lead's home page."""
    if not me.is_lead:
        return {}
    entries = [e for _, e in await _stored(request)]
    return {"directory_todo": to_do(entries, _today(request)), "stale_days": RECHECK_DAYS}


PAGES: list[Page] = [
    Page(BASE, directory_list, ("GET",), Access.LEAD),
    Page(f"{BASE}/new", new_page, ("GET",), Access.LEAD),
    Page(f"{BASE}/new", add_entry, ("POST",), Access.LEAD),
    Page(f"{BASE}/hours", hours_check, ("GET",), Access.LEAD),
    Page(f"{BASE}/entry/{{entry_id}}", entry_page, ("GET",), Access.LEAD),
    Page(f"{BASE}/entry/{{entry_id}}", save_entry, ("POST",), Access.LEAD),
    Page(f"{BASE}/entry/{{entry_id}}/verify", verify, ("POST",), Access.LEAD),
    Page(f"{BASE}/entry/{{entry_id}}/close", close, ("POST",), Access.LEAD),
    Page(f"{BASE}/entry/{{entry_id}}/reopen", reopen, ("POST",), Access.LEAD),
]
