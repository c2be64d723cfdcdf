"""Backup and restore on real files, and the purge command."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store import LATEST_VERSION, Database, Store
from bot.store.backup import BackupError, backup, check, in_use, restore


async def _make(path: Path, people: int = 3) -> None:
    async with Store(path) as store:
        for n in range(people):
            await store.receive("sms", f"+4477009000{n:02d}", f"m{n}", "text", {"text": "hi"})


def _people(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM people").fetchone()[0])


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **env},
    )


def test_a_backup_taken_while_another_connection_writes_is_whole(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    asyncio.run(_make(live))
    stop = threading.Event()
    written = 0

    def write() -> None:
        nonlocal written
        with sqlite3.connect(live, timeout=10) as conn:
            while not stop.is_set():
                conn.execute(
                    "INSERT INTO counts (at, kind) VALUES (?, 'contact')",
                    (datetime.now(UTC).isoformat(),),
                )
                conn.commit()
                written += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while written < 50:
            threading.Event().wait(0.01)
        copies = [tmp_path / f"backup-{n}.sqlite3" for n in range(3)]
        for copy in copies:
            assert backup(live, copy) > 0
    finally:
        stop.set()
        writer.join()
    for copy in copies:
        assert check(copy) == LATEST_VERSION
        assert _people(copy) == 3
        assert not Path(f"{copy}-wal").exists()  # one self-contained file
    with sqlite3.connect(copies[-1]) as conn:
        assert 0 < conn.execute("SELECT count(*) FROM counts").fetchone()[0] <= written
    with pytest.raises(BackupError, match="already exists"):
        backup(live, copies[0])


async def test_restore_refuses_a_database_in_use_unless_forced(tmp_path: Path) -> None:
    saved = tmp_path / "saved.sqlite3"
    await _make(saved, people=2)
    live = tmp_path / "live.sqlite3"
    async with Store(live) as running:
        assert in_use(live)
        with pytest.raises(BackupError, match="in use"):
            restore(saved, live)
        assert restore(saved, live, force=True) == LATEST_VERSION
        rows = await running.db.read("SELECT count(*) AS n FROM people")
        assert rows[0]["n"] == 2  # the running connection sees the restored data
    assert not in_use(live)
    assert restore(saved, live) == LATEST_VERSION


def test_restore_checks_the_backup_first(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    asyncio.run(_make(live))
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BackupError, match="not a database"):
        restore(junk, live)
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE x (y)")
    with pytest.raises(BackupError, match="not a Waiting Room database"):
        restore(other, live)
    with pytest.raises(BackupError, match="no such file"):
        restore(tmp_path / "missing.sqlite3", live)
    assert _people(live) == 3  # untouched


def test_the_commands_back_up_restore_and_migrate_an_older_backup(tmp_path: Path) -> None:
    async def old() -> None:
        database = Database(tmp_path / "old.sqlite3")
        await database.open(target=1)
        async with database.write() as conn:
            await conn.execute("INSERT INTO people (id, created_at) VALUES ('p-1', '2026-01-01')")
        await database.close()

    asyncio.run(old())
    env = {"WAITINGROOM_DB": str(tmp_path / "live.sqlite3")}
    done = _run("restore", str(tmp_path / "old.sqlite3"), env=env)
    assert done.returncode == 0, done.stderr
    assert "now migrated" in done.stdout
    with sqlite3.connect(tmp_path / "live.sqlite3") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert conn.execute("SELECT id FROM people").fetchall() == [("p-1",)]

    copy = tmp_path / "copies" / "today.sqlite3"
    done = _run("backup", str(copy), env=env)
    assert done.returncode == 0, done.stderr
    assert _people(copy) == 1
    refused = _run("backup", str(copy), env=env)
    assert refused.returncode == 1 and "already exists" in refused.stderr


def test_the_purge_command_prints_numbers_only(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"

    async def old_people() -> None:
        async with Store(live) as store:
            at = datetime.now(UTC) - timedelta(days=40)
            await store.receive("sms", "+447700900999", "m1", "text", {"text": "secret"}, at)

    asyncio.run(old_people())
    config = tmp_path / "config.toml"
    config.write_text("[retention]\ndays = 30\n")
    env = {"WAITINGROOM_DB": str(live), "WAITINGROOM_CONFIG": str(config)}
    dry = _run("purge", "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("would delete: 1 people, 1 messages")
    assert _people(live) == 1
    done = _run("purge", env=env)
    assert done.stdout.startswith("deleted: 1 people, 1 messages")
    assert "secret" not in done.stdout and "+447700900999" not in done.stdout
    assert _people(live) == 0
