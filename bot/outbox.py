"""`waitingroom outbox failed`: replies that could not be delivered, for leads.

    waitingroom outbox failed              the last 7 days, newest first
    waitingroom outbox failed --days 30    further back

Shows the person's pseudonymous id, the channel, which message, why and when: never a
phone number or Telegram id. The dashboard's page for leads reads the same
``Store.failed_deliveries``.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, timedelta

from bot.config import Settings
from bot.store import FailedDelivery, Store


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    failed = actions.add_parser(
        "failed",
        help="replies given up on (blocked, opted out, a channel down too long)",
        description="List replies that will never be sent, newest first.",
    )
    failed.add_argument("--days", type=float, default=7.0, help="how far back to look (default: 7)")


def table(failures: list[FailedDelivery]) -> str:
    """One line per failed reply; a lead reads it, a script can split it on tabs."""
    lines = ["failed_at\tperson\tchannel\tmessage\turgent\tattempts\treason"]
    lines += [
        "\t".join(
            (
                f.failed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
                f.person_id,
                f.channel,
                f.key,
                "urgent" if f.urgent else "-",
                str(f.attempts),
                f.reason,
            )
        )
        for f in failures
    ]
    return "\n".join(lines)


async def _failed(settings: Settings, days: float) -> list[FailedDelivery]:
    async with Store(settings.database) as store:
        return await store.failed_deliveries(store.clock() - timedelta(days=days))


def run(args: argparse.Namespace, settings: Settings) -> int:
    failures = asyncio.run(_failed(settings, args.days))
    print(table(failures))
    return 0
