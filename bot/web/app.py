"""The one Starlette app: web chat, health, and whatever channels are configured."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from bot.channels.base import Sender
from bot.channels.registry import registered
from bot.config import Settings
from bot.service import Service, wording_for
from bot.store import Store

from . import dashboard, metrics
from .limits import Limits

STATIC = Path(__file__).resolve().parent / "static"


async def healthz(request: Request) -> Response:
    service: Service = request.app.state.service
    try:
        ok = await service.store.healthy()
    except Exception:
        ok = False
    if not ok:
        return JSONResponse({"status": "store unavailable"}, status_code=503)
    # A task that keeps dying leaves people unanswered while the store looks fine.
    failing = service.failing_tasks()
    if failing:
        return JSONResponse({"status": "tasks failing", "tasks": failing}, status_code=503)
    return JSONResponse({"status": "ok"})


def create_app(settings: Settings) -> ASGIApp:
    channels = registered()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        store = await Store(settings.database).open()
        wording = wording_for(settings)
        # Compiled now, not on the first person each template reaches (bot/wording.py).
        wording.warm(settings.file.service.locale)
        # Every configured channel, built from its registration (bot/channels/registry.py).
        running = {
            r.name: (r, r.build(settings, wording))
            for r in channels
            if r.build is not None and r.configured(settings)
        }
        early = [c for r, c in running.values() if r.start_early]
        late = [c for r, c in running.values() if not r.start_early]
        try:
            senders: list[Sender] = [channel.sender for _, channel in running.values()]
            service = Service(settings, store, wording, senders=senders)
            app.state.service = service
            app.state.queue_figures = store.peer.metrics
            for r in channels:  # the routes look their channel up here (None: not set up)
                setattr(app.state, r.name, running[r.name][1] if r.name in running else None)
            for channel in early:
                # Ready before the sender task looks for replies to send.
                await channel.start(service)
            try:
                await service.start()
                for channel in late:
                    await channel.start(service)
                yield
            finally:
                # uvicorn has stopped taking requests and finished those in flight, so
                # everything acknowledged is stored: take its turns and send its
                # replies while the channels' clients are still open.
                await service.stop()
                for channel in late + early:
                    # The early ones last, so no send is cut off half way.
                    await channel.stop()
        finally:
            await store.close()

    app = Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            *(route for r in channels for route in r.routes),
            *metrics.routes,
            *dashboard.routes,
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        lifespan=lifespan,
    )
    return Limits(app)
