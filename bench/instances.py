"""Two `waitingroom serve` instances against one, on one PostgreSQL database. Not a test:
it prints figures.

    .venv/bin/python bench/instances.py                  # 600 updates, 16 at a time
    .venv/bin/python bench/instances.py --count 300 --concurrency 32

For each of one and two instances, side by side in one run, on a fresh schema each:
the fake Bot API (``tests/fake_telegram.py``) on loopback, the real service in Telegram
webhook mode, then ``--count`` Telegram updates, one per person, posted as fast as
``--concurrency`` senders can (with two instances, each update goes to one of them at
random, as a load balancer would). It prints webhooks acknowledged per second (each one
stored before its 200), turns taken per second (every message processed, read from the
database), replies sent per second, and two instances' figures over one's; and how
many write transactions were waiting for a write lock (PostgreSQL's ``pg_locks``,
sampled every 50 ms from the first update to the last turn), which says whether the
instances wait for each other or for the machine.

Replies are capped by Telegram's own limit (30 a second per bot): each instance keeps
it with its own AIORateLimiter, so two instances may send up to twice that, which the
real Bot API would answer with 429s (obeyed: the outbox waits). The figure to judge is
acknowledgements and turns.

PostgreSQL: ``WAITINGROOM_TEST_PG`` (as the tests: ``tests/postgres.sh`` prints it).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import SECRET, TOKEN, running, said, telegram_job  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.databases import fresh_schema  # noqa: E402
from tests.fake_telegram import Call, FakeBotAPI  # noqa: E402
from tests.reliability.crowd import query  # noqa: E402


@dataclass
class Figures:
    instances: int
    acked_per_s: float
    turns_per_s: float
    replies_per_s: float
    failed: int
    lock_waits: float


# Write transactions of this schema waiting for its write lock (the one-number
# advisory lock) or for a write key (the two-number ones of the key class): see
# bot/store/postgres.py. An advisory lock's 64-bit key is split into classid (high
# half) and objid (low half); the two-number form puts them there as they are.
_LOCK_WAITS = (
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND ("
    "(objsubid = 1 AND objid = (hashtext('waitingroom-write' || current_schema())::bigint"
    " & 4294967295)::text::oid) OR (objsubid = 2 AND classid = (hashtext('waitingroom-key'"
    " || current_schema())::bigint & 4294967295)::text::oid))"
)


class LockWatch:
    """Samples, in a thread, how many writes wait for a write lock; ``mean`` at the end."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._stop = threading.Event()
        self._samples: list[int] = []
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> LockWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        with psycopg.connect(self._url, autocommit=True) as conn:
            while not self._stop.wait(0.05):
                row = conn.execute(_LOCK_WAITS).fetchone()
                self._samples.append(int(row[0]) if row else 0)

    @property
    def mean(self) -> float:
        return sum(self._samples) / len(self._samples) if self._samples else 0.0


async def _fire(urls: Sequence[str], count: int, concurrency: int) -> tuple[float, float, int]:
    """Post ``count`` updates spread at random over ``urls``; (start, last ack, failed)."""
    gate = asyncio.Semaphore(concurrency)
    failed = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    rng = random.Random(18)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:

        async def one(n: int) -> None:
            nonlocal failed
            job = telegram_job(700_000 + n, said(n))
            async with gate:
                try:
                    response = await client.post(
                        rng.choice(urls) + job.path, json=job.json, headers=job.headers
                    )
                    failed += response.status_code != 200
                except httpx.HTTPError:
                    failed += 1

        begin = time.monotonic()
        await asyncio.gather(*(one(n) for n in range(count)))
        return begin, time.monotonic(), failed


def _fire_here(urls: Sequence[str], count: int, concurrency: int) -> tuple[float, float, int]:
    return asyncio.run(_fire(urls, count, concurrency))


def fire_apart(urls: Sequence[str], count: int, concurrency: int) -> tuple[float, float, int]:
    """In a process of its own, so the senders never share an interpreter with the fake."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_fire_here, urls, count, concurrency).result()


def _until(done: Callable[[], bool], timeout: float) -> float:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit("the service never finished the run")
        time.sleep(0.05)
    return time.monotonic()


def measure(instances: int, count: int, concurrency: int) -> Figures:
    telegram = FakeBotAPI().start()
    try:
        with fresh_schema() as url, tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
            urls = []
            for n in range(instances):
                port = free_port()
                env = _env(url, port, telegram)
                served = f"http://127.0.0.1:{port}"
                command = [sys.executable, "-m", "bot", "serve", "--port", str(port)]
                place = Path(tmp) / f"i{n}"
                place.mkdir()
                stack.enter_context(running(command, env, served, place / "serve.log"))
                urls.append(served)

            def processed() -> bool:
                ((left,),) = query(url, "SELECT count(*) FROM inbox WHERE processed_at IS NULL")
                ((stored,),) = query(url, "SELECT count(*) FROM inbox")
                return bool(stored >= count - failed and left == 0)

            with LockWatch(url) as watch:
                begin, acked, failed = fire_apart(urls, count, concurrency)
                turned = _until(processed, 120 + count / 5)

            def replied() -> bool:
                return len({c.params["chat_id"] for c in _sent(telegram)}) >= count - failed

            last = _until(replied, 120 + count / 5)
            return Figures(
                instances,
                acked_per_s=count / (acked - begin),
                turns_per_s=count / (turned - begin),
                replies_per_s=count / (last - begin),
                failed=failed,
                lock_waits=watch.mean,
            )
    finally:
        telegram.stop()


def _sent(telegram: FakeBotAPI) -> list[Call]:
    return [c for c in list(telegram.calls) if c.method == "sendMessage" and c.status == 200]


def _env(database: str, port: int, telegram: FakeBotAPI) -> dict[str, str]:
    """Telegram in webhook mode against the fake, on PostgreSQL; no SMS in this run."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "TWILIO_", "WAITINGROOM_"))
    }
    return keep | {
        "WAITINGROOM_DB": database,
        "WAITINGROOM_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": telegram.url,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=600, help="updates per run")
    parser.add_argument("--concurrency", type=int, default=16, help="senders at once")
    args = parser.parse_args(argv)
    if not os.environ.get("WAITINGROOM_TEST_PG"):
        os.environ["WAITINGROOM_TEST_PG"] = subprocess.run(
            [str(ROOT / "tests" / "postgres.sh")], capture_output=True, text=True, check=True
        ).stdout.strip()
    load = os.getloadavg()[0]
    one = measure(1, args.count, args.concurrency)
    two = measure(2, args.count, args.concurrency)
    print(
        f"{args.count} Telegram updates, one per person, {args.concurrency} senders at once,"
        f" PostgreSQL (load average {load:.1f} before, {os.getloadavg()[0]:.1f} after)"
    )
    print(f"{'':34}{'one':>9}{'two':>9}{'ratio':>8}")
    for label, name in (
        ("webhooks acknowledged /s", "acked_per_s"),
        ("turns taken /s", "turns_per_s"),
        ("replies sent /s (30/s per bot)", "replies_per_s"),
    ):
        a, b = getattr(one, name), getattr(two, name)
        print(f"  {label:32}{a:9.1f}{b:9.1f}{b / a:8.2f}")
    print(f"  writes waiting for a write lock   {one.lock_waits:9.2f}{two.lock_waits:9.2f}")
    print(f"  not acknowledged: {one.failed} (one), {two.failed} (two)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
