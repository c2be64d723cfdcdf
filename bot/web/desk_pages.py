"""The supporters' desk in the dashboard: the queue and your conversations beside the
conversation open now, and its controls (say, note, release, transfer, end, escalate,
missed risk, debrief).

Each page is declared with its minimum role like every dashboard page, so the
authorisation matrix covers these too. A supporter opens only their own conversations,
while they are open and for the wrap-up window after (``bot.peer.rules``); the page
shows a pseudonym, never an address. Live updates arrive as nudges on ``desk_live``'s
event stream; the browser then fetches ``desk.json``, which answers by the same rules.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.peer import queue, rules
from bot.peer.desk import OUTCOMES, Desk
from bot.peer.risk_names import named
from bot.peer.risk_words import learned_words
from bot.risk import Level
from bot.risk import learned_words as explain_learned
from bot.store.peer import Handoff

from .desk_figures import lead_figures
from .staff_auth import PREFIX, Access, Page, current, forbidden, render, see_other, service

DEBRIEF_MINUTES = 15
NEWEST_URGENT_LINES = 2


def _desk(request: Request) -> Desk:
    return Desk(service(request))


def _iso(at: datetime | None) -> str | None:
    return at.astimezone(UTC).isoformat() if at else None


def _label(request: Request, option: str) -> str:
    """The words the person saw on the button they pressed, not its id."""
    try:
        return service(request).wording.label(option)
    except Exception:  # an option retired since: its id is better than nothing
        return option


async def lines_of(request: Request, handoff: Handoff) -> list[dict[str, Any]]:
    """The lines of this handoff only (``rules.window``), presses as their labels."""
    store = service(request).store.peer
    start, end = rules.window(
        handoff.joined_at,
        handoff.ended_at,
        await store.previous_end(handoff.person_id, handoff.id),
    )
    lines = await store.conversation(handoff.person_id, start, end)
    for line in lines:
        line["pressed"] = False
        if line["option"]:
            line["text"] = _label(request, str(line["option"]))
            line["pressed"] = True
        elif line["command"] and not line["text"]:
            line["text"] = "/" + str(line["command"])
        if not rules.raised_by(line["risk"]):
            line["risk"] = None
        line["urgent"] = bool(line["risk"] and line["risk"]["level"] == "urgent")
    return lines


async def _context(request: Request, handoff: Handoff) -> dict[str, Any]:
    """What a supporter needs to decide about a person, where the decision is made."""
    svc = service(request)
    now = service(request).clock()
    history = [h for h in await svc.store.peer.history(handoff.person_id) if h.id != handoff.id]
    block = await svc.store.active_block(handoff.person_id, now)
    lines = await lines_of(request, handoff)
    raised = [line for line in lines if line["risk"]]
    reasons = sorted({r for line in raised for r in line["risk"]["rules"]})
    concepts = sorted({c for line in raised for c in line["risk"]["categories"]})
    names = svc.wording.risk_names()
    urgent_lines = [line["text"] for line in raised if line["urgent"]][-NEWEST_URGENT_LINES:]
    return {
        "history": [
            {"note": h.handover_note, "ended": _iso(h.ended_at)} for h in history if h.handover_note
        ],
        "returning": bool(history),
        "blocked": block is not None,
        # The reviewed names (messages/en-GB/dashboard/risk_names.yaml), never raw ids.
        "rules": named(names, reasons),
        "concepts": named(names, concepts),
        "urgent_lines": urgent_lines,
        # Why the learned layer raised them: their own words that pulled hardest.
        "learned_words": learned_words(lines, explain_learned),
        "channel": await svc.store.peer.channel(handoff.person_id) or "",
    }


def _row(handoff: Handoff, now: datetime) -> dict[str, Any]:
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
        "since": _iso(since),
        "off_shift": handoff.off_shift,
        "status": handoff.status,
    }


async def _rich(request: Request, handoff: Handoff, now: datetime) -> dict[str, Any]:
    return {**_row(handoff, now), **await _context(request, handoff)}


def _queue_row(row: dict[str, Any]) -> dict[str, Any]:
    """What every supporter on shift may see of someone waiting: that they are returning,
    not the earlier handover notes (those are for whoever takes them)."""
    return {**row, "history": []}


def _why_not(request: Request, active: int) -> dict[str, Any] | None:
    me = current(request)
    blocked = rules.take_blocked(
        me.on_shift, me.on_break(service(request).clock()), active, me.caseload_cap
    )
    return None if blocked is None else {"reason": blocked[0], **blocked[1]}


async def figures(request: Request, open_id: int | None = None) -> dict[str, Any]:
    """Everything one desk shows, for the page and for ``desk.json``."""
    me = current(request)
    svc = service(request)
    store = svc.store.peer
    now = service(request).clock()
    waiting = await store.waiting()
    mine = await store.mine(me.id)
    names = {str(d["id"]): str(d["display_name"]) for d in await store.desks()}
    mine_rows = []
    for handoff in mine:
        row = await _rich(request, handoff, now)
        ids = await store.person_lines_since(handoff.person_id, handoff.taken_at or now)
        row["unread"] = 0 if handoff.id == open_id else rules.unread(ids, handoff.seen_upto)
        row["transferred_by"] = names.get(handoff.transferred_by or "", "")
        row["transfer_note"] = handoff.transfer_note or ""
        mine_rows.append(row)
    blocked = _why_not(request, len(mine))
    return {
        "signed_in": True,
        "me": {
            "id": me.id,
            "lead": me.is_lead,
            "blocked": blocked,
            "room": blocked is None,
            "cap": me.caseload_cap,
            "active": len(mine),
            "muted": await store.muted(me.id),
        },
        "waiting": [_queue_row(await _rich(request, h, now)) for h in waiting],
        "mine": mine_rows,
    }


async def _readable(request: Request) -> Handoff | None:
    """The handoff in the path, if this supporter may read it now (``rules.may_read``)."""
    raw = request.path_params.get("handoff_id", "")
    handoff = await service(request).store.peer.handoff(int(raw)) if str(raw).isdigit() else None
    if handoff is None:
        return None
    held = rules.Held(handoff.supporter_id, handoff.status, handoff.ended_at)
    now = service(request).clock()
    if not rules.may_read(held, current(request).id, now, _desk(request).wrap_up()):
        return None
    return handoff


async def _live(request: Request) -> Handoff | None:
    handoff = await _readable(request)
    return handoff if handoff is not None and handoff.status == "active" else None


async def conversation(request: Request, handoff: Handoff) -> dict[str, Any]:
    """The open conversation, as ``desk.json`` and the chat page have it."""
    lines = await lines_of(request, handoff)
    person_ids = [int(line["id"]) for line in lines if line["who"] == "person"]
    if person_ids and handoff.status == "active" and handoff.supporter_id == current(request).id:
        # On the holder's screen now: read.
        await service(request).store.peer.mark_seen(
            current(request).id, handoff.id, max(person_ids)
        )
    return {
        "id": handoff.id,
        "person": handoff.person,
        "live": handoff.status == "active",
        "ended_by": handoff.ended_by or "",
        "outcome_saved": bool(handoff.outcome) or bool(handoff.handover_note),
        "lines": lines,
        "notes": await service(request).store.peer.notes(handoff.id),
    }


async def desk_json(request: Request) -> Response:
    """What the desk fetches when its event stream nudges it."""
    raw = request.query_params.get("open", "")
    data = await figures(request, int(raw) if raw.isdigit() else None)
    if raw.isdigit():
        request.path_params["handoff_id"] = raw
        handoff = await _readable(request)
        data["open"] = await conversation(request, handoff) if handoff else None
    if current(request).is_lead:
        data["lead"] = await lead_figures(request)
    return JSONResponse(data, headers={"cache-control": "no-store"})


async def queue_json(request: Request) -> Response:
    return JSONResponse(await figures(request), headers={"cache-control": "no-store"})


async def home_hook(request: Request, me: object) -> dict[str, Any]:
    """The desk's lists for the home page (``dashboard.HOME_HOOKS``)."""
    return {"desk": await figures(request), "outcomes": OUTCOMES}


