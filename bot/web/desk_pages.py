"""The supporters' desk in the dashboard: the queue, taking, the chat view, and the
controls (release, transfer, end, escalate, missed risk, debrief).

Each page is declared with its minimum role like every dashboard page, so the
authorisation matrix covers these too. A supporter opens only their own live
conversations; the page shows a pseudonym, never an address.
"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.peer import queue
from bot.peer.desk import OUTCOMES, Desk
from bot.risk import Level
from bot.store.peer import Handoff, StaffMessage

from .staff_auth import PREFIX, Access, Page, current, forbidden, render, see_other, service

DEBRIEF_MINUTES = 15


def _desk(request: Request) -> Desk:
    return Desk(service(request))


def _row(handoff: Handoff, now: datetime) -> dict[str, object]:
    since = (
        handoff.taken_at if handoff.status == "active" and handoff.taken_at else handoff.joined_at
    )
    return {
        "id": handoff.id,
        "person": handoff.person,
        "priority": Level(handoff.priority).label,
        "urgent": handoff.priority >= Level.URGENT,
        "carer": handoff.audience == "carer",
        "topic": handoff.topic or "",
        "minutes": int((now - since).total_seconds() // 60),
        "off_shift": handoff.off_shift,
    }


async def _figures(request: Request) -> dict[str, object]:
    me = current(request)
    store = service(request).store
    now = datetime.now(UTC)
    waiting = await store.peer.waiting()
    mine = await store.peer.mine(me.id)
    return {
        "waiting": [_row(h, now) for h in waiting],
        "mine": [_row(h, now) for h in mine],
        "room": me.on_shift and not me.on_break(now) and len(mine) < me.caseload_cap,
        "cap": me.caseload_cap,
    }


async def queue_json(request: Request) -> Response:
    """What the home page polls for live updates."""
    return JSONResponse(await _figures(request), headers={"cache-control": "no-store"})


async def take(request: Request) -> Response:
    form = await request.form()
    chosen = str(form.get("handoff_id") or "")
    handoff = await _desk(request).take(
        current(request).id, int(chosen) if chosen.isdigit() else None
    )
    if handoff is None:
        return see_other(f"{PREFIX}?done=nobody")
    return see_other(f"{PREFIX}/chat/{handoff.id}")


async def _own(request: Request) -> Handoff | None:
    raw = request.path_params.get("handoff_id", "")
    handoff = await service(request).store.peer.handoff(int(raw)) if str(raw).isdigit() else None
    if handoff is None or handoff.supporter_id != current(request).id:
        return None
    return handoff


async def chat_page(request: Request) -> Response:
    handoff = await _own(request)
    if handoff is None:
        return forbidden(request)
    store = service(request).store
    desk = _desk(request)
    now = datetime.now(UTC)
    desks = await store.peer.desks()
    targets = {
        d.id
        for d in queue.transfer_targets(
            [
                queue.Desk(
                    str(r["id"]),
                    bool(r["on_shift"]),
                    int(r["caseload_cap"]),
                    int(r["active"]),
                    break_until=_break(r["break_until"]),
                )
                for r in desks
            ],
            current(request).id,
            now,
        )
    }
    return render(
        request,
        "chat.html",
        {
            "handoff": handoff,
            "row": _row(handoff, now),
            "live": handoff.status == "active",
            "lines": await store.peer.lines(handoff.person_id),
            "history": [h for h in await store.peer.history(handoff.person_id) if h.handover_note],
            "ladder": desk.ladder(),
            "escalations": await store.peer.escalations(handoff.id),
            "targets": [r for r in desks if r["id"] in targets],
            "outcomes": OUTCOMES,
            "notice": request.query_params.get("done", ""),
            "problem": request.query_params.get("problem", ""),
        },
    )


def _break(raw: object) -> datetime | None:
    return datetime.fromisoformat(str(raw)) if raw else None


async def chat_lines(request: Request) -> Response:
    handoff = await _own(request)
    if handoff is None:
        return JSONResponse({"error": "forbidden"}, status_code=403)
    lines = await service(request).store.peer.lines(handoff.person_id)
    return JSONResponse(
        {"live": handoff.status == "active", "lines": lines}, headers={"cache-control": "no-store"}
    )


async def say(request: Request) -> Response:
    handoff = await _own(request)
    form = await request.form()
    ok = handoff is not None and await _desk(request).say(
        current(request).id, handoff.id, str(form.get("text") or "")
    )
    if request.headers.get("x-requested-with") == "fetch":
        return Response(status_code=204 if ok else 409)
    if handoff is None:
        return forbidden(request)
    return see_other(f"{PREFIX}/chat/{handoff.id}")


def _not_live(handoff: Handoff) -> Response:
    return see_other(f"{PREFIX}/chat/{handoff.id}?problem=not_live")


async def release(request: Request) -> Response:
    handoff = await _own(request)
    if handoff is None:
        return forbidden(request)
    if not await _desk(request).release(current(request).id, handoff.id):
        return _not_live(handoff)
    return see_other(f"{PREFIX}?done=released")


async def transfer(request: Request) -> Response:
    handoff = await _own(request)
    form = await request.form()
    to = str(form.get("to") or "")
    if handoff is None:
        return forbidden(request)
    if not await _desk(request).transfer(current(request).id, handoff.id, to):
        return see_other(f"{PREFIX}/chat/{handoff.id}?problem=no_transfer")
    return see_other(f"{PREFIX}?done=transferred")


async def end(request: Request) -> Response:
    handoff = await _own(request)
    form = await request.form()
    if handoff is None:
        return forbidden(request)
    tags = [str(tag) for tag in form.getlist("outcome")]
    ended = await _desk(request).end(
        current(request).id, handoff.id, tags, str(form.get("note") or "")
    )
    if ended is None or ended.taken_at is None or ended.ended_at is None:
        return _not_live(handoff)
    escalated = bool(await service(request).store.peer.escalations(ended.id))
    if queue.debrief_offered(ended.was_urgent, ended.taken_at, ended.ended_at, escalated):
        return see_other(f"{PREFIX}/look-after-yourself?handoff={ended.id}")
    return see_other(f"{PREFIX}?done=ended")


async def escalate(request: Request) -> Response:
    handoff = await _own(request)
    form = await request.form()
    if handoff is None:
        return forbidden(request)
    ok = await _desk(request).escalate(current(request).id, handoff.id, str(form.get("rung") or ""))
    outcome = "done=escalated" if ok else "problem=no_rung"
    return see_other(f"{PREFIX}/chat/{handoff.id}?{outcome}")


async def missed(request: Request) -> Response:
    handoff = await _own(request)
    form = await request.form()
    raw = str(form.get("inbox_id") or "")
    if handoff is None:
        return forbidden(request)
    ok = raw.isdigit() and await service(request).store.peer.missed_risk(
        current(request).id, handoff.id, int(raw)
    )
    outcome = "done=missed" if ok else "problem=not_missed"
    return see_other(f"{PREFIX}/chat/{handoff.id}?{outcome}")


async def look_after(request: Request) -> Response:
    """After an urgent or long conversation: a debrief or a break, offered, never forced."""
    return render(request, "look_after.html", {"minutes": DEBRIEF_MINUTES})


async def debrief(request: Request) -> Response:
    me = current(request)
    await service(request).store.peer.take_break(me.id, "debrief", DEBRIEF_MINUTES)
    text = service(request).wording.ui("staff_debrief", supporter=me.display_name)
    await service(request).store.peer.alert([StaffMessage("leads", text)])
    service(request).wake_senders()
    return see_other(f"{PREFIX}?done=debrief")


CHAT = f"{PREFIX}/chat/{{handoff_id:int}}"
PAGES: list[Page] = [
    Page(f"{PREFIX}/queue.json", queue_json, ("GET",), Access.SUPPORTER),
    Page(f"{PREFIX}/take", take, ("POST",), Access.SUPPORTER),
    Page(CHAT, chat_page, ("GET",), Access.SUPPORTER),
    Page(f"{CHAT}/lines.json", chat_lines, ("GET",), Access.SUPPORTER),
    Page(f"{CHAT}/say", say, ("POST",), Access.SUPPORTER),
    Page(f"{CHAT}/release", release, ("POST",), Access.SUPPORTER),
    Page(f"{CHAT}/transfer", transfer, ("POST",), Access.SUPPORTER),
    Page(f"{CHAT}/end", end, ("POST",), Access.SUPPORTER),
    Page(f"{CHAT}/escalate", escalate, ("POST",), Access.SUPPORTER),
    Page(f"{CHAT}/missed", missed, ("POST",), Access.SUPPORTER),
    Page(f"{PREFIX}/look-after-yourself", look_after, ("GET",), Access.SUPPORTER),
    Page(f"{PREFIX}/debrief", debrief, ("POST",), Access.SUPPORTER),
]
