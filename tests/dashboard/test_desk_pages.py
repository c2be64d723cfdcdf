"""The desk and the leads' safety page over HTTP against the real server: take, talk,
escalate, record missed risk, end with a debrief offer; block a sender by pseudonym."""

from __future__ import annotations

import asyncio
import re
import time

import httpx

from bot.store import Store
from bot.store.peer import pseudonym

from .conftest import Dashboard


def _wait_for_waiting(db: object, count: int) -> list[int]:
    async def waiting() -> list[int]:
        async with Store(db) as store:  # type: ignore[arg-type]
            return [h.id for h in await store.peer.waiting()]

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = asyncio.run(waiting())
        if len(found) >= count:
            return found
        time.sleep(0.1)
    raise AssertionError("nobody joined the queue")


def _join(url: str) -> str:
    """Someone on the web chat asks to talk, joins the queue and says what about."""
    token = str(httpx.post(f"{url}/api/chat/session").json()["token"])
    headers = {"authorization": f"Bearer {token}"}
    for number, body in enumerate(
        ({"text": "talk to someone"}, {"option": "join"}, {"text": "I can't stop crying"})
    ):
        sent = httpx.post(
            f"{url}/api/chat/messages",
            json={**body, "client_id": f"client-{number}-{token[:8]}"},
            headers=headers,
        )
        assert sent.status_code == 202
    return token


def test_a_supporter_takes_talks_escalates_and_ends(dashboard: Dashboard) -> None:
    served = dashboard.served
    sam = dashboard.supporter()
    assert sam.post("/dashboard/shift", {"on": "1"}).status_code == 303
    _join(served.url)
    _wait_for_waiting(served.db, 1)
    queue = sam.get("/dashboard/queue.json").json()
    assert queue["me"]["room"] and queue["waiting"], queue
    first = queue["waiting"][0]
    assert first["person"].startswith("Guest-") and "topic" in first

    taken = sam.post("/dashboard/take", {"handoff_id": str(first["id"])})
    assert taken.status_code == 303
    chat = taken.headers["location"]
    assert re.fullmatch(r"/dashboard/chat/\d+", chat)
    page = sam.get(chat)
    assert page.status_code == 200 and first["person"] in page.text
    assert "Escalation ladder" in page.text and "First Response" in page.text

    assert sam.post(f"{chat}/say", {"text": "Hello, I'm here."}).status_code == 303
    lines = sam.get(f"{chat}/lines.json").json()
    assert lines["live"] and lines["lines"][-1]["text"].endswith("Hello, I'm here.")
    person_line = next(line for line in lines["lines"] if line["who"] == "person")

    # No lead has the dashboard open or Telegram linked: the desk says so, honestly,
    # with the ladder's numbers (tests/dashboard/test_desk_live.py has a lead present).
    escalated = sam.post(f"{chat}/escalate", {"rung": "0"})
    assert escalated.headers["location"].endswith("problem=no_lead")
    told = sam.get(escalated.headers["location"]).text
    assert "no lead could be reached" in told and "0800 952 1181" in told
    assert "the leads have been told" not in told
    missed = sam.post(f"{chat}/missed", {"inbox_id": str(person_line["id"])})
    assert missed.headers["location"].endswith("done=missed")

    ended = sam.post(f"{chat}/end", {"outcome": "listened", "note": "Crying, felt heard."})
    assert ended.status_code == 303
    # Escalated conversations count as hard ones: a debrief or break is offered.
    assert ended.headers["location"].startswith("/dashboard/look-after-yourself")
    offer = sam.get(ended.headers["location"])
    assert "debrief" in offer.text and "break" in offer.text
    assert sam.post("/dashboard/debrief").headers["location"].endswith("problem=no_lead_debrief")
    # Ending it again (a second tab, a double click) says it has ended; it is not refused.
    again = sam.post(f"{chat}/end", {"outcome": "listened"})
    assert again.headers["location"].endswith("problem=not_live")
    lead = dashboard.lead()
    safety = lead.get("/dashboard/safety")
    assert safety.status_code == 200
    assert person_line["text"] in safety.text  # kept for the safety review


def test_a_lead_blocks_and_lifts_by_pseudonym(dashboard: Dashboard) -> None:
    served = dashboard.served
    token = _join(served.url)

    async def person() -> str:
        async with Store(served.db) as store:  # type: ignore[arg-type]
            rows = await store.db.read("SELECT person_id FROM inbox ORDER BY id DESC LIMIT 1")
            return str(rows[0]["person_id"])

    guest = pseudonym(asyncio.run(person()))
    lead = dashboard.lead()
    blocked = lead.post(
        "/dashboard/safety/block", {"person": guest, "hours": "24", "reason": "abuse"}
    )
    assert blocked.headers["location"].endswith("done=blocked")
    assert guest in lead.get("/dashboard/safety").text
    nobody = lead.post(
        "/dashboard/safety/block", {"person": "Guest-ZZZZZZ", "hours": "1", "reason": "x"}
    )
    assert nobody.headers["location"].endswith("problem=no_person")
    lifted = lead.post("/dashboard/safety/unblock", {"person": guest})
    assert lifted.headers["location"].endswith("done=unblocked")
    assert token


def test_after_a_transfer_the_old_supporter_is_refused_that_handoff(
    dashboard: Dashboard,
) -> None:
    served = dashboard.served
    sam = dashboard.supporter()
    lena = dashboard.lead()
    for desk in (sam, lena):
        assert desk.post("/dashboard/shift", {"on": "1"}).status_code == 303
    before = len(_wait_for_waiting(served.db, 0))
    _join(served.url)
    waiting = _wait_for_waiting(served.db, before + 1)
    taken = sam.post("/dashboard/take", {"handoff_id": str(waiting[-1])})
    chat = taken.headers["location"]
    assert f'value="{dashboard.lead_id}"' in sam.get(chat).text  # Lena has room
    moved = sam.post(f"{chat}/transfer", {"to": dashboard.lead_id, "note": "Over to you."})
    assert moved.headers["location"].endswith("done=transferred")
    # The new holder reads it; the old one may no longer, on any of its pages.
    assert lena.get(chat).status_code == 200
    assert sam.get(chat).status_code == 403
    assert sam.get(f"{chat}/lines.json").status_code == 403
    assert sam.post(f"{chat}/say", {"text": "still me"}).status_code == 403
    assert sam.post(f"{chat}/note", {"text": "a note"}).status_code == 403
    assert sam.post(f"{chat}/end", {"outcome": "listened"}).status_code == 403
    assert "Over to you." in lena.get(chat).text
