"""The desk with two `serve` processes on one PostgreSQL database (issue 18): a lead
whose dashboard is open on one instance counts as there for an escalation made on the
other, and her stream (server-sent events) gets the nudge."""

from __future__ import annotations

import threading
import time

from bot.staff.models import Role

from ..conftest import Served
from ..dashboard.conftest import LEAD_PASSWORD, SUPPORTER_PASSWORD, Desk, add_account
from ..dashboard.test_desk_pages import _join, _wait_for_waiting


def _desk(served: Served, name: str, password: str) -> Desk:
    desk = Desk(served.url)
    assert desk.login(name, password).status_code == 303
    return desk


def test_an_escalation_on_one_instance_reaches_a_lead_whose_dashboard_is_on_the_other(
    two: tuple[Served, Served], database: str
) -> None:
    first, second = two
    add_account(database, "lena", Role.LEAD, LEAD_PASSWORD)  # type: ignore[arg-type]
    add_account(database, "sam", Role.SUPPORTER, SUPPORTER_PASSWORD)  # type: ignore[arg-type]
    sam = _desk(first, "sam", SUPPORTER_PASSWORD)
    lena_here = _desk(first, "lena", LEAD_PASSWORD)  # reads the live view, no stream
    lena = _desk(second, "lena", LEAD_PASSWORD)
    try:
        sam.post("/dashboard/shift", {"on": "1"})
        _join(first.url)
        handoff = _wait_for_waiting(database, 1)[-1]
        taken = sam.post("/dashboard/take", {"handoff_id": str(handoff)})
        chat = str(taken.headers["location"])
        received: list[str] = []
        hello, nudged = threading.Event(), threading.Event()

        def listen() -> None:
            with lena.client.stream("GET", "/dashboard/events", timeout=60) as stream:
                for line in stream.iter_lines():
                    if line.startswith("event: "):
                        received.append(line.removeprefix("event: "))
                        hello.set()
                    if "inbox" in received:
                        nudged.set()
                        return

        listener = threading.Thread(target=listen, daemon=True)
        listener.start()
        assert hello.wait(30)
        # The first instance hears she is there (NOTIFY): wait for it, however long.
        deadline = time.monotonic() + 60
        while not _present(lena_here, "Lena"):
            assert time.monotonic() < deadline, "the other instance never saw the lead there"
            time.sleep(0.1)
        escalated = sam.post(f"{chat}/escalate", {"rung": "1"})
        assert escalated.headers["location"].endswith("done=escalated")
        assert nudged.wait(60), received  # the nudge crossed to her stream
        listener.join(10)
        sam.post(f"{chat}/end", {"outcome": "escalated"})
    finally:
        for desk in (sam, lena_here, lena):
            desk.close()


def _present(lead: Desk, name: str) -> bool:
    desks = lead.get("/dashboard/desk.json").json()["lead"]["desks"]
    return any(d["name"] == name and d["present"] for d in desks)
