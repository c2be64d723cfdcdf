"""The store's acknowledgement path on each database: ``Store.receive`` (what a webhook
waits for before it answers 200), 16 at a time, then one turn each.

    .venv/bin/python bench/store_db.py                       # SQLite only
    .venv/bin/python bench/store_db.py --pg postgresql://…   # and PostgreSQL (a new schema)

Prints stores and turns per second for each; a figure, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bot.store import Store, StoredInbound, Turn


def _decide(inbound: StoredInbound, state: str | None, locale: str) -> Turn:
    return Turn(state='{"node": "menu"}', replies=())


async def _run(where: Path | str, messages: int, concurrency: int) -> tuple[float, float]:
    async with Store(where) as store:
        gate = asyncio.Semaphore(concurrency)
        ids: list[int] = []

        async def one(n: int) -> None:
            async with gate:
                received = await store.receive(
                    "telegram", str(100_000 + n % 500), f"m{n}", "text", {"text": "hi"}
                )
                ids.append(received.inbox_id)

        started = time.perf_counter()
        await asyncio.gather(*(one(n) for n in range(messages)))
        stored = messages / (time.perf_counter() - started)
        started = time.perf_counter()
        for inbox_id in sorted(ids):
            await store.take_turn(inbox_id, _decide)
        turns = messages / (time.perf_counter() - started)
        return stored, turns


def _schema(url: str) -> tuple[str, Any]:
    import psycopg

    schema = f"bench_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    joiner = "&" if "?" in url else "?"

    def drop() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")

    return f"{url}{joiner}options={quote(f'-csearch_path={schema}')}", drop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--pg", help="a PostgreSQL URL to measure too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        where: list[tuple[str, Path | str]] = [("sqlite", Path(work) / "bench.sqlite3")]
        drop = None
        if args.pg:
            url, drop = _schema(args.pg)
            where.append(("postgresql", url))
        try:
            for name, place in where:
                stored, turns = asyncio.run(_run(place, args.messages, args.concurrency))
                print(f"{name:10} stored {stored:7.0f}/s   turns {turns:7.0f}/s")
        finally:
            if drop is not None:
                drop()


if __name__ == "__main__":
    main()
