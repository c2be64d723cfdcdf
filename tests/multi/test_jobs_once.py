"""The queue clock, the check-ins and the retention purge run in one instance at a time
on a shared PostgreSQL database, and another takes them over when that one stops
(issue 18). Two services with a pool each, as two `serve` processes have."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.config import load_settings
from bot.scheduler import Checkins
from bot.service import Service
from bot.store import PurgeResult, Store

JOBS = ("queue-clock", "checkins", "upkeep")


class Instance:
    """A service whose jobs count, for the test, who asked to lead and who ran them."""

    def __init__(self, database: str) -> None:
        self.store = Store(database)
        self.asked: Counter[str] = Counter()
        self.ran: Counter[str] = Counter()
        self.service: Service | None = None
        self.stopped = False

    async def start(self) -> None:
        await self.store.open()
        lead: Callable[[str], Awaitable[bool]] = self.store.db.lead

        async def asking(job: str) -> bool:
            self.asked[job] += 1
            return await lead(job)

        setattr(self.store.db, "lead", asking)  # noqa: B010 - a method swapped for a test
        purge = self.store.purge

        async def purging(now: datetime, keep: timedelta, **kwargs: Any) -> PurgeResult:
            self.ran["upkeep"] += 1
            return await purge(now, keep, **kwargs)

        setattr(self.store, "purge", purging)  # noqa: B010
        service = Service(load_settings({}), self.store, directory=None)
        instance = self

        async def queue_clock(now: datetime | None = None) -> int:
            instance.ran["queue-clock"] += 1
            return await Service.queue_clock(service, now)

        setattr(service, "queue_clock", queue_clock)  # noqa: B010

        class Counting(Checkins):
            async def send_due(self) -> int:
                instance.ran["checkins"] += 1
                return await super().send_due()

        service.checkins = Counting(service)
        self.service = service
        await service.start()

    async def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        if self.service is not None:
            await self.service.stop()
        await self.store.close()


async def _until(done: Callable[[], bool], what: str, seconds: float = 90) -> None:
    """Wait on a condition, with a deadline generous enough for a loaded machine."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not done():
        assert asyncio.get_running_loop().time() < deadline, what
        await asyncio.sleep(0.05)


@pytest.mark.timeout(240)
async def test_the_clocks_and_the_purge_run_once_across_instances_and_are_taken_over(
    database: str,
) -> None:
    first, second = Instance(database), Instance(database)
    await first.start()
    await second.start()
    try:
        both = (first, second)
        # Every instance has asked for every job, and each job has run somewhere.
        await _until(
            lambda: all(
                i.asked[job] and any(o.ran[job] for o in both) for i in both for job in JOBS
            ),
            "the jobs never started",
        )
        for job in JOBS:
            assert [bool(i.ran[job]) for i in both].count(True) == 1, (job, first.ran, second.ran)
        # The instance running the purge stops: the other takes it over (a session's
        # advisory lock goes with the session).
        leader, other = (first, second) if first.ran["upkeep"] else (second, first)
        await leader.stop()
        await _until(lambda: other.ran["upkeep"] > 0, "the purge was never taken over")
    finally:
        for instance in (first, second):
            await instance.stop()
