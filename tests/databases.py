"""The store's two databases for tests: a SQLite file, or a fresh PostgreSQL schema.

``make test`` exports WAITINGROOM_TEST_PG (tests/postgres.sh finds or starts a server);
without it the PostgreSQL half of each store test is skipped, never silently passed.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import psycopg
import pytest

KINDS = ("sqlite", "postgresql")


def server() -> str:
    url = os.environ.get("WAITINGROOM_TEST_PG", "")
    if not url:
        pytest.skip("WAITINGROOM_TEST_PG is not set (make test sets it)")
    return url


@contextmanager
def fresh_schema() -> Iterator[str]:
    """A URL whose connections see only a new, empty schema; dropped afterwards."""
    base = server()
    schema = f"test_{secrets.token_hex(6)}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    joiner = "&" if "?" in base else "?"
    try:
        yield f"{base}{joiner}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
