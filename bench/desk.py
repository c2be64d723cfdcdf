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


# -- relay latency through the live desk (issue 16) ---------------------------------


@dataclass
class RelayFigures:
    person_to_supporter: list[float]
    supporter_to_person: list[float]


def _quantile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def relay(url: str, name: str, rounds: int = 40) -> RelayFigures:
    """One person on the web chat and one supporter at the desk, as the browser works it:
    the supporter's event stream nudges, then the chat page is fetched again (what
    desk.js does); the person long-polls for replies (what chat.js does). Times from the
    send to the words being in hand, each way."""
    async with (
        httpx.AsyncClient(base_url=url, timeout=60) as person,
        httpx.AsyncClient(base_url=url, timeout=60) as supporter,
    ):
        token = (await person.post("/api/chat/session")).json()["token"]
        auth = {"authorization": f"Bearer {token}"}
        sent = 0

        async def say(text: str | None = None, option: str | None = None) -> None:
            nonlocal sent
            sent += 1
            body: dict[str, str] = {"client_id": f"relay-{sent}-{token[:8]}"}
            body.update({"text": text} if text is not None else {"option": option or ""})
            (await person.post("/api/chat/messages", json=body, headers=auth)).raise_for_status()

        page = await supporter.get("/dashboard/login")
        login = _CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        await supporter.post(
            "/dashboard/login", data={"csrf": login, "name": name, "password": PASSWORD}
        )
        csrf = _CSRF.search((await supporter.get("/dashboard")).text).group(1)  # type: ignore[union-attr]
        await say("talk to someone")
        await say(option="join")
        chat = ""
        for _ in range(100):
            took = await supporter.post("/dashboard/take", data={"csrf": csrf})
            chat = took.headers.get("location", "")
            if "/chat/" in chat:
                break
            await asyncio.sleep(0.1)
        cursor = 0
        replies = await person.get(f"/api/chat/messages?after={cursor}", headers=auth)
        for item in replies.json()["messages"]:
            cursor = max(cursor, int(item["id"]))

        nudged = asyncio.Event()

        async def listen() -> None:
            async with supporter.stream("GET", "/dashboard/events") as stream:
                async for line in stream.aiter_lines():
                    if line.startswith("event: line"):
                        nudged.set()

        listener = asyncio.create_task(listen())
        await asyncio.sleep(0.5)
        inbound: list[float] = []
        outbound: list[float] = []
        for n in range(rounds):
            words = f"person line {n}"
            nudged.clear()
            began = time.monotonic()
            await say(words)
            while True:
                await asyncio.wait_for(nudged.wait(), 30)
                nudged.clear()
                if words in (await supporter.get(chat)).text:
                    break
            inbound.append(time.monotonic() - began)

            words = f"supporter line {n}"
            waiting = asyncio.create_task(
                person.get(f"/api/chat/messages?after={cursor}&wait=25", headers=auth)
            )
            await asyncio.sleep(0.05)  # the long-poll is waiting, as the web chat's is
            began = time.monotonic()
            await supporter.post(
                f"{chat}/say",
                data={"csrf": csrf, "text": words},
                headers={"x-requested-with": "fetch"},
            )
            while True:
                got = (await waiting).json()["messages"]
                for item in got:
                    cursor = max(cursor, int(item["id"]))
                if any(words in str(item.get("text", "")) for item in got):
                    break
                waiting = asyncio.create_task(
                    person.get(f"/api/chat/messages?after={cursor}&wait=25", headers=auth)
                )
            outbound.append(time.monotonic() - began)
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
            await listener
        return RelayFigures(inbound, outbound)


def main() -> None:
    """``python -m bench.desk``: relay latency both ways on this machine."""
    import tempfile

    from tests.conftest import serve, stop

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        (name,) = asyncio.run(add_supporters(tmp / "data" / "waitingroom.sqlite3", 1))
        served = serve(tmp)
        try:
            figures = asyncio.run(relay(served.url, name))
        finally:
            stop(served)
    for label, values in (
        ("person -> supporter (stream + page)", figures.person_to_supporter),
        ("supporter -> person (long-poll)", figures.supporter_to_person),
    ):
        print(
            f"{label:38} n={len(values)} p50={_quantile(values, 0.5) * 1000:.0f} ms"
            f" p95={_quantile(values, 0.95) * 1000:.0f} ms max={max(values) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
