"""SMS settings: all three Twilio credentials or none, a public URL, a real sender number."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

from ..fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER

TWILIO = {
    "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
    "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
    "TWILIO_FROM_NUMBER": FROM_NUMBER,
}
PUBLIC = {"WAITINGROOM_PUBLIC_URL": "https://wr.example.org"}


def test_credentials_and_a_public_url_are_enough() -> None:
    settings = load_settings(TWILIO | PUBLIC)
    assert settings.twilio_account_sid == ACCOUNT_SID
    assert load_settings({}).twilio_account_sid is None


@pytest.mark.parametrize(
    ("env", "names"),
    [
        (TWILIO, "WAITINGROOM_PUBLIC_URL: needed for SMS"),
        ({"TWILIO_ACCOUNT_SID": ACCOUNT_SID} | PUBLIC, "TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER"),
        ({"TWILIO_FROM_NUMBER": FROM_NUMBER} | PUBLIC, "TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN"),
        (TWILIO | PUBLIC | {"TWILIO_ACCOUNT_SID": "not-a-sid"}, "TWILIO_ACCOUNT_SID"),
        (TWILIO | PUBLIC | {"TWILIO_FROM_NUMBER": "12"}, "TWILIO_FROM_NUMBER"),
        (TWILIO | PUBLIC | {"TWILIO_FROM_NUMBER": "WaitingRm"}, "TWILIO_FROM_NUMBER"),
        (TWILIO | PUBLIC | {"TWILIO_API_URL": "api.twilio.com"}, "TWILIO_API_URL"),
    ],
)
def test_bad_sms_settings_name_the_variable(env: dict[str, str], names: str) -> None:
    with pytest.raises(ConfigError, match=names):
        load_settings(env)


def test_serve_refuses_to_start_without_a_public_url(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "WAITINGROOM_"))}
    env |= TWILIO | {"WAITINGROOM_DB": str(tmp_path / "wr.sqlite3")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "WAITINGROOM_PUBLIC_URL" in result.stderr
    assert not (tmp_path / "wr.sqlite3").exists()
