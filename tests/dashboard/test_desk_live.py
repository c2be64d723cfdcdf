"""The desk over HTTP against the real server: the event stream, access that ends with
the conversation, an escalation that reaches a lead who is there, alert settings, and
handoff ids that are never given out twice."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bot.store import Store

from .conftest import Dashboard
from .test_desk_pages import _join, _wait_for_waiting


def _post_chat(url: str, token: str, body: dict[str, str], n: int) -> None:
    sent = httpx.post(
        f"{url}/api/chat/messages",
        json={**body, "client_id": f"again-{n}-{token[:8]}"},
        headers={"authorization": f"Bearer {token}"},
    )
    assert sent.status_code == 202


def _take(desk: object, handoff_id: int) -> str:
    taken = desk.post("/dashboard/take", {"handoff_id": str(handoff_id)})  # type: ignore[attr-defined]
    assert taken.status_code == 303 and "/chat/" in taken.headers["location"], taken.headers
    return str(taken.headers["location"])


def _ended_minutes_ago(db: Path, handoff_id: int, minutes: int) -> None:
    at = (datetime.now(UTC) - timedelta(minutes=minutes)).isoformat(timespec="microseconds")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE handoffs SET ended_at = ? WHERE id = ?", (at, handoff_id))


def test_access_ends_with_the_conversation_and_its_wrap_up(dashboard: Dashboard) -> None:
    served = dashboard.served
    sam = dashboard.supporter()
    sam.post("/dashboard/shift", {"on": "1"})
    token = _join(served.url)
    first = _wait_for_waiting(served.db, 1)[-1]
    chat = _take(sam, first)
    sam.post(f"{chat}/say", {"text": "words from the first chat"})
    sam.post(f"{chat}/end", {"outcome": "listened", "note": "Written after."})
    # In the wrap-up window: she can still open it (the person's FINISH keeps the form
    # there: tests/web/test_desk_browser.py).
    page = sam.get(chat)
    assert page.status_code == 200 and "Outcome and handover note" in page.text
    # The person comes back; the lead (on shift) takes them: their lines start after
    # the first chat, whose words stay out; the handover note is there.
    _post_chat(served.url, token, {"text": "talk to someone"}, 1)
    _post_chat(served.url, token, {"option": "join"}, 2)
    second = [h for h in _wait_for_waiting(served.db, 1) if h != first][-1]
    assert second > first
    lena = dashboard.lead()
    lena.post("/dashboard/shift", {"on": "1"})
    again = _take(lena, second)
    lines = lena.get(f"{again}/lines.json").json()["lines"]
    assert not any("words from the first chat" in line["text"] for line in lines)
    assert any(line["text"] == "Join the queue" and line["pressed"] for line in lines)
    assert "Written after." in lena.get(again).text
    # And Sam cannot open the new one.
    assert sam.get(again).status_code == 403
    # After it: closed to her, page and lines alike.
    _ended_minutes_ago(served.db, first, 16)
    assert sam.get(chat).status_code == 403
    assert sam.get(f"{chat}/lines.json").status_code == 403

    lena.post(f"{again}/end", {"outcome": "listened"})


def test_an_escalation_reaches_a_lead_on_the_dashboard(dashboard: Dashboard) -> None:
    served = dashboard.served
    sam = dashboard.supporter()
    sam.post("/dashboard/shift", {"on": "1"})
    _join(served.url)
    chat = _take(sam, _wait_for_waiting(served.db, 1)[-1])
    lena = dashboard.lead()
    received: list[str] = []
    ready = threading.Event()

    def listen() -> None:
        with lena.client.stream("GET", "/dashboard/events", timeout=30) as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            for line in stream.iter_lines():
                if line.startswith("event: "):
                    received.append(line.removeprefix("event: "))
                    ready.set()
                if "inbox" in received:
                    return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    assert ready.wait(10)
    escalated = sam.post(f"{chat}/escalate", {"rung": "1"})
    assert escalated.headers["location"].endswith("done=escalated")
    listener.join(10)
    assert "inbox" in received, received
    view = lena.get("/dashboard/live").text
    assert "Escalation recorded by Sam" in view and "Crisis team duty manager" in view
    sam.post(f"{chat}/end", {"outcome": "escalated"})


def test_why_the_learned_layer_raised_someone_is_shown_in_their_words(
    dashboard: Dashboard,
) -> None:
    # A line only the learned layer hears (tests/risk/test_risk_layers.py ONLY): the queue,
    # the chat and the lead's read of it show which of their words pulled, not n-grams.
    served = dashboard.served
    sam = dashboard.supporter()
    sam.post("/dashboard/shift", {"on": "1"})
    token = str(httpx.post(f"{served.url}/api/chat/session").json()["token"])
    heavy = "everything feels heavy and grey and i dont see it getting better"
    for n, body in enumerate(({"text": "talk to someone"}, {"option": "join"}, {"text": heavy})):
        _post_chat(served.url, token, body, 10 + n)
    waiting = _wait_for_waiting(served.db, 1)[-1]
    deadline = time.monotonic() + 30
    row: dict[str, object] = {}
    while time.monotonic() < deadline and not row.get("learned_words"):
        queue = sam.get("/dashboard/queue.json").json()
        row = next((r for r in queue["waiting"] if r["id"] == waiting), {})
        time.sleep(0.1)
    shown = row.get("learned_words")
    assert isinstance(shown, list) and shown, row
    assert all(f" {word} " in f" {heavy} " for word, _ in shown), shown  # as they typed
    assert all(pull > 0 for _, pull in shown)
    chat = _take(sam, waiting)
    for page in (sam.get(chat).text, dashboard.lead().get(f"/dashboard/live/{waiting}").text):
        assert "Words that weighed most" in page
        assert f"<q>{shown[0][0]}</q> +" in page
    sam.post(f"{chat}/end", {"outcome": "listened"})


def test_alert_settings_are_kept_per_supporter(dashboard: Dashboard) -> None:
    sam = dashboard.supporter()
    assert sam.post("/dashboard/alerts", {"muted": "line"}).status_code == 303
    assert sam.get("/dashboard/desk.json").json()["me"]["muted"] == ["line"]
    lena = dashboard.lead()
    assert lena.get("/dashboard/desk.json").json()["me"]["muted"] == []


def test_a_supporter_cannot_read_a_stream_or_the_live_view_of_the_leads(
    dashboard: Dashboard,
) -> None:
    sam = dashboard.supporter()
    assert sam.get("/dashboard/live").status_code == 403
    anonymous = dashboard.desk()
    assert anonymous.get("/dashboard/events").headers["location"] == "/dashboard/login"


def test_handoff_ids_are_never_reused(where: Path | str) -> None:
    async def run() -> tuple[int, int]:
        async with Store(where) as store:
            from bot.store.peer import QueueChange, apply_turn

            ids = []
            for n in range(2):
                received = await store.receive("web", f"a{n}", f"m{n}", "text", {"text": "hi"})
                async with store.db.write() as conn:
                    handoff_id, _ = await apply_turn(
                        conn,
                        received.person_id,
                        QueueChange(join=(0, "", False)),
                        datetime.now(UTC),
                    )
                    assert handoff_id is not None
                    ids.append(handoff_id)
                    # The newest handoff goes (forgotten, purged): its id must not return.
                    await conn.execute("DELETE FROM people WHERE id = ?", (received.person_id,))
            return ids[0], ids[1]

    first, second = asyncio.run(run())
    assert second > first


def test_the_stream_ends_when_the_server_stops(tmp_path: Path) -> None:
    from ..conftest import serve, stop
    from .conftest import SUPPORTER_PASSWORD, Desk, add_account

    add_account(tmp_path / "data" / "waitingroom.sqlite3", "sam", _role(), SUPPORTER_PASSWORD)
    served = serve(tmp_path)
    desk = Desk(served.url)
    desk.login("sam", SUPPORTER_PASSWORD)
    opened = threading.Event()

    def listen() -> None:
        with desk.client.stream("GET", "/dashboard/events", timeout=60) as stream:
            for _ in stream.iter_lines():
                opened.set()

    threading.Thread(target=listen, daemon=True).start()
    assert opened.wait(10)
    began = time.monotonic()
    stop(served)
    # Not held for uvicorn's 30-second graceful timeout by an open stream.
    assert time.monotonic() - began < 8
    assert served.process.returncode == 0
    desk.close()


def _role() -> object:
    from bot.staff.models import Role

    return Role.SUPPORTER