async def take(request: Request) -> Response:
    form = await request.form()
    chosen = str(form.get("handoff_id") or "")
    handoff = await _desk(request).take(
        current(request).id, int(chosen) if chosen.isdigit() else None
    )
    if handoff is None:
        return see_other(f"{PREFIX}?done=nobody")
    return see_other(f"{PREFIX}/chat/{handoff.id}")


async def desk_page(request: Request, open_id: int | None, extra: dict[str, Any]) -> Response:
    """The two-pane desk: the lists, and the conversation when one is open."""
    return render(
        request,
        "chat.html" if open_id is not None else "home.html",
        {"desk": await figures(request, open_id), "outcomes": OUTCOMES, **extra},
    )


async def chat_page(request: Request) -> Response:
    handoff = await _readable(request)
    if handoff is None:
        return forbidden(request)
    store = service(request).store
    desk = _desk(request)
    now = service(request).clock()
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
    return await desk_page(
        request,
        handoff.id,
        {
            "handoff": handoff,
            "row": await _rich(request, handoff, now),
            "chat": await conversation(request, handoff),
            "live": handoff.status == "active",
            "ladder": desk.ladder(),
            "escalations": await store.peer.escalations(handoff.id),
            "targets": [r for r in desks if r["id"] in targets],
            "canned": canned_replies(request),
            "find": request.query_params.get("find", "")[:100],
            "found": [
                {"id": r.entry.id, "name": r.entry.name, "open": r.open_now}
                for r in desk.find_services(
                    request.query_params.get("find", "")[:100], handoff.audience
                )
            ],
            "notice": request.query_params.get("done", ""),
            "problem": request.query_params.get("problem", ""),
            "on_break_until": None,
            "break_minutes": (),
        },
    )


