"""The kill test of issue 18: two real `serve` processes on one PostgreSQL database, a
stream of Telegram updates from many people posted to either at random (as a load
balancer would), one instance SIGKILLed mid-stream and restarted, twice. Nothing
acknowledged is lost, each message has one turn, each person's replies arrive in order,
and at most 1% of people are answered twice (a reply in flight at a kill, sent again
when the dead instance's claim runs out: at most one a kill, as each instance sends one
reply at a time). The leases are short here (tests/multi/conftest.py), so taking up a
killed instance's claims is proved without waiting out the real ones.

Nothing here waits a fixed time: every step waits on a condition (so many acknowledged,
the instance healthy again, everything settled) with deadlines generous enough for a
loaded machine."""

from __future__ import annotations

import itertools
import json
import random
import signal
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.channels.telegram import linked_html

from ..conftest import free_port, serve, stop
from ..fake_telegram import FakeBotAPI
from ..fake_twilio import FakeTwilio
from ..reliability.crowd import (
    TEXTS,
    Said,
    _bodies,
    channel_env,
    check_exactly_once,
    post,
    repeats,
    wait_settled,
)
from .conftest import SHORT_LEASES

PEOPLE = 300
EACH = 2
THREADS = 8
KILLS = 2


class Stream:
    """``PEOPLE`` Telegram people, ``EACH`` messages each; ``THREADS`` threads, each with
    people of its own whose messages it posts in order, each until acknowledged (Telegram
    retries a webhook that failed, with the same update_id), each to a random instance."""

    def __init__(self, urls: list[str]) -> None:
        self.urls = urls  # replaced in place when an instance restarts on its port
        ids = itertools.count(1)
        self.said = [
            Said("telegram", str(800_000 + person), str(next(ids)), TEXTS[(turn + person) % 6])
            for turn in range(EACH)
            for person in range(PEOPLE)
        ]
        self._acked = 0
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._run, args=(self.said[n::THREADS],), daemon=True)
            for n in range(THREADS)
        ]

    def _run(self, said: Sequence[Said]) -> None:
        for message in said:
            while not post(random.choice(self.urls), message):
                time.sleep(0.05)  # that instance is down or restarting: try again
            with self._lock:
                self._acked += 1

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def acked(self) -> int:
        with self._lock:
            return self._acked

    def wait_acked(self, count: int, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while self.acked() < count:
            assert time.monotonic() < deadline, f"only {self.acked()} acknowledged"
            time.sleep(0.01)

    def join(self, timeout: float = 300) -> None:
        for thread in self._threads:
            thread.join(timeout)
            assert not thread.is_alive(), "the stream never finished"


def answered_twice(database: str, said: Sequence[Said], telegram: FakeBotAPI) -> list[str]:
    """People who got some reply twice (fails on anything missing or out of order)."""
    sent: dict[str, list[str]] = {}
    for params in telegram.delivered("sendMessage"):
        sent.setdefault(str(params["chat_id"]), []).append(params["text"])
    twice = []
    for address in sorted({s.address for s in said}):
        expected = [
            linked_html(json.loads(body)["text"])
            for body, _ in _bodies(database, "telegram", address)
        ]
        if repeats(expected, sent.get(address, [])):
            twice.append(address)
    return twice


@pytest.mark.timeout(900)
def test_a_stream_to_two_instances_one_killed_twice_loses_nothing_and_answers_once(
    tmp_path: Path, database: str
) -> None:
    telegram, twilio = FakeBotAPI().start(), FakeTwilio().start()
    ports = [free_port(), free_port()]
    envs = [
        channel_env(telegram, twilio, port) | SHORT_LEASES | {"WAITINGROOM_DB": database}
        for port in ports
    ]
    places = [tmp_path / "a", tmp_path / "b"]
    for place in places:
        place.mkdir()
    running = [serve(p, e, port=n, wait=120) for p, e, n in zip(places, envs, ports, strict=True)]
    stream = Stream([served.url for served in running])
    total = len(stream.said)
    logs = []
    try:
        stream.start()
        for kill in range(1, KILLS + 1):
            stream.wait_acked(total * kill // (KILLS + 1))
            victim = kill % 2
            running[victim].process.send_signal(signal.SIGKILL)
            running[victim].process.wait()
            logs.append(running[victim].output())
            # Slow to start on a busy machine: the other instance and the stream run on.
            running[victim] = serve(places[victim], envs[victim], port=ports[victim], wait=180)
        stream.join()
        # The dead instance's claims come back once their (short) leases run out.
        wait_settled(database, total, timeout=400)
    finally:
        for served in running:
            stop(served)
        telegram.stop()
        twilio.stop()
    logs += [served.output() for served in running]
    assert stream.acked() == total
    check_exactly_once(database, stream.said, telegram, twilio)
    twice = answered_twice(database, stream.said, telegram)
    print(f"{total} updates, {PEOPLE} people, {KILLS} kills: {len(twice)} answered twice")
    assert len(twice) <= PEOPLE // 100, f"{len(twice)} of {PEOPLE} people answered twice"
    assert not any("Traceback" in log for log in logs), logs
