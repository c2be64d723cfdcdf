"""End to end: `waitingroom serve` on loopback, chatting through the web chat API."""

from __future__ import annotations

import hashlib
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from bot.channels.webchat import SESSIONS_PER_WINDOW

from ..conftest import Served, serve, stop


class Person:
    """Someone using the web chat, as the page does it."""

    def __init__(self, url: str) -> None:
        self.client = httpx.Client(base_url=url, timeout=40)
        token = self.client.post("/api/chat/session").json()["token"]
        self.client.headers["Authorization"] = f"Bearer {token}"
        self.after = 0

    def send(
        self, text: str | None = None, option: str | None = None, client_id: str | None = None
    ) -> httpx.Response:
        body = {"client_id": client_id or uuid.uuid4().hex, "text": text, "option": option}
        return self.client.post("/api/chat/messages", json=body)

    def replies(self, count: int, timeout: float = 60) -> list[dict[str, object]]:
        # Long polls until the replies come: one poll's 10 s is not enough on a busy machine.
        got: list[dict[str, object]] = []
        deadline = time.monotonic() + timeout
        while len(got) < count:
            assert time.monotonic() < deadline, f"waited for {count} replies, got {got}"
            response = self.client.get(
                "/api/chat/messages", params={"after": self.after, "wait": 10}
            )
            assert response.status_code == 200
            messages = response.json()["messages"]
            got.extend(messages)
            if messages:
                self.after = int(messages[-1]["id"])
        return got

    def say(self, text: str, count: int = 1) -> list[dict[str, object]]:
        assert self.send(text).status_code == 202
        return self.replies(count)


People = Callable[[str], Person]


@pytest.fixture
def people() -> Iterator[Callable[[str], Person]]:
    made: list[Person] = []

    def make(url: str) -> Person:
        made.append(Person(url))
        return made[-1]

    yield make
    for person in made:
        person.client.close()


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One service for the tests that each talk as a new person and look only at their
    own answers: a serve costs seconds to start, and these are a score of cases. Fewer
    than SESSIONS_PER_WINDOW chats start here in all (one address's limit)."""
    running = serve(tmp_path_factory.mktemp("shared"))
    yield running
    stop(running)


def test_health(shared: Served) -> None:
    assert httpx.get(f"{shared.url}/healthz").json() == {"status": "ok"}


def test_a_person_is_greeted_safely_and_moves_through_the_menu(
    served: Served, people: People
) -> None:
    person = people(served.url)
    # The page greets them with the numbers before anything is typed (see below), so a
    # first "hi" gets the menu, not the greeting said twice.
    (first,) = person.say("hi")
    assert first["key"] == "menu"
    assert [o[0] for o in first["options"]] == ["somewhere", "talk", "carer", "wait", "urgent"]
    assert person.send(option="urgent").status_code == 202
    urgent, safe = person.replies(2)
    assert urgent["urgent"] and "85258" in str(urgent["text"])
    assert safe["key"] == "are_you_safe"
    (menu,) = person.say("menu")
    assert menu["key"] == "menu"

    # Everything said and answered is in the file.
    with sqlite3.connect(served.db) as db:
        said = [row[0] for row in db.execute("SELECT body FROM inbox ORDER BY id")]
        answered = [row[0] for row in db.execute("SELECT message_key FROM outbox ORDER BY id")]
        statuses = {row[0] for row in db.execute("SELECT status FROM outbox")}
    assert len(said) == 3 and '"hi"' in said[0]
    assert answered == ["menu", "urgent", "are_you_safe", "menu"]
    assert statuses == {"delivered"}


def test_the_web_chat_is_not_told_to_share_a_location(served: Served, people: People) -> None:
    # Only Telegram can send a location; the web chat and SMS are asked for a postcode.
    person = people(served.url)
    person.say("hi")
    assert person.send(option="somewhere").status_code == 202
    (where,) = person.replies(1)
    assert where["key"] == "where_ask" and "postcode" in str(where["text"])
    assert "location" not in str(where["text"]) and "Telegram" not in str(where["text"])


def test_urgent_language_is_answered_first(served: Served, people: People) -> None:
    person = people(served.url)
    person.say("hi")
    replies = person.say("I want to kill myself", count=2)
    assert replies[0]["key"] == "urgent" and replies[0]["urgent"]


def test_a_retried_message_is_answered_once(served: Served, people: People) -> None:
    person = people(served.url)
    first = person.send("hi", client_id="same-id-123")
    again = person.send("hi", client_id="same-id-123")
    assert first.json() == {"accepted": True, "duplicate": False}
    assert again.json() == {"accepted": True, "duplicate": True}
    assert len(person.replies(1)) == 1
    response = person.client.get("/api/chat/messages", params={"after": person.after, "wait": 1})
    assert response.json()["messages"] == []


def test_people_cannot_read_each_other(served: Served, people: People) -> None:
    ann, bob = people(served.url), people(served.url)
    ann.say("hi")
    assert bob.client.get("/api/chat/messages", params={"after": 0}).json() == {"messages": []}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "x" * 10_000,
        "a\x00b\x07c\x1b[31m",
        "<script>alert(1)</script><b>hi</b>",
        "\u202eevil",
        "😭😭😭",
        "ﷺ" * 3000,
    ],
)
def test_bad_input_never_breaks_anything(shared: Served, text: str, people: People) -> None:
    person = people(shared.url)
    person.say("hi")
    response = person.send(text)
    assert response.status_code == 202
    (reply,) = person.replies(1)
    assert reply["options"]  # always somewhere to go next
    assert "<script>" not in str(reply["text"])


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json", 400),
        (b'{"text": "hi"}', 400),  # no client_id
        (b'{"client_id": "../../etc", "text": "hi"}', 400),
        (b"[1, 2, 3]", 400),
        (b'{"client_id": "abcdefgh", "text": 5}', 400),
    ],
)
def test_malformed_requests_get_4xx_not_500(
    shared: Served, body: bytes, status: int, people: People
) -> None:
    person = people(shared.url)
    response = person.client.post("/api/chat/messages", content=body)
    assert response.status_code == status


