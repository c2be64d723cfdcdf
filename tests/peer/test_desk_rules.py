"""The desk's pure rules: who may read what and for how long, unread counts, why a
supporter cannot take anyone, alerts, reachable leads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.peer import rules

NOW = datetime(2026, 12, 1, 21, 0, tzinfo=UTC)
WRAP = timedelta(minutes=15)


def test_a_supporter_reads_their_own_open_conversation() -> None:
    assert rules.may_read(rules.Held("sam", "active", None), "sam", NOW, WRAP)
    assert not rules.may_read(rules.Held("jo", "active", None), "sam", NOW, WRAP)


def test_after_the_end_only_for_the_wrap_up_window() -> None:
    ended = rules.Held("sam", "ended", NOW - timedelta(minutes=14))
    assert rules.may_read(ended, "sam", NOW, WRAP)
    late = rules.Held("sam", "ended", NOW - timedelta(minutes=16))
    assert not rules.may_read(late, "sam", NOW, WRAP)
    # Released back to the queue: no longer theirs at all.
    assert not rules.may_read(rules.Held(None, "waiting", None), "sam", NOW, WRAP)


def test_a_lead_reads_live_conversations_only() -> None:
    assert rules.lead_may_read(rules.Held("sam", "active", None))
    assert not rules.lead_may_read(rules.Held("sam", "ended", NOW))


def test_the_window_starts_where_the_last_handoff_ended() -> None:
    before = NOW - timedelta(days=1)
    start, end = rules.window(NOW - timedelta(minutes=5), None, before)
    assert (start, end) == (before, None)
    assert not rules.in_window(before, start, end)
    assert rules.in_window(NOW, start, end)
    assert not rules.in_window(NOW, None, NOW - timedelta(seconds=1))


def test_unread_counts_lines_after_the_cursor() -> None:
    assert rules.unread([3, 5, 9], None) == 3
    assert rules.unread([3, 5, 9], 5) == 1
    assert rules.unread([], 5) == 0


def test_why_a_supporter_cannot_take() -> None:
    assert rules.take_blocked(False, False, 0, 2) == ("off_shift", {})
    assert rules.take_blocked(True, True, 0, 2) == ("on_break", {})
    assert rules.take_blocked(True, False, 2, 2) == ("at_cap", {"active": 2, "cap": 2})
    assert rules.take_blocked(True, False, 1, 2) is None


def test_alerts_and_leads() -> None:
    assert rules.clean_muted(["line", "bogus", "new", "new"]) == ["new", "line"]
    assert rules.wanted_alerts(["new"]) == ["urgent", "transfer", "line"]
    assert rules.reachable_leads([("a", False), ("b", True), ("c", False)], {"c"}) == ["b", "c"]
    assert rules.reachable_leads([("a", False)], set()) == []


def test_only_the_line_that_raised_it() -> None:
    assert rules.raised_by({"level": "urgent", "alerted": True})
    assert not rules.raised_by({"level": "urgent", "alerted": False})
    assert not rules.raised_by(None)


# -- rules moved out of the store (issue 18) -----------------------------------------


def test_a_pseudonym_is_six_hex_digits_of_the_id_and_reads_back() -> None:
    assert rules.pseudonym("p-3fa2c1d4e5f60718") == "Guest-3FA2C1"
    assert rules.pseudonym_code(" guest-3FA2C1 ") == "3fa2c1"
    assert rules.pseudonym_code("Guest-3FA2C") is None  # too short
    assert rules.pseudonym_code("Guest-3FA2CZ") is None  # not hex
    assert rules.pseudonym_code("+447700900123") is None


def test_notes_are_capped_and_an_empty_handover_note_is_none() -> None:
    assert rules.note_text("x" * 5000) == "x" * rules.MAX_NOTE
    assert rules.handover_note("  ") is None
    assert rules.handover_note(" kind words ") == "kind words"
    assert rules.handover_note("y" * 5000) == "y" * rules.MAX_HANDOVER


def test_a_staff_message_is_for_one_supporter_those_on_shift_or_the_leads() -> None:
    assert rules.audience("supporter:s-1") == rules.Audience("supporter", "s-1")
    assert rules.audience("on_shift") == rules.Audience("on_shift")
    assert rules.audience("leads") == rules.Audience("leads")
    assert rules.audience("anything else") == rules.Audience("leads")  # fails safe: leads


def test_telegram_focus_is_the_one_set_else_the_only_live_one() -> None:
    assert rules.focus([]) is None
    assert rules.focus([(7, False)]) == 7
    assert rules.focus([(7, False), (8, False)]) is None  # they must choose
    assert rules.focus([(7, False), (8, True)]) == 8
