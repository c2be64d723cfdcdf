"""The queue's rules, pure: priority, first come first served, caps, tags, breaks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.peer import queue
from bot.peer.queue import Desk, Waiting
from bot.risk import Level

NOW = datetime(2026, 11, 28, 20, tzinfo=UTC)


def _w(
    handoff_id: int, minutes_ago: int, level: Level = Level.NONE, carer: bool = False
) -> Waiting:
    return Waiting(
        handoff_id,
        f"Guest-{handoff_id}",
        level,
        NOW - timedelta(minutes=minutes_ago),
        frozenset({"carer"}) if carer else frozenset(),
    )


def _desk(desk_id: str = "s1", **kwargs: object) -> Desk:
    values: dict[str, object] = {"on_shift": True, "cap": 2, "active": 0, **kwargs}
    return Desk(desk_id, **values)  # type: ignore[arg-type]


def test_urgent_then_concern_then_the_rest_first_come_first_served() -> None:
    waiting = [_w(1, 30), _w(2, 20, Level.CONCERN), _w(3, 5, Level.URGENT), _w(4, 40)]
    assert [w.handoff_id for w in queue.ordered(waiting)] == [3, 2, 4, 1]
    assert queue.position(waiting, 4) == 3
    assert queue.position(waiting, 99) is None


def test_turning_urgent_moves_a_person_to_the_front() -> None:
    waiting = [_w(1, 30), _w(2, 20)]
    assert queue.position(waiting, 2) == 2
    waiting[1] = _w(2, 20, Level.URGENT)
    assert queue.position(waiting, 2) == 1


def test_a_full_caseload_a_break_or_being_off_shift_takes_nobody() -> None:
    waiting = [_w(1, 5)]
    assert queue.next_for(_desk(active=2), waiting, [], NOW) is None
    assert queue.next_for(_desk(cap=1, active=1), waiting, [], NOW) is None
    assert queue.next_for(_desk(on_shift=False), waiting, [], NOW) is None
    on_break = _desk(break_until=NOW + timedelta(minutes=10))
    assert queue.next_for(on_break, waiting, [], NOW) is None
    after_break = _desk(break_until=NOW - timedelta(minutes=1))
    assert queue.next_for(after_break, waiting, [], NOW) == waiting[0]


def test_a_carer_is_left_for_a_carer_peer_while_one_has_room() -> None:
    carer, other = _w(1, 30, carer=True), _w(2, 10)
    plain = _desk("s1")
    peer = _desk("s2", tags=frozenset({"carer"}))
    assert queue.next_for(plain, [carer, other], [plain, peer], NOW) == other
    assert queue.next_for(peer, [carer, other], [plain, peer], NOW) == carer
    full_peer = _desk("s2", tags=frozenset({"carer"}), active=2)
    assert queue.next_for(plain, [carer, other], [plain, full_peer], NOW) == carer


def test_nobody_urgent_waits_for_a_match() -> None:
    carer = _w(1, 1, Level.URGENT, carer=True)
    plain, peer = _desk("s1"), _desk("s2", tags=frozenset({"carer"}))
    assert queue.next_for(plain, [carer], [plain, peer], NOW) == carer


def test_transfer_targets_are_others_on_shift_with_room() -> None:
    desks = [
        _desk("me"),
        _desk("full", active=2),
        _desk("off", on_shift=False),
        _desk("resting", break_until=NOW + timedelta(minutes=5)),
        _desk("free"),
    ]
    assert [d.id for d in queue.transfer_targets(desks, "me", NOW)] == ["free"]


def test_the_likely_wait_is_honest_about_too_few_waits() -> None:
    assert queue.likely_wait([600, 700]) is None
    assert queue.likely_wait([60, 600, 1500]) == timedelta(minutes=10)
    assert queue.likely_wait([10, 20, 30]) == timedelta(minutes=5)


def test_position_updates_when_it_changes_and_every_few_minutes() -> None:
    assert queue.position_update_due(3, None, None, NOW)
    assert queue.position_update_due(2, 3, NOW, NOW)
    assert not queue.position_update_due(3, 3, NOW - timedelta(minutes=2), NOW)
    assert queue.position_update_due(3, 3, NOW - queue.POSITION_EVERY, NOW)


def test_silence_asks_then_closes() -> None:
    last = NOW - queue.STILL_THERE_AFTER
    assert queue.silence(NOW - timedelta(minutes=5), None, NOW) is None
    assert queue.silence(last, None, NOW) == queue.Silence("ask")
    assert queue.silence(last, NOW, NOW + timedelta(minutes=1)) is None
    closing = NOW + queue.CLOSE_AFTER_ASKING
    assert queue.silence(last, NOW, closing) == queue.Silence("close")
    # They wrote after being asked: the clock starts again.
    assert queue.silence(NOW + timedelta(minutes=1), NOW, closing) is None


def test_a_debrief_is_offered_after_urgent_or_long_conversations() -> None:
    assert queue.debrief_offered(True, NOW, NOW + timedelta(minutes=5))
    assert queue.debrief_offered(False, NOW, NOW + queue.LONG_CONVERSATION)
    assert queue.debrief_offered(False, NOW, NOW + timedelta(minutes=5), escalated=True)
    assert not queue.debrief_offered(False, NOW, NOW + timedelta(minutes=10))


@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 500), st.booleans()),
        min_size=1,
        max_size=30,
        unique_by=lambda t: t[1],
    ),
    st.booleans(),
)
def test_whoever_is_taken_nobody_more_urgent_waited_longer_for_the_same_desk(
    rows: list[tuple[int, int, bool]], tagged: bool
) -> None:
    waiting = [
        _w(i, minutes, Level(level), carer) for i, (level, minutes, carer) in enumerate(rows)
    ]
    desk = _desk("s1", tags=frozenset({"carer"}) if tagged else frozenset())
    taken = queue.next_for(desk, waiting, [desk], NOW)
    # With no other desk, nobody is held for a match: the head of the queue is taken.
    assert taken == queue.ordered(waiting)[0]


# -- what a turn does, and the clock (moved out of the store, issue 18) -----------------


def test_a_turn_only_raises_and_leaving_or_ending_fits_the_state() -> None:
    raised = queue.after_turn("waiting", Level.CONCERN, Level.URGENT, leave=False, end=False)
    assert raised == queue.TurnOutcome(Level.CONCERN, urgent_now=True, closes=None)
    same = queue.after_turn("waiting", Level.URGENT, Level.NONE, leave=False, end=False)
    assert same == queue.TurnOutcome(None, urgent_now=False, closes=None)
    up = queue.after_turn("active", Level.NONE, Level.CONCERN, leave=False, end=False)
    assert up.raised_from is Level.NONE and not up.urgent_now
    assert queue.after_turn("waiting", 0, 0, leave=True, end=False).closes == "left"
    assert queue.after_turn("active", 0, 0, leave=True, end=False).closes is None
    assert queue.after_turn("active", 0, 0, leave=False, end=True).closes == "ended"
    assert queue.after_turn("waiting", 0, 0, leave=False, end=True).closes is None


def _q(
    handoff_id: int, minutes_ago: int, sent: int | None = None, off: bool = False
) -> queue.Queued:
    at = NOW - timedelta(minutes=1) if sent is not None else None
    return queue.Queued(_w(handoff_id, minutes_ago), off, sent, at)


def test_the_clock_tells_changed_positions_and_none_overnight() -> None:
    queued = [_q(1, 30, sent=1), _q(2, 20, sent=1), _q(3, 10, off=True)]
    assert queue.tick(queued, [], anyone_on=True, now=NOW).positions == ((2, 2), (3, 3))
    assert queue.tick(queued, [], anyone_on=False, now=NOW).positions == ((2, 2),)
    later = NOW + queue.POSITION_EVERY
    assert [h for h, _ in queue.tick(queued, [], True, later).positions] == [1, 2, 3]


def test_the_clock_asks_the_silent_then_closes() -> None:
    quiet = NOW - queue.STILL_THERE_AFTER
    live = [
        queue.Live(1, quiet, None, None),
        queue.Live(2, NOW, None, None),
        queue.Live(3, quiet, None, NOW - queue.CLOSE_AFTER_ASKING),
        queue.Live(4, None, quiet, None),  # never wrote since being taken
    ]
    found = queue.tick([], live, anyone_on=True, now=NOW).quiet
    assert [(h, s.action) for h, s in found] == [(1, "ask"), (3, "close"), (4, "ask")]
