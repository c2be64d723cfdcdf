"""Crash proof: the real service, killed with SIGKILL mid-stream and restarted on the same
SQLite file, answers every acknowledged message exactly once."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import Served, free_port, serve, stop
from ..fake_telegram import FakeBotAPI
from ..fake_twilio import FakeTwilio
from .crowd import Crowd, channel_env, check_exactly_once, wait_settled

KILLS = 3


@pytest.fixture
def fakes() -> Iterator[tuple[FakeBotAPI, FakeTwilio]]:
    telegram, twilio = FakeBotAPI().start(), FakeTwilio().start()
    yield telegram, twilio
    telegram.stop()
    twilio.stop()


@pytest.mark.timeout(400)
def test_killed_mid_stream_nothing_is_lost_or_answered_twice(
    tmp_path: Path, fakes: tuple[FakeBotAPI, FakeTwilio]
) -> None:
    telegram, twilio = fakes
    port = free_port()
    env = channel_env(telegram, twilio, port)
    served: Served = serve(tmp_path, env, port=port)
    crowd = Crowd(served.url, telegram_people=4, sms_people=4, each=8).start()
    total = len(crowd.everything())
    logs = []
    try:
        for kill in range(1, KILLS + 1):
            # Spread the kills over the stream; each lands wherever the service is.
            crowd.wait_acked(total * kill // (KILLS + 1))
            served.process.send_signal(signal.SIGKILL)
            served.process.wait()
            logs.append(served.output())
            served = serve(tmp_path, env, port=port)
        crowd.join()
        wait_settled(served.db, total)
    finally:
        stop(served)
    logs.append(served.output())
    assert len(crowd.acknowledged()) == total
    repeated = check_exactly_once(served.db, crowd.everything(), telegram, twilio)
    # At most the one send in flight per channel at each kill can go out twice.
    assert repeated["telegram"] <= KILLS and repeated["sms"] <= KILLS, repeated
    assert crowd.tries > total  # some posts did fail while the service was down
    assert not any("Traceback" in log for log in logs), logs
