"""Claims on the outbox (issue 18): every instance drains it, none is given a reply
another holds, and a dead claimer's replies come back when its lease runs out."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.store import Outgoing, Store, Turn

from .test_outbox import _reply, _say

LEASE = timedelta(seconds=45)


async def test_a_claimed_reply_is_given_to_no_one_else_until_the_lease_runs_out(
    where: Path | str,
) -> None:
    async with Store(where) as first, Store(where) as second:
        await _say(first, "a", "1", _reply("greeting"))
        now = datetime.now(UTC)
        (claimed,) = await first.claim_due(["telegram"], LEASE, at=now)
        assert claimed.key == "greeting"
        assert await second.claim_due(["telegram"], LEASE, at=now) == []
        assert await second.due(["telegram"], at=now) == []
        # The claimer died without a word: after the lease the reply is anyone's again.
        later = now + LEASE + timedelta(seconds=1)
        (again,) = await second.claim_due(["telegram"], LEASE, at=later)
        assert again.id == claimed.id


async def test_sent_retried_and_released_claims_end_as_they_should(where: Path | str) -> None:
    async with Store(where) as store:
        await _say(store, "a", "1", _reply("greeting"), _reply("menu"))
        await _say(store, "b", "2", _reply("greeting"))
        await _say(store, "c", "3", _reply("greeting"))
        now = datetime.now(UTC)
        a, b, c = await store.claim_due(["telegram"], LEASE, at=now)
        # A person's later reply waits behind the claimed one, as behind any pending one.
        assert await store.claim_due(["telegram"], LEASE, at=now) == []
        await store.mark_sent(a.id, at=now)
        (menu,) = await store.claim_due(["telegram"], LEASE, at=now)
        assert menu.key == "menu" and menu.address == "a"
        # A retry's own delay replaces the lease; a release makes it due at once.
        await store.mark_retry(b.id, "timeout", timedelta(seconds=2), at=now)
        await store.release([c.id], at=now)
        assert [i.id for i in await store.claim_due(["telegram"], LEASE, at=now)] == [c.id]
        soon = now + timedelta(seconds=3)
        assert [i.id for i in await store.claim_due(["telegram"], LEASE, at=soon)] == [b.id]
        # Releasing what was sent meanwhile changes nothing.
        await store.mark_sent(menu.id, at=now)
        await store.release([menu.id], at=now)
        assert await store.due(["telegram"], at=soon) == []


async def test_two_claimers_at_once_share_the_outbox_without_overlap(where: Path | str) -> None:
    async with Store(where) as first, Store(where) as second:
        for n in range(40):
            await _say(first, f"p{n}", str(n), Outgoing("menu", {"text": "m", "options": []}))

        async def drain(store: Store) -> list[int]:
            got: list[int] = []
            while items := await store.claim_due(["telegram"], LEASE, limit=3):
                got += [item.id for item in items]
                for item in items:
                    await store.mark_sent(item.id)
            return got

        one, two = await asyncio.gather(drain(first), drain(second))
        assert not set(one) & set(two)
        assert len(one) + len(two) == 40


async def test_no_channels_claims_nothing(where: Path | str) -> None:
    async with Store(where) as store:
        assert await store.claim_due([], LEASE) == []
        await store.release([])


async def test_inbound_claims_keep_each_person_to_one_instance_in_order(
    where: Path | str,
) -> None:
    async with Store(where) as first, Store(where) as second:
        ids = {}
        for n, address in enumerate(("a", "b", "a", "c")):
            received = await first.receive("telegram", address, f"m{n}", "text", {"text": "x"})
            ids[n] = received.inbox_id
        now = datetime.now(UTC)
        assert await first.claim_unprocessed(LEASE, limit=2, at=now) == [ids[0], ids[1]]
        # "a" has a claimed message: its later one waits with it; "c" is free.
        assert await second.claim_unprocessed(LEASE, at=now) == [ids[3]]
        assert await second.claim_unprocessed(LEASE, at=now) == []
        # Once a's first is taken, its second is anyone's.
        await first.take_turn(ids[0], lambda inbound, state, locale: Turn(state="{}", replies=[]))
        assert await second.claim_unprocessed(LEASE, at=now) == [ids[2]]
        # The first claimer died: after its lease, b's message comes back (with the rest,
        # whose leases ran out too).
        later = now + LEASE + timedelta(seconds=1)
        assert await second.claim_unprocessed(LEASE, at=later) == [ids[1], ids[2], ids[3]]
