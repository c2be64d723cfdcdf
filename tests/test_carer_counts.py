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
