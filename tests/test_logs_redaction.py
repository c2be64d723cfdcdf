"""The log redactor on its own: every logger, every level, tracebacks included."""

from __future__ import annotations

import io
import logging

import pytest

from bot.logs import Redactor

TOKEN = "123456:ABCdef-ghiJKL_mno"


def _written(logger: str, level: int, msg: str, *args: object, error: bool = False) -> str:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(Redactor([TOKEN, "s3cret-metrics"]))
    log = logging.getLogger(logger)
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    log.propagate = False
    try:
        if error:
            try:
                said = "zebra" + "marmalade"  # not in the source line the traceback shows
                raise ValueError(said)
            except ValueError:
                log.exception(msg, *args)
        else:
            log.log(level, msg, *args)
    finally:
        log.removeHandler(handler)
    return out.getvalue()


@pytest.mark.parametrize("level", [logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR])
def test_library_arguments_never_reach_the_log(level: int) -> None:
    line = _written("aiosqlite", level, "executing %s", ("INSERT ?", "zebramarmalade"))
    assert "zebramarmalade" not in line and "executing <redacted>" in line
    line = _written("telegram.ext.ExtBot", level, "params %s", {"chat_id": 583920174})
    assert "583920174" not in line


def test_numbers_ids_tokens_and_secrets_are_scrubbed_from_every_line() -> None:
    line = _written(
        "twilio.http_client",
        logging.INFO,
        "GET https://api.twilio.com/x?To=%2B447700900456 07700 900456 +44 7700 900456"
        f" https://api.telegram.org/bot{TOKEN}/getMe Bearer s3cret-metrics chat 583920174",
    )
    for secret in ("447700900456", "07700 900456", "7700 900456", TOKEN, "s3cret", "583920174"):
        assert secret not in line, line
    assert "api.telegram.org/bot<redacted>" in line


def test_our_own_lines_keep_their_ids_and_tracebacks_lose_the_message() -> None:
    line = _written("waitingroom.service", logging.ERROR, "turn %s failed", 42, error=True)
    assert "turn 42 failed" in line and "ValueError: <redacted>" in line
    assert "zebramarmalade" not in line and "test_logs_redaction.py" in line
