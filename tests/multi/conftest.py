"""One PostgreSQL schema per test, and two real `serve` processes on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import Served, serve, stop
from ..databases import fresh_schema

# Short claims, so a kill test proves a killed instance's leased work is taken up by the
# other without waiting out the real leases (45 s and 30 s). Still well beyond the time
# a live instance holds a claimed batch (a score of sends or turns to loopback fakes).
SHORT_LEASES = {"WAITINGROOM_OUTBOX_LEASE": "5", "WAITINGROOM_INBOX_LEASE": "3"}


@pytest.fixture
def database() -> Iterator[str]:
    with fresh_schema() as url:
        yield url


@pytest.fixture
def two(tmp_path: Path, database: str) -> Iterator[tuple[Served, Served]]:
    env = {"WAITINGROOM_DB": database}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = serve(tmp_path / "a", env)
    try:
        second = serve(tmp_path / "b", env)
    except BaseException:
        stop(first)
        raise
    yield first, second
    stop(first)
    stop(second)
