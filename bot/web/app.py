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

from bot.channels import telegram, webchat
from bot.channels.telegram import TelegramChannel
from bot.config import Settings
from bot.service import Service, wording_for
from bot.store import Store

from .limits import Limits

STATIC = Path(__file__).resolve().parent / "static"


async def healthz(request: Request) -> Response:
    service: Service = request.app.state.service
    try:
        ok = await service.store.healthy()
    except Exception:
        ok = False
    return JSONResponse(
        {"status": "ok" if ok else "store unavailable"}, status_code=200 if ok else 503
    )


def create_app(settings: Settings) -> ASGIApp:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        store = await Store(settings.db_path).open()
        wording = wording_for(settings)
        telegram = TelegramChannel(settings, wording) if settings.telegram_bot_token else None
        try:
            service = Service(
                settings, store, wording, senders=[telegram.sender] if telegram else []
            )
            app.state.service = service
            app.state.telegram = telegram
            await service.start()
            if telegram is not None:
                await telegram.start(service)
            try:
                yield
            finally:
                if telegram is not None:
                    await telegram.stop()
                await service.stop()
        finally:
            await store.close()

    app = Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            *webchat.routes,
            *telegram.routes,
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        lifespan=lifespan,
    )
    return Limits(app)
