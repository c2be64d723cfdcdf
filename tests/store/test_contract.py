"""The store contract (bot/store/contract.py), one body per behaviour, run against every
implementation: the ``where`` fixture gives a SQLite file and a fresh PostgreSQL schema
(tests/databases.py), in the style of aiogram's storage tests.

Each group covers a Protocol of the contract: behaviour, ordering and idempotency,
through the contract's own methods only (no SQL), on a FakeClock (bot/clock.py) so no
test waits or rewrites a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FakeClock
from bot.peer.rules import pseudonym
from bot.staff import link_codes, lockout, sessions
from bot.staff.models import Role
from bot.store import (
    Count,
    Outgoing,
    RiskRecord,
    Store,
    StoreContract,
    StoredInbound,
    Turn,
)
from bot.store.records import CheckinBooked, CheckinTurn, PlanSaved, QueueChange, StaffMessage
from bot.store.staff import NameTaken
from bot.store.store import MAX_ATTEMPTS

T0 = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)


class Opened:
    """A store on a fake clock, typed as the contract."""

    def __init__(self, store: StoreContract, clock: FakeClock) -> None:
        self.store, self.clock = store, clock


@pytest.fixture
async def it(where: Path | str) -> AsyncIterator[Opened]:
    clock = FakeClock(T0)
    async with Store(where, clock) as store:
        yield Opened(store, clock)


def _reply(key: str, urgent: bool = False) -> Outgoing:
    return Outgoing(key, {"text": key, "options": []}, urgent)


async def _turn(
    store: StoreContract,
    address: str,
    message_id: str,
    *replies: Outgoing,
    channel: str = "telegram",
    **turn: Any,
) -> str:
    received = await store.receive(channel, address, message_id, "text", {"text": "x"})

    def decide(inbound: StoredInbound, state: str | None, locale: str) -> Turn:
        return Turn(state='{"n": 1}', replies=list(replies), **turn)

    await store.take_turn(received.inbox_id, decide)
    return received.person_id


async def _supporter(store: StoreContract, name: str, *, cap: int = 2) -> str:
    added = await store.staff.add_supporter(
        name, name.title(), Role.SUPPORTER, "h", caseload_cap=cap
    )
    await store.staff.set_shift(added.id, True)
    return added.id


def _render(key: str) -> Any:
    def render(**values: object) -> tuple[str, dict[str, Any]]:
        return key, {"text": key, "values": {k: str(v) for k, v in values.items()}}

    return render


def _clock_render(key: str, **values: object) -> tuple[str, dict[str, Any]]:
    return key, {"text": key}


# -- the clock -----------------------------------------------------------------------


async def test_times_not_given_are_the_stores_clock(it: Opened) -> None:
    await _turn(it.store, "a", "1", _reply("greeting"))
    it.clock.advance(timedelta(minutes=3))
    await it.store.record_counts([Count("plan_made")])
    (count,) = await it.store.counts(kinds=["plan_made"])
    assert datetime.fromisoformat(count["at"]) == T0 + timedelta(minutes=3)
    assert [at for _, at, _ in await it.store.transcript(await _person(it.store, "a"))] == [
        (T0).isoformat(timespec="microseconds"),
        (T0).isoformat(timespec="microseconds"),
    ]


async def _person(store: StoreContract, address: str) -> str:
    found = await store.person_for("telegram", address)
    assert found is not None
    return found


# -- inbox and turns -----------------------------------------------------------------


async def test_receive_is_idempotent_and_one_address_is_one_person(it: Opened) -> None:
    first = await it.store.receive("telegram", "a", "1", "text", {"text": "hi"})
    again = await it.store.receive("telegram", "a", "1", "text", {"text": "hi"})
    second = await it.store.receive("telegram", "a", "2", "text", {"text": "hello"})
    other = await it.store.receive("telegram", "b", "3", "text", {"text": "hi"})
    sms = await it.store.receive("sms", "a", "1", "text", {"text": "hi"})
    # A message id is the channel's: the same id on the channel is the same message.
    assert (await it.store.receive("telegram", "b", "1", "text", {})).duplicate
    assert not first.duplicate and again.duplicate and again.inbox_id == first.inbox_id
    assert second.person_id == first.person_id != other.person_id
    assert sms.person_id != first.person_id  # an address is per channel
    assert await it.store.person_for("telegram", "a") == first.person_id
    assert await it.store.person_for("telegram", "nobody") is None


async def test_unprocessed_are_oldest_first_and_a_turn_is_taken_once(it: Opened) -> None:
    ids = [
        (await it.store.receive("telegram", "a", str(n), "text", {"text": str(n)})).inbox_id
        for n in range(3)
    ]
    assert await it.store.unprocessed() == ids
    assert await it.store.unprocessed(limit=2) == ids[:2]
    seen: list[str | None] = []

    def decide(inbound: StoredInbound, state: str | None, locale: str) -> Turn:
        seen.append(state)
        return Turn(state=f'{{"after": {inbound.body["text"]}}}', replies=[_reply("menu")])

    for inbox_id in ids:
        assert await it.store.take_turn(inbox_id, decide) is not None
    assert await it.store.take_turn(ids[0], decide) is None  # processed already
    assert seen == [None, '{"after": 0}', '{"after": 1}']  # each turn sees the last state
    assert await it.store.unprocessed() == []


async def test_a_turns_replies_risks_and_counts_are_stored_with_it(it: Opened) -> None:
    risk = RiskRecord("urgent", ["suicide"], ["r1"], "v1", alerted=True)
    person = await _turn(
        it.store,
        "a",
        "1",
        _reply("urgent", urgent=True),
        _reply("menu"),
        risks=[risk],
        counts=[Count("signpost", "svc-1")],
    )
    replies = await it.store.replies_after(person, 0)
    assert [(r.key, r.urgent, r.status) for r in replies] == [
        ("urgent", True, "pending"),
        ("menu", False, "pending"),
    ]
    (event,) = await it.store.risk_events(person)
    assert event["level"] == "urgent" and event["alerted"]
    (message,) = await it.store.risk_messages(person)
    assert message.rules == ("r1",) and message.text == "x"
    kinds = [c["kind"] for c in await it.store.counts()]
    assert kinds.count("contact") == 1 and kinds.count("signpost") == 1


async def test_opt_outs_and_web_tokens(it: Opened) -> None:
    await it.store.receive("sms", "+447700900001", "1", "text", {"text": "STOP"}, opt_out=True)
    assert await it.store.opted_out("sms", "+447700900001")
    await it.store.receive("sms", "+447700900001", "2", "text", {"text": "START"}, opt_out=False)
    assert not await it.store.opted_out("sms", "+447700900001")
    await it.store.set_opted_out("sms", "+447700900001")
    await it.store.set_opted_out("sms", "+447700900001")  # idempotent: the first stands
    assert await it.store.opted_out("sms", "+447700900001")

    assert not await it.store.web_token_issued("hash-1")
    await it.store.issue_web_token("hash-1")
    await it.store.issue_web_token("hash-1")  # idempotent
    assert await it.store.web_token_issued("hash-1")


# -- outbox --------------------------------------------------------------------------


async def test_due_is_urgent_first_and_never_overtakes_a_persons_earlier_reply(
    it: Opened,
) -> None:
    await _turn(it.store, "a", "1", _reply("greeting"), _reply("menu"))
    await _turn(it.store, "b", "2", _reply("urgent", urgent=True))
    due = await it.store.due(["telegram"])
    assert [(item.address, item.key) for item in due] == [("b", "urgent"), ("a", "greeting")]
    assert await it.store.due(["sms"]) == [] and await it.store.due([]) == []
    await it.store.mark_sent(due[1].id, channel_message_id="tg-1")
    assert [item.key for item in await it.store.due(["telegram"])] == ["urgent", "menu"]


async def test_a_retry_waits_on_the_clock_and_is_bounded(it: Opened) -> None:
    await _turn(it.store, "a", "1", _reply("greeting"))
    (item,) = await it.store.due(["telegram"])
    assert await it.store.mark_retry(item.id, "timeout", timedelta(seconds=30)) == "pending"
    assert await it.store.due(["telegram"]) == []
    it.clock.advance(timedelta(seconds=31))
    assert len(await it.store.due(["telegram"])) == 1
    for _ in range(MAX_ATTEMPTS - 1):
        status = await it.store.mark_retry(item.id, "timeout", timedelta(0))
    assert status == "failed"
    (failed,) = await it.store.failed_deliveries()
    assert failed.outbox_id == item.id and failed.reason == "timeout"
    assert failed.failed_at == it.clock()
    assert not hasattr(failed, "address")  # leads see whose, never the address


async def test_delivery_reports_are_idempotent_and_never_step_back(it: Opened) -> None:
    await _turn(it.store, "a", "1", _reply("greeting"))
    (item,) = await it.store.due(["telegram"])
    assert await it.store.record_delivery("telegram", "nope", "sent", "sent") is None
    await it.store.mark_sent(item.id, channel_message_id="m-1")
    sent = await it.store.record_delivery("telegram", "m-1", "sent", "sent")
    assert sent is not None and sent.changed and sent.status == "sent"
    back = await it.store.record_delivery("telegram", "m-1", "queued", "sent")
    assert back is not None and not back.changed  # late and out of order: ignored
    done = await it.store.record_delivery("telegram", "m-1", "delivered", "delivered")
    assert done is not None and done.changed and done.status == "delivered"
    again = await it.store.record_delivery("telegram", "m-1", "delivered", "delivered")
    assert again is not None and not again.changed and again.status == "delivered"


async def test_pulled_replies_come_in_order_and_are_marked_once(it: Opened) -> None:
    person = await _turn(it.store, "w", "1", _reply("one"), _reply("two"), channel="web")
    first, second = await it.store.replies_after(person, 0)
    assert [r.key for r in await it.store.replies_after(person, first.id)] == ["two"]
    await it.store.mark_delivered([first.id, second.id])
    await it.store.mark_delivered([first.id])  # idempotent
    await it.store.mark_delivered([])
    assert {r.status for r in await it.store.replies_after(person, 0)} == {"delivered"}


async def test_an_unreachable_address_fails_its_pending_replies(it: Opened) -> None:
    await _turn(it.store, "a", "1", _reply("greeting"))
    await it.store.mark_unreachable("telegram", "a", "blocked")
    assert await it.store.due(["telegram"]) == []
    assert [f.reason for f in await it.store.failed_deliveries()] == ["blocked"]


# -- reports -------------------------------------------------------------------------


async def test_counts_are_kept_in_order_within_their_window(it: Opened) -> None:
    with pytest.raises(ValueError, match="unknown count kinds"):
        await it.store.record_counts([Count("not_a_kind")])
    await it.store.record_counts([Count("plan_made")], at=T0)
    await it.store.record_counts([Count("feedback", "s1", 1.0)], at=T0 + timedelta(hours=1))
    await it.store.record_counts([Count("plan_made")], at=T0 + timedelta(hours=2))
    assert [c["kind"] for c in await it.store.counts()] == ["plan_made", "feedback", "plan_made"]
    window = await it.store.counts(T0 + timedelta(minutes=1), T0 + timedelta(hours=2))
    assert [c["kind"] for c in window] == ["feedback"]  # [since, until)
    assert len(await it.store.counts(kinds=["plan_made"])) == 2


# -- queue and desk ------------------------------------------------------------------


async def _join(store: StoreContract, address: str, priority: int = 0) -> str:
    join = QueueChange(join=(priority, "", False))
    return await _turn(store, address, f"join-{address}", queue=join)


async def test_the_queue_is_urgent_first_then_first_come(it: Opened) -> None:
    await _join(it.store, "a")
    it.clock.advance(timedelta(minutes=1))
    await _join(it.store, "b")
    it.clock.advance(timedelta(minutes=1))
    await _join(it.store, "c", priority=2)
    waiting = await it.store.peer.waiting()
    people = [await _person(it.store, x) for x in "cab"]
    assert [h.person_id for h in waiting] == people
    assert [h.person for h in waiting] == [pseudonym(p) for p in people]


async def test_joining_twice_keeps_one_open_handoff(it: Opened) -> None:
    person = await _join(it.store, "a")
    await _turn(it.store, "a", "again", queue=QueueChange(join=(0, "", False)))
    assert len(await it.store.peer.waiting()) == 1
    latest = await it.store.peer.latest_for(person)
    assert latest is not None and latest.status == "waiting"


async def test_two_supporters_taking_at_once_never_get_the_same_person(it: Opened) -> None:
    await _join(it.store, "a")
    sam, kim = await _supporter(it.store, "sam"), await _supporter(it.store, "kim")
    taken = await asyncio.gather(
        it.store.peer.take(sam, _render("peer_joined")),
        it.store.peer.take(kim, _render("peer_joined")),
    )
    assert sum(t is not None for t in taken) == 1
    assert await it.store.peer.waiting() == []


async def test_a_supporter_at_their_cap_takes_nobody(it: Opened) -> None:
    await _join(it.store, "a")
    await _join(it.store, "b")
    sam = await _supporter(it.store, "sam", cap=1)
    assert await it.store.peer.take(sam, _render("peer_joined")) is not None
    assert await it.store.peer.take(sam, _render("peer_joined")) is None
    assert len(await it.store.peer.mine(sam)) == 1


async def test_take_release_end_and_the_person_hears_each(it: Opened) -> None:
    person = await _join(it.store, "a")
    sam = await _supporter(it.store, "sam")
    taken = await it.store.peer.take(sam, _render("peer_joined"))
    assert taken is not None and taken.status == "active" and taken.supporter_id == sam
    assert await it.store.peer.say(sam, taken.id, "peer_message", {"text": "hello"})
    assert not await it.store.peer.say("s-nobody", taken.id, "peer_message", {"text": "x"})
    assert await it.store.peer.release(sam, taken.id, _render("peer_released"))
    assert not await it.store.peer.release(sam, taken.id, _render("peer_released"))  # once
    again = await it.store.peer.take(sam, _render("peer_joined"), taken.id)
    assert again is not None and again.joined_at == taken.joined_at  # kept their place
    ended = await it.store.peer.end(sam, taken.id, ["listened"], "note", _render("peer_ended"))
    assert ended is not None and ended.status == "ended" and ended.handover_note == "note"
    assert await it.store.peer.end(sam, taken.id, [], None, _render("peer_ended")) is None
    keys = [r.key for r in await it.store.replies_after(person, 0)]
    assert keys == ["peer_joined", "peer_message", "peer_released", "peer_joined", "peer_ended"]
    assert [h.id for h in await it.store.peer.history(person)] == [taken.id]


async def test_the_queue_clock_asks_the_silent_then_closes_once(it: Opened) -> None:
    person = await _join(it.store, "a")
    sam = await _supporter(it.store, "sam")
    taken = await it.store.peer.take(sam, _render("peer_joined"))
    assert taken is not None
    assert await it.store.peer.tick(_clock_render) == []
    it.clock.advance(timedelta(minutes=21))
    assert [what for what, _ in await it.store.peer.tick(_clock_render)] == ["ask"]
    assert await it.store.peer.tick(_clock_render) == []  # asked once
    it.clock.advance(timedelta(minutes=11))
    ((what, closed),) = await it.store.peer.tick(_clock_render)
    assert what == "close" and closed.status == "ended" and closed.ended_by == "silence"
    assert await it.store.peer.tick(_clock_render) == []
    assert (await it.store.peer.latest_for(person)).ended_at == it.clock()  # type: ignore[union-attr]


async def test_telegram_focus_and_staff_alerts(it: Opened) -> None:
    await _join(it.store, "a")
    await _join(it.store, "b")
    sam = await _supporter(it.store, "sam")
    first = await it.store.peer.take(sam, _render("peer_joined"))
    assert first is not None and await it.store.peer.focus(sam) == first.id  # the only one
    second = await it.store.peer.take(sam, _render("peer_joined"))
    assert second is not None and await it.store.peer.focus(sam) is None  # must choose
    assert await it.store.peer.focus(sam, second.id) == second.id
    assert await it.store.peer.focus(sam) == second.id

    code, kept = link_codes.issue(sam, it.clock())
    await it.store.staff.add_link_code(kept)
    assert await it.store.staff.link_telegram(code, "900", it.clock()) is not None
    await it.store.peer.alert([StaffMessage(f"supporter:{sam}", "new", urgent=True)])
    await it.store.peer.alert([StaffMessage("leads", "to nobody")])  # no lead: no row
    (item,) = await it.store.peer.staff_due()
    assert item["chat_id"] == "900" and item["body"] == {"text": "new"}
    for _ in range(8):
        await it.store.peer.staff_done(item["id"], "timeout", timedelta(0))
    assert await it.store.peer.staff_due() == []  # given up after STAFF_MAX_ATTEMPTS

    assert await it.store.peer.first_time("u-1")
    assert not await it.store.peer.first_time("u-1")  # acted on once


# -- staff ---------------------------------------------------------------------------


async def test_names_are_unique_and_sessions_live_on_the_clock(it: Opened) -> None:
    ann = await it.store.staff.add_supporter("ann", "Ann", Role.SUPPORTER, "h")
    with pytest.raises(NameTaken):
        await it.store.staff.add_supporter("ann", "Other", Role.SUPPORTER, "h")
    token, session = sessions.new_session(ann.id, it.clock())
    await it.store.staff.add_session(session)
    found = await it.store.staff.lookup_session(token)
    assert found is not None and found[0].id == ann.id
    it.clock.advance(sessions.IDLE_LIMIT)
    assert await it.store.staff.lookup_session(token) is None


async def test_failed_logins_are_counted_one_after_another(it: Opened) -> None:
    at = it.clock()
    tries = await asyncio.gather(
        *(
            it.store.staff.change_login_failures("ann", lambda f: lockout.start_try(f, at))
            for _ in range(lockout.MAX_FAILURES + 3)
        )
    )
    assert sum(t is not None for t in tries) == lockout.MAX_FAILURES
    assert lockout.is_locked(await it.store.staff.login_failures("ann"), at)
    await it.store.staff.clear_login_failures("ann")
    assert (await it.store.staff.login_failures("ann")).count == 0


# -- while you wait ------------------------------------------------------------------


def _compose(state: str | None, locale: str, kind: str = "") -> CheckinTurn:
    return CheckinTurn('{"step": "checkin_sent"}', [_reply("checkin_message")], [])


async def test_one_checkin_waits_and_is_sent_once_when_due(it: Opened) -> None:
    due = T0 + timedelta(hours=1)
    person = await _turn(
        it.store,
        "a",
        "1",
        wait=[PlanSaved({"signs": "x"}), CheckinBooked(due - timedelta(minutes=5), "hour")],
    )
    await _turn(it.store, "a", "2", wait=[CheckinBooked(due, "hour")])  # replaces it
    assert await it.store.wait.plan(person) == {"signs": "x"}
    assert [c["status"] for c in await it.store.wait.checkins(person)].count("pending") == 1
    assert await it.store.wait.next_checkin_due() == due
    assert await it.store.wait.send_due_checkins(it.clock(), _compose) == []
    it.clock.set(due)
    assert await it.store.wait.send_due_checkins(it.clock(), _compose) == [person]
    assert await it.store.wait.send_due_checkins(it.clock(), _compose) == []
    assert await it.store.wait.next_checkin_due() is None


# -- privacy -------------------------------------------------------------------------


async def test_a_block_lasts_until_lifted(it: Opened) -> None:
    person = await _turn(it.store, "a", "1")
    await it.store.block(person, it.clock() + timedelta(hours=1), "abuse", "s-lead")
    block = await it.store.active_block(person)
    assert block is not None and block.reason == "abuse"
    it.clock.advance(timedelta(hours=2))
    assert await it.store.active_block(person) is None  # ran out
    await it.store.block(person, it.clock() + timedelta(hours=1), "abuse", "s-lead")
    assert await it.store.unblock(person) == 1
    assert await it.store.unblock(person) == 0  # idempotent
    assert await it.store.blocks(active_only=True) == []


async def test_purge_keeps_the_recent_and_forgets_the_old(it: Opened) -> None:
    old = await _turn(it.store, "old", "1", _reply("menu"))
    it.clock.advance(timedelta(days=100))
    recent = await _turn(it.store, "new", "2", _reply("menu"))
    dry = await it.store.purge(it.clock(), timedelta(days=90), dry_run=True)
    assert dry.dry_run and dry.people == 1
    assert await it.store.transcript(old)  # nothing deleted by a dry run
    result = await it.store.purge(it.clock(), timedelta(days=90))
    assert result.people == 1
    assert await it.store.transcript(old) == [] and await it.store.transcript(recent)
