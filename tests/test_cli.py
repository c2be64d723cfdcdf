"""The `waitingroom` command: --help everywhere, and a terminal chat through the store."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import _parser


def _run(
    *args: str, stdin: str = "", env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


def _commands() -> list[str]:
    parser = _parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)  # type: ignore[arg-type]


def test_the_commands_the_design_names_exist() -> None:
    assert {"serve", "chat", "risk"} <= set(_commands())


@pytest.mark.parametrize("command", [None, *_commands()])
def test_every_command_has_help(command: str | None) -> None:
    result = _run(*([command] if command else []), "--help")
    assert result.returncode == 0, result.stderr
    assert "usage: waitingroom" in result.stdout


def test_terminal_chat_goes_through_the_engine_and_the_store(tmp_path: Path) -> None:
    db = tmp_path / "wr.sqlite3"
    result = _run("chat", "--name", "me", stdin="hi\n5\n", env={"WAITINGROOM_DB": str(db)})
    assert result.returncode == 0, result.stderr
    assert "999" in result.stdout and "116 123" in result.stdout
    assert "5. Urgent help" in result.stdout
    assert "85258" in result.stdout  # "5" picked urgent help
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM inbox").fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM outbox WHERE status = 'delivered'").fetchone()[0]

    again = _run("chat", "--name", "me", stdin="menu\n", env={"WAITINGROOM_DB": str(db)})
    assert "Hello" not in again.stdout  # the same conversation, not a new greeting
    assert "What would help right now?" in again.stdout


def test_the_default_database_is_under_data(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAITINGROOM_")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input="hi\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "waitingroom.sqlite3").exists()


def test_a_command_run_in_another_folder_does_not_make_an_empty_database_there(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAITINGROOM_")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env=env,
            cwd=tmp_path,
        )

    refused = run("supporters", "list")
    assert refused.returncode == 2
    assert "no database at" in refused.stderr and "--create" in refused.stderr
    assert str(tmp_path / "data" / "waitingroom.sqlite3") in refused.stderr
    assert not (tmp_path / "data").exists()
    assert run("outbox", "failed").returncode == 2
    made = run("supporters", "list", "--create")
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "data" / "waitingroom.sqlite3").exists()
    assert run("supporters", "list").returncode == 0  # it exists now
