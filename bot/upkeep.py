"""Scheduled upkeep while the service runs: retention and forgotten people's last traces.

Every SWEEP the stand-ins of forgotten people whose last reply has gone are removed;
every PURGE what is older than the retention period is deleted. A failure ends the loop;
the service's supervisor logs it (type and place only) and starts it again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta

from bot.store import PurgeResult, StoreContract

log = logging.getLogger("waitingroom.upkeep")
SWEEP = timedelta(seconds=5)
PURGE = timedelta(hours=1)


def describe(result: PurgeResult) -> str:
    """A purge in numbers only, for logs and the CLI."""
    verb = "would delete" if result.dry_run else "deleted"
    return (
        f"{verb}: {result.people} people, {result.messages} messages, {result.replies} replies,"
        f" {result.blocks} blocks, {result.farewells} forgotten addresses"
        f" (older than {result.cutoff.isoformat(timespec='seconds')})"
    )


async def run(store: StoreContract, retention: timedelta) -> None:
    """Run forever (until cancelled): purge at once, then on schedule."""
    next_purge = time.monotonic()
    while True:
        now = store.clock()
        leading = await store.db.lead("upkeep")  # one process on a shared database
        if leading and time.monotonic() >= next_purge:
            next_purge = time.monotonic() + PURGE.total_seconds()
            log.info("retention purge %s", describe(await store.purge(now, retention)))
        elif leading:
            await store.clear_forgotten(now)
        await asyncio.sleep(SWEEP.total_seconds())
