"""Leads' safety page: messages supporters said the risk check missed (for the safety
review of the rules), and blocks on abusive senders. People appear by pseudonym only."""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import Request
from starlette.responses import Response

from bot.peer.rules import pseudonym

from .staff_auth import PREFIX, Access, Page, current, render, see_other, service

MAX_BLOCK_HOURS = 720


async def safety(request: Request) -> Response:
    store = service(request).store
    now = service(request).clock()
    blocks = [
        {"person": pseudonym(b.person_id), "until": b.until, "reason": b.reason}
        for b in await store.blocks(now, active_only=True)
    ]
    failed = [
        {
            "person": pseudonym(f.person_id),
            "channel": f.channel,
            "key": f.key,
            "reason": f.reason,
            "at": f.failed_at,
            "urgent": f.urgent,
        }
        for f in await store.failed_deliveries(now - timedelta(days=7), limit=200)
    ]
    return render(
        request,
        "safety.html",
        {
            "missed": await store.peer.missed(),
            "blocks": blocks,
            "failed": failed,
            "notice": request.query_params.get("done", ""),
            "problem": request.query_params.get("problem", ""),
        },
    )


async def block(request: Request) -> Response:
    form = await request.form()
    store = service(request).store
    person_id = await store.peer.person_by_pseudonym(str(form.get("person") or ""))
    hours = str(form.get("hours") or "")
    reason = str(form.get("reason") or "").strip()[:200]
    if person_id is None:
        return see_other(f"{PREFIX}/safety?problem=no_person")
    if not hours.isdigit() or not 1 <= int(hours) <= MAX_BLOCK_HOURS or not reason:
        return see_other(f"{PREFIX}/safety?problem=block")
    until = service(request).clock() + timedelta(hours=int(hours))
    await service(request).block_person(person_id, until, reason, current(request).id)
    return see_other(f"{PREFIX}/safety?done=blocked")


async def unblock(request: Request) -> Response:
    form = await request.form()
    store = service(request).store
    person_id = await store.peer.person_by_pseudonym(str(form.get("person") or ""))
    if person_id is None:
        return see_other(f"{PREFIX}/safety?problem=no_person")
    await service(request).unblock_person(person_id, current(request).id)
    return see_other(f"{PREFIX}/safety?done=unblocked")


PAGES: list[Page] = [
    Page(f"{PREFIX}/safety", safety, ("GET",), Access.LEAD),
    Page(f"{PREFIX}/safety/block", block, ("POST",), Access.LEAD),
    Page(f"{PREFIX}/safety/unblock", unblock, ("POST",), Access.LEAD),
]