def test_requests_without_a_session_are_refused(shared: Served) -> None:
    response = httpx.post(f"{shared.url}/api/chat/messages", json={"client_id": "abcdefgh1"})
    assert response.status_code == 401
    assert httpx.get(f"{shared.url}/api/chat/messages").status_code == 401


def test_oversized_bodies_get_413(shared: Served, people: People) -> None:
    person = people(shared.url)
    big = b'{"client_id": "abcdefgh1", "text": "' + b"a" * 70_000 + b'"}'
    assert person.client.post("/api/chat/messages", content=big).status_code == 413

    def chunks():  # no Content-Length: sent in chunks
        for _ in range(100):
            yield b"a" * 1000

    assert person.client.post("/api/chat/messages", content=chunks()).status_code == 413


def test_the_page_has_the_numbers_and_a_quick_exit(shared: Served) -> None:
    page = httpx.get(shared.url + "/")
    assert page.status_code == 200
    assert "999" in page.text and "116 123" in page.text and 'id="quick-exit"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert httpx.get(shared.url + "/static/chat.js").status_code == 200


def test_a_message_stored_before_a_crash_is_answered_after_restart(
    tmp_path: Path, people: People
) -> None:
    first = serve(tmp_path)
    person = people(first.url)
    person.say("hi")
    first.process.kill()  # SIGKILL: no shutdown at all
    first.process.wait()
    with sqlite3.connect(first.db) as db:  # a message that arrived just before the crash
        person_id = db.execute("SELECT person_id FROM inbox").fetchone()[0]
        db.execute(
            "INSERT INTO inbox (channel, channel_message_id, person_id, kind, body, received_at)"
            " VALUES ('web', 'late', ?, 'text', '{\"text\": \"menu\"}',"
            " '2026-11-28T21:00:00+00:00')",
            (person_id,),
        )
    second = serve(tmp_path)
    try:
        person.client.base_url = httpx.URL(second.url)
        (menu,) = person.replies(1)
        assert menu["key"] == "menu"
    finally:
        stop(second)


def test_logs_never_hold_what_a_person_said(served: Served, people: People) -> None:
    person = people(served.url)
    person.say("my secret words zebra4821")
    person.say("I want to kill myself zebra4821", count=2)
    assert "zebra4821" not in served.output()
    assert "kill myself" not in served.output()


def test_a_token_the_service_did_not_issue_is_refused(served: Served) -> None:
    made_up = "x" * 43  # the right length and alphabet, but never issued
    headers = {"Authorization": f"Bearer {made_up}"}
    sent = httpx.post(
        f"{served.url}/api/chat/messages",
        json={"client_id": "abcdefgh1", "text": "hi"},
        headers=headers,
    )
    assert sent.status_code == 401
    assert httpx.get(f"{served.url}/api/chat/messages", headers=headers).status_code == 401
    with sqlite3.connect(served.db) as db:
        assert db.execute("SELECT count(*) FROM people").fetchone()[0] == 0
    issued = httpx.post(f"{served.url}/api/chat/session").json()["token"]
    with sqlite3.connect(served.db) as db:  # only its hash is kept
        (kept,) = db.execute("SELECT token_hash FROM web_sessions").fetchone()
    assert kept == hashlib.sha256(issued.encode()).hexdigest() and issued not in kept
    ok = httpx.post(
        f"{served.url}/api/chat/messages",
        json={"client_id": "abcdefgh2", "text": "hi"},
        headers={"Authorization": f"Bearer {issued}"},
    )
    assert ok.status_code == 202


def test_new_chats_from_one_address_are_limited_and_still_get_the_numbers(
    served: Served,
) -> None:
    answers = [httpx.post(f"{served.url}/api/chat/session") for _ in range(SESSIONS_PER_WINDOW)]
    assert all(answer.status_code == 200 for answer in answers)
    refused = httpx.post(f"{served.url}/api/chat/session")
    assert refused.status_code == 429
    text = refused.json()["safety_net"]["text"]
    assert "999" in text and "116 123" in text
    assert "token" not in refused.json()
