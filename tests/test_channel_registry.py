"""Channels register in one place (bot/channels/registry.py) and the app builds,
mounts, starts and stops them from it: a new channel is one module and its tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.channels import registry
from bot.channels.registry import Channel
from bot.config import Settings, load_settings
from bot.service import Service
from bot.web.app import create_app
from bot.wording import Wording


def test_the_shipped_channels_are_registered_in_order() -> None:
    names = [r.name for r in registry.registered()]
    assert names[:3] == ["web", "telegram", "sms"]


class _Sender:
    channel = "fake"

    async def send(self, address: str, body: dict[str, Any]) -> str | None:
        return None


class FakeChannel:
    """All a channel needs: a sender, start and stop."""

    def __init__(self, settings: Settings, wording: Wording) -> None:
        self.sender = _Sender()
        self.life: list[str] = []
        self.service: Service | None = None

    async def start(self, service: Service) -> None:
        self.service = service
        self.life.append("started")

    async def stop(self) -> None:
        self.life.append("stopped")


async def _hello(request: Request) -> Response:
    channel: FakeChannel | None = request.app.state.fake
    return JSONResponse({"started": channel is not None and channel.life == ["started"]})


@asynccontextmanager
async def _lifespan(app: Any) -> AsyncIterator[None]:
    """The ASGI lifespan as uvicorn drives it."""
    sent: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    answers: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    await sent.put({"type": "lifespan.startup"})
    task = asyncio.create_task(
        app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, sent.get, answers.put)
    )
    assert (await answers.get())["type"] == "lifespan.startup.complete"
    try:
        yield
    finally:
        await sent.put({"type": "lifespan.shutdown"})
        assert (await answers.get())["type"] == "lifespan.shutdown.complete"
        await task


async def test_a_registered_channel_is_built_mounted_started_and_stopped(tmp_path: Path) -> None:
    built: list[FakeChannel] = []

    def build(settings: Settings, wording: Wording) -> Channel:
        built.append(FakeChannel(settings, wording))
        return built[-1]

    registry.register(__name__, registry.Registration("fake", [Route("/fake", _hello)], build))
    try:
        app = create_app(load_settings({"WAITINGROOM_DB": str(tmp_path / "wr.sqlite3")}))
        async with _lifespan(app):
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://t"
            ) as client:
                answer = await client.get("/fake")
            assert answer.json() == {"started": True}
            (channel,) = built
            assert channel.service is not None and "fake" in channel.service.senders
        assert channel.life == ["started", "stopped"]
    finally:
        registry._registered.pop(__name__)


async def test_a_channel_not_configured_is_not_built(tmp_path: Path) -> None:
    def build(settings: Settings, wording: Wording) -> Channel:
        raise AssertionError("not configured: never built")

    registry.register(
        __name__,
        registry.Registration("fake", [Route("/fake", _hello)], build, lambda s: False),
    )
    try:
        app = create_app(load_settings({"WAITINGROOM_DB": str(tmp_path / "wr.sqlite3")}))
        async with (
            _lifespan(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://t"
            ) as client,
        ):
            assert (await client.get("/fake")).json() == {"started": False}
    finally:
        registry._registered.pop(__name__)
