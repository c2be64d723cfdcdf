"""`waitingroom supporters`: the first lead is made from the command line."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

from bot.staff import passwords
from bot.store import Store

_ONE_TIME = re.compile(r"[a-z2-9]{4}(?:-[a-z2-9]{4}){3}")


def _run(db: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        # --create: these tests start from no database at all.
        [sys.executable, "-m", "bot", "supporters", *args, "--create"],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "WAITINGROOM_DB": str(db)},
    )


def _hash(db: Path, name: str) -> tuple[str | None, bool]:
    async def read() -> tuple[str | None, bool]:
        async with Store(db) as store:
            found = await store.staff.by_name(name)
            assert found is not None
            return await store.staff.password_hash(found.id), found.must_change_password

    return asyncio.run(read())


def test_add_list_and_reset(tmp_path: Path) -> None:
    db = tmp_path / "wr.sqlite3"
    added = _run(
        db,
        "add",
        "lena",
        "--role",
        "lead",
        "--display-name",
        "Lena",
        "--cap",
        "1",
        "--tags",
        "carer,language:pl",
    )
    assert added.returncode == 0, added.stderr
    (password,) = _ONE_TIME.findall(added.stdout)
    stored, must_change = _hash(db, "lena")
    assert passwords.verify(stored, password)[0] and must_change

    listed = _run(db, "list")
    assert listed.returncode == 0
    assert re.search(r"lena\s+Lena\s+lead\s+1\s+carer,language:pl\s+no\s+-\s+active", listed.stdout)
    assert password not in listed.stdout

    reset = _run(db, "reset-password", "lena")
    assert reset.returncode == 0
    (new,) = _ONE_TIME.findall(reset.stdout)
    assert new != password and passwords.verify(_hash(db, "lena")[0], new)[0]
    assert _run(db, "reset-password", "nobody").returncode == 1


def test_password_from_stdin_is_never_printed(tmp_path: Path) -> None:
    db = tmp_path / "wr.sqlite3"
    added = _run(db, "add", "sam", "--password-stdin", stdin="a long chosen phrase\n")
    assert added.returncode == 0, added.stderr
    assert "a long chosen phrase" not in added.stdout + added.stderr
    assert passwords.verify(_hash(db, "sam")[0], "a long chosen phrase")[0]
    assert _run(db, "add", "tom", "--password-stdin", stdin="short\n").returncode == 2


def test_mistakes_are_refused(tmp_path: Path) -> None:
    db = tmp_path / "wr.sqlite3"
    assert _run(db, "add", "sam").returncode == 0
    duplicate = _run(db, "add", "SAM")
    assert duplicate.returncode == 1 and "exists already" in duplicate.stderr
    assert _run(db, "add", "x y").returncode == 2
    assert _run(db, "add", "tom", "--tags", "<b>").returncode == 2
    assert _run(db, "add", "tom", "--cap", "0").returncode == 2
    assert _run(db, "add", "tom", "--role", "admin").returncode == 2