def canned_replies(request: Request) -> list[dict[str, str]]:
    """Replies a lead keeps in ``messages/en-GB/dashboard/canned_replies.html``."""
    words = service(request).wording.dashboard_words("canned_replies.html")
    return [dict(item) for item in words.replies]


def _break(raw: object) -> datetime | None:
    return datetime.fromisoformat(str(raw)) if raw else None


async def chat_lines(request: Request) -> Response:
    handoff = await _readable(request)
    if handoff is None:
        return JSONResponse({"error": "forbidden"}, status_code=403)
    return JSONResponse(await conversation(request, handoff), headers={"cache-control": "no-store"})


def _fetched(request: Request) -> bool:
    return request.headers.get("x-requested-with") == "fetch"


async def say(request: Request) -> Response:
    handoff = await _live(request)
    form = await request.form()
    ok = handoff is not None and await _desk(request).say(
        current(request).id, handoff.id, str(form.get("text") or "")
    )
    if _fetched(request):
        return Response(status_code=204 if ok else 409)
    if handoff is None:
        return forbidden(request)
    return see_other(f"{PREFIX}/chat/{handoff.id}")


async def note(request: Request) -> Response:
    """A private note during the chat: for the supporter (and leads), never sent."""
    handoff = await _readable(request)
    form = await request.form()
    text = str(form.get("text") or "").strip()
    if handoff is None:
        return forbidden(request)
    if text:
        await service(request).store.peer.add_note(
            current(request).id, handoff.id, rules.note_text(text)
        )
    if _fetched(request):
        return Response(status_code=204 if text else 409)
    return see_other(f"{PREFIX}/chat/{handoff.id}?done=noted")


async def card(request: Request) -> Response:
    """Send a directory listing from the desk (rendered for the person's channel)."""
    handoff = await _live(request)
    form = await request.form()
    if handoff is None:
        return forbidden(request)
    ok = await _desk(request).card(current(request).id, handoff.id, str(form.get("entry") or ""))
    return see_other(f"{PREFIX}/chat/{handoff.id}?{'done=card' if ok else 'problem=no_card'}")


def _not_live(handoff: Handoff) -> Response:
    return see_other(f"{PREFIX}/chat/{handoff.id}?problem=not_live")


async def release(request: Request) -> Response:
    handoff = await _readable(request)
    if handoff is None:
        return forbidden(request)
    if not await _desk(request).release(current(request).id, handoff.id):
        return _not_live(handoff)
    return see_other(f"{PREFIX}?done=released")


