"""End to end on the web chat: flood control and "forget me" against the real server."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator

import pytest

from ..conftest import Served
from .test_webchat import Person

FLOOD = 26  # more than flood.LIMIT, sent as fast as the client can


@pytest.fixture
def person(served: Served) -> Iterator[Person]:
    someone = Person(served.url)
    yield someone
    someone.client.close()


def _query(served: Served, sql: str) -> int:
    with sqlite3.connect(served.db) as db:
        return int(db.execute(sql).fetchone()[0])


def _all_replies(person: Person, wanted_key: str) -> list[dict[str, object]]:
    """Pull replies until one with this key arrives (or 30 s pass)."""
    got: list[dict[str, object]] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(r["key"] == wanted_key for r in got):
        response = person.client.get(
            "/api/chat/messages", params={"after": person.after, "wait": 5}
        )
        messages = response.json()["messages"]
        if messages:
            person.after = int(messages[-1]["id"])
            got.extend(messages)
    return got


def test_a_flood_is_stored_and_read_but_answered_once_and_urgent_help_still_comes(
    served: Served, person: Person
) -> None:
    for n in range(FLOOD):
        assert person.send(f"menu {n}" if n else "hi").status_code == 202
    assert person.send("I want to kill myself").status_code == 202
    replies = _all_replies(person, "are_you_safe")
    keys = [r["key"] for r in replies]
    assert keys.count("slow_down") == 1
    assert keys[-2:] == ["urgent", "are_you_safe"]
    assert len(keys) < FLOOD  # ordinary replies were held back
    assert _query(served, "SELECT count(*) FROM inbox") == FLOOD + 1  # nothing lost
    assert _query(served, "SELECT count(*) FROM risk_events") == 1


def test_forget_me_on_the_web_chat(served: Served, person: Person) -> None:
    person.say("hi")
    (ask,) = person.say("/forget")
    assert ask["key"] == "forget_ask"
    assert [o[0] for o in ask["options"]] == ["forget_yes", "forget_no"]  # type: ignore[union-attr]
    assert person.send("1").status_code == 202
    (done,) = [r for r in _all_replies(person, "forgotten") if r["key"] == "forgotten"]
    assert "deleted" in str(done["text"])
    assert _query(served, "SELECT count(*) FROM inbox") == 0
    assert _query(served, "SELECT count(*) FROM conversations") == 0
    assert _query(served, "SELECT count(*) FROM counts WHERE kind = 'forgotten'") == 1
    # Once that reply has been pulled, the address goes too (the upkeep sweep).
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _query(served, "SELECT count(*) FROM addresses"):
        time.sleep(0.2)
    assert _query(served, "SELECT count(*) FROM people") == 0
    assert _query(served, "SELECT count(*) FROM addresses") == 0
