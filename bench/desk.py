"""The supporters' part of the load harness: people on Telegram ask to talk and join the
queue; supporters logged in to the dashboard take them, say hello and end. Prints how
fast the queue empties and how long a supporter's words take to reach the person."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.staff import passwords
from bot.staff.models import Role
from bot.store import Store
from tests.fake_telegram import FakeBotAPI, callback_update, message_update

PASSWORD = "bench supporter password"
_CSRF = re.compile(r'name="csrf" value="([^"]*)"')


async def add_supporters(db: Path, count: int) -> list[str]:
    """Supporters on shift, each with room for three at once."""
    hashed = passwords.hash_password(PASSWORD)
    names = []
    async with Store(db) as store:
        for n in range(count):
            added = await store.staff.add_supporter(
                f"bench{n}",
                f"Sam{n}",
                Role.SUPPORTER,
                hashed,
                caseload_cap=3,
                must_change_password=False,
            )
            await store.staff.set_shift(added.id, True)
            names.append(f"bench{n}")
    return names


@dataclass
class DeskFigures:
    people: int
    taken: int
    seconds: float
    hello_to_sent: list[float]


async def _post_update(client: httpx.AsyncClient, secret: str, update: dict[str, object]) -> None:
    response = await client.post(
        "/telegram/webhook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
    )
    response.raise_for_status()


async def _supporter(
    url: str,
    name: str,
    hello: dict[str, float],
    done: dict[str, float],
    stop: asyncio.Event,
    people: int,
) -> int:
    taken = 0
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        page = await client.get("/dashboard/login")
        token = _CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        await client.post(
            "/dashboard/login", data={"csrf": token, "name": name, "password": PASSWORD}
        )
        home = await client.get("/dashboard")
        csrf = _CSRF.search(home.text).group(1)  # type: ignore[union-attr]
        while not stop.is_set():
            took = await client.post("/dashboard/take", data={"csrf": csrf})
            chat = took.headers.get("location", "")
            if "/chat/" not in chat:
                await asyncio.sleep(0.2)
                continue
            taken += 1
            words = f"Hello from {name} #{taken}"
            hello[words] = time.monotonic()
            await client.post(f"{chat}/say", data={"csrf": csrf, "text": words})
            await client.post(f"{chat}/end", data={"csrf": csrf, "outcome": "listened"})
            done[words] = 0.0
            if len(done) >= people:
                stop.set()
    return taken


async def run(
    url: str, secret: str, telegram: FakeBotAPI, names: Sequence[str], people: int
) -> DeskFigures:
    began = time.monotonic()
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        for n in range(people):
            chat = 5_000_000 + n
            await _post_update(client, secret, message_update(10_000_000 + 2 * n, chat, "talk"))
            await _post_update(client, secret, callback_update(10_000_001 + 2 * n, chat, "join"))
    hello: dict[str, float] = {}
    done: dict[str, float] = {}
    stop = asyncio.Event()
    desks = [
        asyncio.create_task(_supporter(url, name, hello, done, stop, people)) for name in names
    ]
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), 120)
    stop.set()
    taken = sum(await asyncio.gather(*desks))
    seconds = time.monotonic() - began
    # When each hello reached the person's chat, as the fake saw it.
    wait_until = time.monotonic() + 60
    arrived: dict[str, float] = {}
    while time.monotonic() < wait_until and len(arrived) < len(hello):
        for call in list(telegram.calls):
            text = str(call.params.get("text", "")) if call.method == "sendMessage" else ""
            for words in hello:
                if words not in arrived and text.endswith(words):
                    arrived[words] = call.at
        await asyncio.sleep(0.2)
    return DeskFigures(people, taken, seconds, [arrived[w] - hello[w] for w in arrived])