async def transfer(request: Request) -> Response:
    handoff = await _readable(request)
    form = await request.form()
    to = str(form.get("to") or "")
    if handoff is None:
        return forbidden(request)
    if not await _desk(request).transfer(
        current(request).id, handoff.id, to, str(form.get("note") or "")
    ):
        return see_other(f"{PREFIX}/chat/{handoff.id}?problem=no_transfer")
    return see_other(f"{PREFIX}?done=transferred")


async def end(request: Request) -> Response:
    handoff = await _readable(request)
    form = await request.form()
    if handoff is None:
        return forbidden(request)
    tags = [str(tag) for tag in form.getlist("outcome")]
    ended = await _desk(request).end(
        current(request).id, handoff.id, tags, str(form.get("note") or "")
    )
    if ended is None or ended.ended_at is None:
        return _not_live(handoff)
    if ended.taken_at is None:
        return see_other(f"{PREFIX}?done=ended")
    escalated = bool(await service(request).store.peer.escalations(ended.id))
    if queue.debrief_offered(ended.was_urgent, ended.taken_at, ended.ended_at, escalated):
        return see_other(f"{PREFIX}/look-after-yourself?handoff={ended.id}")
    return see_other(f"{PREFIX}?done=ended")


async def escalate(request: Request) -> Response:
    handoff = await _live(request)
    form = await request.form()
    if handoff is None:
        return forbidden(request)
    reached = await _desk(request).escalate(
        current(request).id, handoff.id, str(form.get("rung") or "")
    )
    if reached is None:
        outcome = "problem=no_rung"
    else:
        # Honest: "the leads have been told" only when a lead could be reached.
        outcome = "done=escalated" if reached else "problem=no_lead"
    return see_other(f"{PREFIX}/chat/{handoff.id}?{outcome}")


async def missed(request: Request) -> Response:
    handoff = await _live(request)
    form = await request.form()
    raw = str(form.get("inbox_id") or "")
    if handoff is None:
        return forbidden(request)
    ok = raw.isdigit() and await service(request).store.peer.missed_risk(
        current(request).id, handoff.id, int(raw)
    )
    if _fetched(request):
        return Response(status_code=204 if ok else 409)
    outcome = "done=missed" if ok else "problem=not_missed"
    return see_other(f"{PREFIX}/chat/{handoff.id}?{outcome}")


async def look_after(request: Request) -> Response:
    """After an urgent or long conversation: a debrief or a break, offered, never forced."""
    return render(request, "look_after.html", {"minutes": DEBRIEF_MINUTES})


async def debrief(request: Request) -> Response:
    reached = await _desk(request).debrief(current(request).id, DEBRIEF_MINUTES)
    return see_other(f"{PREFIX}?done=debrief" if reached else f"{PREFIX}?problem=no_lead_debrief")


CHAT = f"{PREFIX}/chat/{{handoff_id:int}}"
PAGES: list[Page] = [
    Page(f"{PREFIX}/queue.json", queue_json, ("GET",), Access.SUPPORTER),
    Page(f"{PREFIX}/desk.json", desk_json, ("GET",), Access.SUPPORTER),
    Page(f"{PREFIX}/take", take, ("POST",), Access.SUPPORTER),
    Page(CHAT, chat_page, ("GET",), Access.SUPPORTER),
    Page(f"{CHAT}/lines.json", chat_lines, ("GET",), Access.SUPPORTER),
    Page(f"{CHAT}/say", say, ("POST",), Access.SUPPORTER),
    Page(f"{CHAT}/note", note, ("POST",), Access.SUPPORTER),
    Page(f"{CHAT}/card", card, ("POST",), Access.SUPPORTER),
    Page(f"{CHAT}/release", release, ("POST",), Access.SUPPORTER),
    Page(f"{CHAT}/transfer", transfer, ("POST",), Access.SUPPORTER),
    Page(f"{CHAT}/end", end, ("POST",), Access.SUPPORTER),
    Page(f"{CHAT}/escalate", escalate, ("POST",), Access.SUPPORTER),
    Page(f"{CHAT}/missed", missed, ("POST",), Access.SUPPORTER),
    Page(f"{PREFIX}/look-after-yourself", look_after, ("GET",), Access.SUPPORTER),
    Page(f"{PREFIX}/debrief", debrief, ("POST",), Access.SUPPORTER),
]
