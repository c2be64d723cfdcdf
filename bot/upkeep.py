"""Scheduled upkeep while the service runs: retention and forgotten people's last traces.

Every SWEEP the stand-ins of forgotten people whose last reply has gone are removed;
every PURGE what is older than the retention period is deleted. A failure is logged by
its type only (an error message may quote what a person said) and tried again later.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta

from bot.store import PurgeResult, Store

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


async def run(store: Store, retention: timedelta) -> None:
    """Run forever (until cancelled): purge at once, then on schedule."""
    next_purge = time.monotonic()
    while True:
        try:
            now = datetime.now(UTC)
            leading = await store.db.lead("upkeep")  # one process on a shared database
            if leading and time.monotonic() >= next_purge:
                next_purge = time.monotonic() + PURGE.total_seconds()
                log.info("retention purge %s", describe(await store.purge(now, retention)))
            elif leading:
                await store.clear_forgotten(now)
        except Exception as error:
            log.error("upkeep failed (%s); trying again later", type(error).__name__)
        await asyncio.sleep(SWEEP.total_seconds())
