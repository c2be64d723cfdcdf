"""More than one `waitingroom serve` on one PostgreSQL database (issue 18): every
message answered once, whichever instance it reached, and a web chat long-poll on one
instance wakes for the reply another wrote."""

from __future__ import annotations

import random
import time
import uuid
from pathlib import Path

import httpx
import pytest

from ..conftest import Served, serve, stop
from .conftest import SHORT_LEASES


def _session(url: str) -> str:
    token = httpx.post(f"{url}/api/chat/session").json()["token"]
    return str(token)


def _send(url: str, token: str, text: str) -> None:
    response = httpx.post(
        f"{url}/api/chat/messages",
        json={"client_id": uuid.uuid4().hex, "text": text, "option": None},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 202, response.text


def _poll(url: str, token: str, after: int, wait: int = 10) -> list[dict[str, object]]:
    response = httpx.get(
        f"{url}/api/chat/messages",
        params={"after": after, "wait": wait},
        headers={"Authorization": f"Bearer {token}"},
        timeout=wait + 10,
    )
    assert response.status_code == 200
    return list(response.json()["messages"])


def test_one_serve_runs_on_postgresql(database: str, tmp_path: Path) -> None:
    served = serve(tmp_path, {"WAITINGROOM_DB": database})
    try:
        assert httpx.get(f"{served.url}/healthz").json() == {"status": "ok"}
        token = _session(served.url)
        _send(served.url, token, "hi")
        # The page has greeted them with the numbers, so a first "hi" gets the menu.
        (menu,) = _poll(served.url, token, 0)
        assert menu["key"] == "menu" and menu["options"]
    finally:
        stop(served)
    assert not (tmp_path / "data").exists()  # nothing went to a SQLite file


def test_a_long_poll_on_one_instance_wakes_for_a_reply_written_by_the_other(
    two: tuple[Served, Served],
) -> None:
    first, second = two
    token = _session(first.url)
    _send(first.url, token, "hi")
    (first_reply,) = _poll(second.url, token, 0)  # the session works on either instance
    after = int(str(first_reply["id"]))
    # Park a long-poll on the second instance, then write through the first: the reply
    # must arrive well before the 10-second wait runs out.
    import threading

    got: list[list[dict[str, object]]] = []
    poller = threading.Thread(target=lambda: got.append(_poll(second.url, token, after)))
    poller.start()
    time.sleep(0.5)
    started = time.monotonic()
    _send(first.url, token, "menu")
    poller.join(15)
    assert got and got[0], "the long-poll on the other instance got nothing"
    assert time.monotonic() - started < 5, "woken by its timeout, not by the other instance"


def test_every_message_is_answered_once_whichever_instance_it_reaches(
    two: tuple[Served, Served],
) -> None:
    urls = [served.url for served in two]
    people = [_session(random.choice(urls)) for _ in range(12)]
    rounds = 4
    for _ in range(rounds):
        for token in people:
            _send(random.choice(urls), token, "menu")
    for token in people:
        seen: list[dict[str, object]] = []
        deadline = time.monotonic() + 60
        while len(seen) < rounds and time.monotonic() < deadline:
            after = int(str(seen[-1]["id"])) if seen else 0
            seen += _poll(random.choice(urls), token, after, wait=5)
        ids = [m["id"] for m in seen]
        assert len(ids) == len(set(ids)) == rounds, seen


KILLS = 2


@pytest.mark.timeout(400)
def test_two_instances_one_killed_mid_stream_lose_nothing_and_answer_once(
    tmp_path: Path, database: str
) -> None:
    """Telegram and SMS posted to two instances at random; one is SIGKILLed mid-stream
    and restarted. Everything acknowledged is answered, in order, by one turn; at most
    the send in flight at each kill goes out twice."""
    import signal

    from ..conftest import free_port
    from ..fake_telegram import FakeBotAPI
    from ..fake_twilio import FakeTwilio
    from ..reliability.crowd import Crowd, channel_env, check_exactly_once, wait_settled

    telegram, twilio = FakeBotAPI().start(), FakeTwilio().start()
    ports = [free_port(), free_port()]
    envs = [
        channel_env(telegram, twilio, port) | SHORT_LEASES | {"WAITINGROOM_DB": database}
        for port in ports
    ]
    places = [tmp_path / "a", tmp_path / "b"]
    for place in places:
        place.mkdir()
    running = [
        serve(place, env, port=port) for place, env, port in zip(places, envs, ports, strict=True)
    ]
    crowd = Crowd(running[0].url, telegram_people=4, sms_people=4, each=8)
    crowd.urls = [served.url for served in running]
    crowd.start()
    total = len(crowd.everything())
    logs = []
    try:
        for kill in range(1, KILLS + 1):
            crowd.wait_acked(total * kill // (KILLS + 1))
            victim = kill % 2
            running[victim].process.send_signal(signal.SIGKILL)
            running[victim].process.wait()
            logs.append(running[victim].output())
            # Slow to start on a busy machine: the other instance and the crowd run on.
            running[victim] = serve(places[victim], envs[victim], port=ports[victim], wait=120)
        crowd.join()
        wait_settled(database, total)
    finally:
        for served in running:
            stop(served)
        telegram.stop()
        twilio.stop()
    logs += [served.output() for served in running]
    assert len(crowd.acknowledged()) == total
    repeated = check_exactly_once(database, crowd.everything(), telegram, twilio)
    assert repeated["telegram"] <= KILLS and repeated["sms"] <= KILLS, repeated
    assert not any("Traceback" in log for log in logs), logs
