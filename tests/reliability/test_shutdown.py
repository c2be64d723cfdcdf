"""Graceful shutdown: SIGTERM under load stops taking webhooks, finishes what was
acknowledged, closes the database cleanly, and exits 0."""

from __future__ import annotations

import signal
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import Served, free_port, serve, stop
from ..fake_telegram import FakeBotAPI
from ..fake_twilio import FakeTwilio
from .crowd import Crowd, channel_env, check_exactly_once, query, wait_settled


@pytest.fixture
def fakes() -> Iterator[tuple[FakeBotAPI, FakeTwilio]]:
    telegram, twilio = FakeBotAPI().start(), FakeTwilio().start()
    yield telegram, twilio
    telegram.stop()
    twilio.stop()


@pytest.mark.timeout(300)
def test_sigterm_under_load_finishes_acknowledged_work_and_exits_cleanly(
    tmp_path: Path, fakes: tuple[FakeBotAPI, FakeTwilio]
) -> None:
    telegram, twilio = fakes
    port = free_port()
    env = channel_env(telegram, twilio, port)
    served: Served = serve(tmp_path, env, port=port)
    crowd = Crowd(served.url, telegram_people=4, sms_people=4, each=8).start()
    total = len(crowd.everything())
    try:
        crowd.wait_acked(total // 2)
        served.process.send_signal(signal.SIGTERM)
        assert served.process.wait(timeout=90) == 0, served.output()
        acknowledged = crowd.acknowledged()
        first_run = served.output()

        # Closed cleanly: the file is sound and the write-ahead log was checkpointed
        # into it (SQLite removes it when the last connection closes cleanly).
        with sqlite3.connect(served.db) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        wal = served.db.with_name(served.db.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0
        # Every message acknowledged before the exit had its turn before the exit.
        processed = {
            (channel, message_id)
            for channel, message_id in query(
                served.db,
                "SELECT channel, channel_message_id FROM inbox WHERE processed_at IS NOT NULL",
            )
        }
        assert {(s.channel, s.message_id) for s in acknowledged} <= processed

        # The providers kept retrying while it was down; a restart takes the rest.
        served = serve(tmp_path, env, port=port)
        crowd.join()
        wait_settled(served.db, total)
    finally:
        stop(served)
    repeated = check_exactly_once(served.db, crowd.everything(), telegram, twilio)
    # Only a send cut off by the drain's time limit could go out twice.
    assert repeated["telegram"] <= 1 and repeated["sms"] <= 1, repeated
    assert "Traceback" not in first_run + served.output()
