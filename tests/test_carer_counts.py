"""Carers are counted as carers through the service: their contacts and everything else
counted in their conversations, in the same transaction as the turn."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.engine import Kind
from bot.service import ChannelMessage, Service
from bot.store import Store

_ids = itertools.count()


@pytest.fixture
async def store(where: Path | str) -> AsyncIterator[Store]:
    async with Store(where) as store:
        yield store


async def _say(service: Service, address: str, text: str) -> None:
    message = ChannelMessage("web", address, f"m{next(_ids)}", Kind.TEXT, text=text)
    await service.receive(message)
    await service.process_pending()


async def test_a_carers_contact_and_signposts_are_counted_as_a_carers(store: Store) -> None:
    service = Service(load_settings({}), store)
    for text in ("I'm supporting someone", "yes", "1", "BD18"):  # 1: support for me
        await _say(service, "carer", text)
    for text in ("hi", "somewhere to go", "BD18"):
        await _say(service, "person", text)
    rows = await store.counts(kinds=["contact", "signpost"])
    by_audience = {(row["kind"], row["audience"]) for row in rows}
    assert by_audience == {
        ("contact", "carer"),
        ("signpost", "carer"),
        ("contact", ""),
        ("signpost", ""),
    }
    assert sum(row["kind"] == "contact" for row in rows) == 2


async def test_a_carer_who_starts_with_hi_counts_as_a_carer_in_the_report(store: Store) -> None:
    from datetime import UTC, datetime

    from bot.reports.report import REPORT_KINDS, build_report

    service = Service(load_settings({}), store)
    for n in range(5):  # five carers, each starting with "hi" (the issue had four: 0 counted)
        for text in ("hi", "I'm supporting someone", "yes"):
            await _say(service, f"carer-{n}", text)
    for n in range(5):
        await _say(service, f"person-{n}", "hi")
    # Straight in as a carer: counted once, not twice.
    for n in range(5):
        await _say(service, f"direct-{n}", "I'm supporting someone")
    rows = await store.counts(kinds=list(REPORT_KINDS))
    today = datetime.now(UTC).date()
    report = build_report(rows, [], today, today, service.settings.zone)
    assert report.carers.value == 10
    assert report.people.value == 5
    assert report.contacts.value == 15
