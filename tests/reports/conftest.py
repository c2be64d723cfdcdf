"""A seeded store served by a real uvicorn on loopback, with the reports and metrics routes.

The dashboard's login and lead-only guard belong to another part; here the routes are
served bare, as the guard will wrap them.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterator, Coroutine, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from bot.config import load_settings
from bot.engine import Kind
from bot.service import ChannelMessage, Service
from bot.store import Count, Store
from bot.web import metrics, reports
from bot.web.app import STATIC
from bot.web.limits import Limits

from ..conftest import free_port

CAFE = "the-sanctuary-bradford"
CAFE_NAME = "The Sanctuary (Bradford District and Craven Mind, with Sharing Voices)"


def _at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T12:00:00+00:00")


async def seed(db: Path) -> None:
    """June: 12 web contacts, 3 by SMS (hidden), 6 signposts to the café, feedback.
    July: 7 Telegram contacts, nothing else. Today: 5 real turns on the web chat,
    one of them urgent."""
    async with Store(db) as store:
        await store.record_counts(
            [Count("contact", channel="web")] * 12
            + [Count("contact", channel="sms", audience="carer")] * 3
            + [Count("signpost", detail=CAFE)] * 6
            + [Count("feedback", detail="listened", value=1.0)] * 6
            + [Count("feedback", detail="listened", value=0.5)] * 2
            + [Count("queue_wait", value=300.0)] * 5,
            at=_at("2026-06-10"),
        )
        await store.record_counts([Count("contact", channel="telegram")] * 7, at=_at("2026-07-10"))
        service = Service(load_settings({"WAITINGROOM_DB": str(db)}), store)
        for n in range(5):
            text = "I want to kill myself" if n == 0 else "hi"
            await service.receive(
                ChannelMessage("web", f"person{n}", f"m{n}", Kind.TEXT, text=text)
            )
        await service.process_pending()


class Server:
    """The reports and metrics routes over a real store, on uvicorn in a thread."""

    def __init__(self, db: Path, env: Mapping[str, str] | None = None) -> None:
        settings = load_settings({"WAITINGROOM_DB": str(db), **(env or {})})

        @contextlib.asynccontextmanager
        async def lifespan(app: Starlette) -> AsyncIterator[None]:
            async with Store(settings.db_path) as store:
                app.state.service = Service(settings, store)
                yield

        app = Starlette(
            routes=[
                *reports.routes,
                *metrics.routes,
                Mount("/static", StaticFiles(directory=STATIC), name="static"),
            ],
            lifespan=lifespan,
        )
        self.app = app
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self._server = uvicorn.Server(
            uvicorn.Config(Limits(app), host="127.0.0.1", port=port, log_level="warning")
        )
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> Server:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the reports server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def get(self, path: str, **kwargs: object) -> httpx.Response:
        return httpx.get(self.url + path, timeout=30, **kwargs)  # type: ignore[arg-type]


def run(work: Coroutine[Any, Any, None]) -> None:
    """Run ``work`` to the end on its own loop in its own thread: Playwright's sync API
    keeps a loop running in the test's thread."""
    failed: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(work)
        except BaseException as error:
            failed.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failed:
        raise failed[0]


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    db = tmp_path / "reports.sqlite3"
    run(seed(db))
    return db


@pytest.fixture
def server(seeded: Path) -> Iterator[Server]:
    with Server(seeded) as running:
        yield running
