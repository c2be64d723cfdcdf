"""Settings are validated at start-up; a bad value stops the service with exit status 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

EXAMPLE = Path(__file__).resolve().parents[1] / "deploy" / "waitingroom.example.toml"


def test_no_settings_at_all_is_the_embedded_default() -> None:
    settings = load_settings({})
    assert settings.db_path == Path("data/waitingroom.sqlite3")
    assert settings.telegram_bot_token is None and settings.twilio_account_sid is None
    assert settings.file.service.time_zone == "Europe/London"


def test_the_leases_default_to_45_and_30_seconds_and_can_be_set() -> None:
    assert (load_settings({}).outbox_lease, load_settings({}).inbox_lease) == (45.0, 30.0)
    short = load_settings({"WAITINGROOM_OUTBOX_LEASE": "5", "WAITINGROOM_INBOX_LEASE": "3"})
    assert (short.outbox_lease, short.inbox_lease) == (5.0, 3.0)
    with pytest.raises(ConfigError, match="outbox_lease"):
        load_settings({"WAITINGROOM_OUTBOX_LEASE": "0"})


def test_the_example_config_is_valid() -> None:
    settings = load_settings({"WAITINGROOM_CONFIG": str(EXAMPLE)})
    assert settings.file.emergency_contacts[0].phone == "0800 952 1181"


@pytest.mark.parametrize(
    ("toml", "names"),
    [
        ('[service]\ntime_zone = "Mars/Base"\n', "service.time_zone: unknown time zone"),
        ("[retention]\ndays = 0\n", "retention.days"),
        ('[peer_support]\nhours = "whenever"\n', "peer_support.hours"),
        ('[[emergency_contacts]]\nname = "x"\nphone = "12"\n', "emergency_contacts.0.phone"),
        ("[surprise]\nkey = 1\n", "surprise"),
        ('[web]\nport = "eighty"\n', "web.port"),
        ("this is not toml", "not valid TOML"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, toml: str, names: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError, match=names.replace(".", r"\.")):
        load_settings({"WAITINGROOM_CONFIG": str(path)})


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"WAITINGROOM_CONFIG": "/nowhere.toml"}, "WAITINGROOM_CONFIG: no such file"),
        ({"WAITINGROOM_PUBLIC_URL": "http://example.org"}, "WAITINGROOM_PUBLIC_URL"),
        ({"TELEGRAM_API_URL": "ftp://x"}, "TELEGRAM_API_URL"),
        ({"TELEGRAM_WEBHOOK_SECRET": "has spaces"}, "TELEGRAM_WEBHOOK_SECRET"),
    ],
)
def test_bad_environment_names_the_variable(env: dict[str, str], names: str) -> None:
    with pytest.raises(ConfigError, match=names):
        load_settings(env)


def test_serve_stops_with_exit_status_2(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[retention]\ndays = -5\n")
    env = {**os.environ, "WAITINGROOM_CONFIG": str(path), "WAITINGROOM_DB": str(tmp_path / "d")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "retention.days" in result.stderr
