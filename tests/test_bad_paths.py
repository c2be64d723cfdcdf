"""A careless operator's settings: each stops `waitingroom serve` within seconds with
exit status 2 and one line naming the setting; and a second service on the same SQLite
file refuses to start while the first runs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bot.config import ConfigError, load_settings

from .conftest import free_port, serve, stop


def _serve(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "TWILIO_", "WAITINGROOM_"))
    }
    environment.setdefault("WAITINGROOM_DB", str(tmp_path / "data" / "wr.sqlite3"))
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--port", str(free_port())],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=20,  # a hang fails the test
    )


def _refused(done: subprocess.CompletedProcess[str], setting: str) -> str:
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    lines = [line for line in done.stderr.splitlines() if setting in line]
    assert lines, done.stderr
    return lines[0]


def test_a_config_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    line = _refused(
        _serve(tmp_path, WAITINGROOM_CONFIG=str(tmp_path / "conf")), "WAITINGROOM_CONFIG"
    )
    assert "folder" in line


def test_a_database_path_that_cannot_be_written(tmp_path: Path) -> None:
    (tmp_path / "plainfile").write_text("x")
    db = tmp_path / "plainfile" / "wr.sqlite3"  # a folder that is a file: never writable
    line = _refused(_serve(tmp_path, WAITINGROOM_DB=str(db)), "WAITINGROOM_DB")
    assert str(db) in line


def test_a_corrupt_database_file(tmp_path: Path) -> None:
    db = tmp_path / "wr.sqlite3"
    db.write_bytes(os.urandom(8192))
    started = time.monotonic()
    line = _refused(_serve(tmp_path, WAITINGROOM_DB=str(db)), "WAITINGROOM_DB")
    assert "not a SQLite database" in line and time.monotonic() - started < 15


@pytest.mark.parametrize("url", ["mysql://db/x", "s3://bucket/wr.sqlite3", "sqlite://x"])
def test_a_database_url_with_an_unsupported_scheme(tmp_path: Path, url: str) -> None:
    line = _refused(_serve(tmp_path, WAITINGROOM_DB=url), "WAITINGROOM_DB")
    assert "unsupported URL scheme" in line
    assert not any(tmp_path.glob("*:"))  # no folder named after the scheme


def test_postgresql_is_recognised_and_other_schemes_are_not() -> None:
    url = "postgresql://wr@127.0.0.1:5432/test"
    settings = load_settings({"WAITINGROOM_DB": url})
    assert settings.db_url == url
    with pytest.raises(ConfigError, match="WAITINGROOM_DB"):
        load_settings({"WAITINGROOM_DB": "redis://127.0.0.1"})


def test_a_second_service_on_the_same_file_refuses_to_start(tmp_path: Path) -> None:
    first = serve(tmp_path)
    try:
        second = _serve(tmp_path, WAITINGROOM_DB=str(first.db))
        line = _refused(second, "WAITINGROOM_DB")
        assert "in use by another waitingroom serve" in line
        assert str(first.process.pid) in line
        assert httpx.get(f"{first.url}/healthz").status_code == 200  # the first runs on
    finally:
        stop(first)
    # Once the first has stopped, the file is free again.
    again = serve(tmp_path)
    stop(again)
