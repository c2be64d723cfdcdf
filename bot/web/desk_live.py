"""The desk, live: the event stream each open dashboard listens to, alert settings, and
the leads' live view (every live conversation, who is on shift, the queue, the inbox).

The stream (server-sent events) carries nudges only, never words: on each one the
browser fetches ``desk.json``, which answers by the same rules as the pages. When the
session ends the stream says ``signed_out`` and closes, so the desk shows "signed out",
never an empty queue.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from bot import events
from bot.peer import rules
from bot.peer.risk_names import named
from bot.peer.risk_words import learned_words
from bot.risk import learned_words as explain_learned

from .desk_figures import lead_figures
from .desk_pages import conversation
from .staff_auth import COOKIE, PREFIX, Access, Page, current, forbidden, render, see_other, service

# How often a quiet stream says it is alive (proxies close silent connections) and
# checks the session is still good.
KEEPALIVE_SECONDS = 15.0
# How long a browser waits before reconnecting.
RETRY_MS = 1000


def _sse(kind: str, data: dict[str, object]) -> str:
    return f"event: {kind}\ndata: {json.dumps(data)}\n\n"


async def stream(request: Request) -> Response:
    """``GET /dashboard/events``: nudges for this supporter, pushed as they happen."""
    me = current(request)
    svc = service(request)
    token = request.cookies.get(COOKIE, "")

    async def nudges() -> AsyncIterator[str]:
        with svc.events.subscribe(me.id, me.is_lead) as subscription:
            yield f"retry: {RETRY_MS}\n" + _sse("hello", {})
            quiet = 0.0
            while not (events.streams_stopping() or svc.events.closing.is_set()):
                try:
                    event = await asyncio.wait_for(subscription.queue.get(), 1.0)
                except TimeoutError:
                    quiet += 1.0
                    if quiet >= KEEPALIVE_SECONDS:
                        quiet = 0.0
                        found = await svc.store.staff.lookup_session(token, svc.clock())
                        if found is None:
                            yield _sse("signed_out", {})
                            return
                        yield ": alive\n\n"
                    continue
                quiet = 0.0
                yield _sse(event.kind, {"handoff": event.handoff_id})

    return StreamingResponse(
        nudges(),
        media_type="text/event-stream",
        headers={"cache-control": "no-store", "x-accel-buffering": "no"},
    )


async def alerts(request: Request) -> Response:
    """Which alerts sound for this supporter: the boxes ticked are the ones muted."""
    form = await request.form()
    muted = rules.clean_muted(str(kind) for kind in form.getlist("muted"))
    await service(request).store.peer.set_muted(current(request).id, muted)
    if request.headers.get("x-requested-with") == "fetch":
        return Response(status_code=204)
    return see_other(f"{PREFIX}?done=alerts")


async def live_page(request: Request) -> Response:
    return render(request, "live.html", {"view": await lead_figures(request)})


async def live_conversation(request: Request) -> Response:
    """A lead reads a live conversation they do not hold; the read is recorded."""
    raw = request.path_params.get("live_id", "")
    svc = service(request)
    handoff = await svc.store.peer.handoff(int(raw)) if str(raw).isdigit() else None
    if handoff is None or not rules.lead_may_read(
        rules.Held(handoff.supporter_id, handoff.status, handoff.ended_at)
    ):
        return forbidden(request)
    await svc.store.peer.record_read(current(request).id, handoff.id)
    names = {str(d["id"]): str(d["display_name"]) for d in await svc.store.peer.desks()}
    chat = await conversation(request, handoff)
    risk = [line["risk"] for line in chat["lines"] if line["risk"]]
    raised = named(
        svc.wording.risk_names(),
        sorted({c for r in risk for c in r["categories"]})
        + sorted({i for r in risk for i in r["rules"]}),
    )
    return render(
        request,
        "live_conversation.html",
        {
            "handoff": handoff,
            "holder": names.get(handoff.supporter_id or "", ""),
            "chat": chat,
            "raised": raised,
            "learned_words": learned_words(chat["lines"], explain_learned),
        },
    )


async def inbox_seen(request: Request) -> Response:
    raw = request.path_params.get("item_id", "")
    if str(raw).isdigit():
        await service(request).store.peer.inbox_seen(int(raw), current(request).id)
        service(request).events.publish(events.Event(events.LEADS, "inbox"))
    if request.headers.get("x-requested-with") == "fetch":
        return Response(status_code=204)
    return see_other(f"{PREFIX}/live")


PAGES: list[Page] = [
    Page(f"{PREFIX}/events", stream, ("GET",), Access.SUPPORTER),
    Page(f"{PREFIX}/alerts", alerts, ("POST",), Access.SUPPORTER),
    Page(f"{PREFIX}/live", live_page, ("GET",), Access.LEAD),
    Page(f"{PREFIX}/live/{{live_id:int}}", live_conversation, ("GET",), Access.LEAD),
    Page(f"{PREFIX}/inbox/{{item_id:int}}/seen", inbox_seen, ("POST",), Access.LEAD),
]
