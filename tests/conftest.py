"""Shared fixtures: a real `waitingroom serve` process on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Served:
    url: str
    db: Path
    process: subprocess.Popen[str]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def serve(
    tmp_path: Path,
    env: dict[str, str] | None = None,
    port: int | None = None,
    args: Sequence[str] = (),
    wait: float = 30,
) -> Served:
    port = port or free_port()
    db = tmp_path / "data" / "waitingroom.sqlite3"
    log = tmp_path / "serve.log"
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "TWILIO_", "WAITINGROOM_"))
    }
    environment.update({"WAITINGROOM_DB": str(db), **(env or {})})
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--port", str(port), *args],
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=tmp_path,
        )
    served = Served(f"http://127.0.0.1:{port}", db, process, log)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"serve exited early:\n{served.output()}")
        try:
            if httpx.get(f"{served.url}/healthz", timeout=1).status_code == 200:
                return served
        except httpx.TransportError:
            time.sleep(0.1)
    stop(served)
    raise RuntimeError(f"serve did not become healthy:\n{served.output()}")


def stop(served: Served) -> None:
    served.process.terminate()
    try:
        served.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        served.process.kill()
        served.process.wait()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    running = serve(tmp_path)
    yield running
    stop(running)


@pytest.fixture(params=["sqlite", "postgresql"])
def where(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path | str]:
    """Where a Store lives: one test body runs on a SQLite file and on a fresh
    PostgreSQL schema. Narrow a test to one with
    ``@pytest.mark.parametrize("where", ["sqlite"], indirect=True)``."""
    from .databases import fresh_schema

    if request.param == "sqlite":
        yield tmp_path / "wr.sqlite3"
    else:
        with fresh_schema() as url:
            yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test module (Playwright's sync API)."""
    from playwright.sync_api import expect, sync_playwright

    from .browser import ARGS, CHROMIUM, EXPECT_TIMEOUT_MS

    # CI runs on two busy cores: a page that takes longer than Playwright's 5 s default to
    # show a polled or streamed line is slow, not wrong (a desk test failed so once).
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()
