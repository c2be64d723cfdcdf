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

from bot.channels import sms, telegram, webchat
from bot.channels.base import Sender
from bot.channels.sms import SmsChannel
from bot.channels.telegram import TelegramChannel
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
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        store = await Store(settings.database).open()
        wording = wording_for(settings)
        telegram = TelegramChannel(settings, wording) if settings.telegram_bot_token else None
        sms_channel = SmsChannel(settings, wording) if settings.twilio_account_sid else None
        try:
            senders: list[Sender] = []
            if telegram is not None:
                senders.append(telegram.sender)
            if sms_channel is not None:
                senders.append(sms_channel.sender)
            service = Service(settings, store, wording, senders=senders)
            app.state.service = service
            app.state.queue_figures = store.peer.metrics
            app.state.telegram = telegram
            app.state.sms = sms_channel
            if sms_channel is not None:
                # Ready before the sender task looks for replies to send.
                await sms_channel.start(service)
            try:
                await service.start()
                if telegram is not None:
                    await telegram.start(service)
                yield
            finally:
                # uvicorn has stopped taking requests and finished those in flight, so
                # everything acknowledged is stored: take its turns and send its
                # replies while the channels' clients are still open.
                await service.stop()
                if telegram is not None:
                    await telegram.stop()
                if sms_channel is not None:
                    # After the sender task, so no send is cut off half way.
                    await sms_channel.stop()
        finally:
            await store.close()

    app = Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            *webchat.routes,
            *telegram.routes,
            *sms.routes,
            *metrics.routes,
            *dashboard.routes,
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        lifespan=lifespan,
    )
    return Limits(app)
