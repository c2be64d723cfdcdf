"""The leads' live view as figures, for the live page (``desk_live``) and ``desk.json``
(``desk_pages``): its own module so neither of those imports the other."""

from __future__ import annotations

from datetime import datetime

from starlette.requests import Request

from bot.risk import Level

from .staff_auth import service


async def lead_figures(request: Request) -> dict[str, object]:
    """The leads' live view: every live conversation, the desks, the queue, the inbox."""
    store = service(request).store.peer
    now = service(request).clock()
    desks = await store.desks()
    names = {str(d["id"]): str(d["display_name"]) for d in desks}
    live = [
        {
            "id": h.id,
            "person": h.person,
            "supporter": names.get(h.supporter_id or "", ""),
            "minutes": int((now - (h.taken_at or now)).total_seconds() // 60),
            "urgent": h.priority >= Level.URGENT,
            "priority": Level(h.priority).label,
        }
        for h in await store.active()
    ]
    waiting = await store.waiting()
    longest = max(((now - h.joined_at).total_seconds() for h in waiting), default=0.0)
    people = []
    for d in desks:
        until = d["break_until"]
        on_break = bool(until) and datetime.fromisoformat(str(until)) > now
        people.append(
            {
                "name": d["display_name"],
                "on_shift": bool(d["on_shift"]),
                "on_break": on_break,
                "active": int(d["active"]),
                "cap": int(d["caseload_cap"]),
                "at_cap": int(d["active"]) >= int(d["caseload_cap"]),
                "present": str(d["id"]) in service(request).events.present(),
            }
        )
    inbox = [
        {
            "id": item["id"],
            "kind": item["kind"],
            "text": item["text"],
            "at": item["at"],
            "handoff": item["handoff_id"],
            "seen": bool(item["seen_by"]),
            "seen_by": names.get(str(item["seen_by"] or ""), ""),
        }
        for item in await store.inbox()
    ]
    return {
        "live": live,
        "desks": people,
        "waiting": len(waiting),
        "longest_wait_minutes": int(longest // 60),
        "inbox": inbox,
    }
