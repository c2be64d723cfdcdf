"""Sender failures end to end: the real service against the fakes when they rate-limit,
fail, hang, or are down for a long while; permanent failures shown to leads."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store.store import MAX_ATTEMPTS

from ..conftest import Served, free_port, serve, stop
from ..fake_telegram import FakeBotAPI
from ..fake_twilio import FakeTwilio
from .crowd import Said, channel_env, check_exactly_once, post, query, wait_settled

URGENT = "I want to kill myself"
# "Down for minutes" in seconds: the backoff cap is a setting, production's is 5 minutes.
BACKOFF = "0.3"


@pytest.fixture
def fakes() -> Iterator[tuple[FakeBotAPI, FakeTwilio]]:
    telegram, twilio = FakeBotAPI().start(), FakeTwilio().start()
    yield telegram, twilio
    telegram.stop()
    twilio.stop()


@pytest.fixture
def served(tmp_path: Path, fakes: tuple[FakeBotAPI, FakeTwilio]) -> Iterator[Served]:
    telegram, _ = fakes
    port = free_port()
    env = channel_env(*fakes, port) | {"WAITINGROOM_MAX_BACKOFF": BACKOFF}
    running = serve(tmp_path, env, port=port)
    telegram.wait_for("setWebhook")
    yield running
    stop(running)


def _say(served: Served, said: list[Said], channel: str, address: str, text: str) -> Said:
    number = len(said) + 1
    message_id = str(number) if channel == "telegram" else f"SM{number:032d}"
    one = Said(channel, address, message_id, text)
    assert post(served.url, one)
    said.append(one)
    return one


def _wait(condition: object, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


@pytest.mark.timeout(240)
def test_a_channel_down_for_a_long_while_recovers_urgent_first_in_order(
    served: Served, fakes: tuple[FakeBotAPI, FakeTwilio]
) -> None:
    telegram, twilio = fakes
    telegram.set_down("sendMessage", 502)
    twilio.set_down(503)
    said: list[Said] = []
    people = {"telegram": ["7001", "7002", "7003"], "sms": ["+447700900201", "+447700900202"]}
    for text in ("hi", "menu"):
        for channel, addresses in people.items():
            for address in addresses:
                _say(served, said, channel, address, text)
    _say(served, said, "telegram", "7009", URGENT)
    _say(served, said, "sms", "+447700900209", URGENT)

    def urgent_waiting() -> bool:
        ((count,),) = query(served.db, "SELECT count(*) FROM outbox WHERE urgent = 1")
        # Each urgent first message: the numbers, "not a person" and "are you safe?".
        return bool(count >= 4)

    _wait(urgent_waiting, "urgent replies never stored")
    # Still trying, long after the longest backoff, and not giving up.
    tried = len(telegram.called("sendMessage")), twilio.attempts
    _wait(
        lambda: (
            len(telegram.called("sendMessage")) >= tried[0] + 4 and twilio.attempts >= tried[1] + 4
        ),
        "the sender stopped trying",
    )
    assert query(served.db, "SELECT count(*) FROM outbox WHERE status = 'failed'") == [(0,)]
    assert telegram.delivered("sendMessage") == [] and twilio.sent() == []

    telegram.set_down("sendMessage", None)
    twilio.set_down(None)
    wait_settled(served.db, len(said))
    # Urgent first across people: the first reply through is the urgent person's.
    assert telegram.delivered("sendMessage")[0]["chat_id"] == "7009"
    assert twilio.sent()[0].params["To"] == "+447700900209"
    # Then everything, once each, in order per person.
    assert check_exactly_once(served.db, said, telegram, twilio) == {"telegram": 0, "sms": 0}


@pytest.mark.timeout(240)
def test_timeouts_retry_and_permanent_failures_are_listed_for_leads_not_retried(
    served: Served, fakes: tuple[FakeBotAPI, FakeTwilio]
) -> None:
    telegram, twilio = fakes
    said: list[Said] = []

    # A Bot API that hangs past the client's timeout: tried again, delivered once.
    telegram.hang_next("sendMessage", 8)
    _say(served, said, "telegram", "810000001", "hi")
    _wait(lambda: len(telegram.delivered("sendMessage")) == 1, "no reply after a timeout", 60)
    assert len(telegram.called("sendMessage")) == 2

    # Blocked by the person, opted out, and a channel failing for good: given up on.
    telegram.fail_next("sendMessage", 403)
    _say(served, said, "telegram", "810000002", "hi")
    twilio.fail_next(21610)
    _say(served, said, "sms", "+447700900301", "hi")
    _wait(lambda: len(telegram.called("sendMessage")) == 3, "blocked person never tried")
    telegram.fail_next("sendMessage", 500, times=MAX_ATTEMPTS)
    _say(served, said, "telegram", "810000003", "hi")

    def failed() -> int:
        ((count,),) = query(served.db, "SELECT count(*) FROM outbox WHERE status = 'failed'")
        return int(count)

    _wait(lambda: failed() == 3, "failures never recorded", 120)
    attempts = len(telegram.called("sendMessage")), twilio.attempts
    time.sleep(1.5)  # several backoffs: nothing failed is tried again
    assert (len(telegram.called("sendMessage")), twilio.attempts) == attempts

    environment = {k: v for k, v in os.environ.items() if not k.startswith("WAITINGROOM_")}
    listing = subprocess.run(
        [sys.executable, "-m", "bot", "outbox", "failed"],
        env={**environment, "WAITINGROOM_DB": str(served.db)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    people = dict(query(served.db, "SELECT address, person_id FROM addresses"))
    lines = listing.splitlines()
    assert len(lines) == 4, listing  # a header and three failures
    assert "blocked the bot" in listing and "opted out (21610)" in listing
    assert "telegram unavailable" in listing
    for address in ("810000002", "+447700900301", "810000003"):
        assert people[address] in listing
    # Never an address: the pseudonymous id is how a lead finds the conversation.
    assert not any(address in listing for address in ("810000002", "7700900301", "810000003"))
    assert people["810000001"] not in listing
