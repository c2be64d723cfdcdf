"""The report's figures against hand-worked ones: suppression, local days, waits."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.reports import (
    Shown,
    bounds,
    build_report,
    columns,
    count,
    csv_rows,
    default_range,
    derived,
    rows,
    share,
    total,
)
from bot.reports.charts import nice_ceiling

LONDON = ZoneInfo("Europe/London")
HIDDEN = Shown(None, hidden=True)
WITHHELD = Shown(None, withheld=True)


def _row(at: str, kind: str, **fields: Any) -> dict[str, Any]:
    return {
        "at": at,
        "kind": kind,
        "channel": "",
        "audience": "",
        "detail": "",
        "value": None,
        **fields,
    }


def _rows(n: int, at: str, kind: str, **fields: Any) -> list[dict[str, Any]]:
    return [_row(at, kind, **fields) for _ in range(n)]


def test_counts_of_0_4_and_5() -> None:
    assert count(0) == Shown(0)
    assert count(1) == HIDDEN
    assert count(4) == HIDDEN
    assert count(5) == Shown(5)


def test_derived_figures_hide_with_a_small_base() -> None:
    assert derived(120.0, 4) == WITHHELD
    assert derived(120.0, 5) == Shown(120.0)
    assert derived(None, 0).empty
    assert share(3, 10) == WITHHELD  # the part would be given away
    assert share(0, 10) == Shown(0)
    assert share(5, 4) == WITHHELD
    assert share(5, 10, WITHHELD) == WITHHELD
    assert share(5, 10) == Shown(50)
    assert share(0, 0).empty


def test_a_week_of_figures_worked_by_hand() -> None:
    day = "2026-06-10T12:00:00+00:00"
    counts = [
        *_rows(6, day, "contact", channel="telegram"),
        *_rows(3, day, "contact", channel="sms", audience="carer"),
        *_rows(5, day, "contact", channel="web", audience="carer"),
        *_rows(7, day, "signpost", detail="cafe"),
        *_rows(2, day, "signpost", detail="haven"),
        *_rows(5, day, "queue_join", detail="urgent"),
        *[_row(day, "queue_wait", value=float(v)) for v in (60, 120, 180, 240, 600, 900)],
        *_rows(4, day, "queue_left"),
        *_rows(5, day, "escalation", detail="lead"),
        *_rows(5, day, "feedback", detail="warm", value=1.0),
        *_rows(2, day, "feedback", detail="warm", value=0.5),
        *_rows(1, day, "feedback", detail="warm", value=0.0),
        *_rows(5, day, "plan_made"),
        *_rows(10, day, "checkin_sent"),
        *_rows(5, day, "checkin_answered"),
    ]
    risks = [
        *[{"at": day, "level": "urgent", "alerted": 1} for _ in range(5)],
        {"at": day, "level": "urgent", "alerted": 0},
        {"at": day, "level": "concern", "alerted": 1},
    ]
    names = {"cafe": "The Sanctuary crisis café"}
    report = build_report(counts, risks, date(2026, 6, 8), date(2026, 6, 14), LONDON, names)
    assert len(report.days) == 7
    assert report.channels == ("telegram", "sms", "web")
    assert report.days[2].by_channel == (Shown(6), HIDDEN, Shown(5))
    assert report.days[0].by_channel == (Shown(0), Shown(0), Shown(0))
    # 14 less telegram's 6 and the web's 5 would give the SMS's 3 away
    assert report.contacts == WITHHELD
    assert report.contacts_by_channel == (Shown(6), HIDDEN, Shown(5))
    assert report.people == Shown(6)
    assert report.carers == Shown(8)
    assert [(s.label, s.shown) for s in report.signposts] == [
        ("The Sanctuary crisis café", Shown(7)),
        ("haven", HIDDEN),  # not in the directory: its id is shown
    ]
    assert [(q.key, q.shown) for q in report.queue_joins] == [
        ("urgent", Shown(5)),
        ("concern", Shown(0)),
        ("none", Shown(0)),
    ]
    assert report.waits.taken == Shown(6)
    assert report.waits.median == Shown(210.0)  # (180 + 240) / 2
    # inclusive method: position 0.9 * 5 = 4.5 between 600 and 900
    assert report.waits.p90 == Shown(750.0)
    assert report.queue_left == HIDDEN
    assert report.escalations == Shown(5)
    assert report.urgent_flags == Shown(5)  # not the one that alerted nobody, not concern
    warm = report.feedback[1]
    assert warm.statement == "warm"
    assert warm.answers == (Shown(5), HIDDEN, HIDDEN)
    assert warm.total == WITHHELD  # 8 less 5 yes: the 2 partly and 1 no add up to 3
    assert warm.yes_share == WITHHELD
    assert report.feedback[0].answers == (Shown(0), Shown(0), Shown(0))
    assert report.feedback[0].yes_share.empty
    assert report.plans_made == Shown(5)
    assert report.checkins_answered_share == Shown(50)


def test_a_median_of_four_waits_is_hidden() -> None:
    day = "2026-06-10T12:00:00+00:00"
    waits = [_row(day, "queue_wait", value=v) for v in (60.0, 60.0, 60.0, 60.0)]
    report = build_report(waits, [], date(2026, 6, 10), date(2026, 6, 10), LONDON)
    assert report.waits.taken == HIDDEN
    assert report.waits.median == WITHHELD
    assert report.waits.p90 == WITHHELD
    empty = build_report([], [], date(2026, 6, 10), date(2026, 6, 10), LONDON)
    assert empty.waits.taken == Shown(0)
    assert empty.waits.median.empty


def test_days_are_london_days_across_the_october_clock_change() -> None:
    # Clocks go back at 02:00 BST on 25 October 2026 (01:00 UTC): that day has 25 hours.
    first, last = date(2026, 10, 25), date(2026, 10, 25)
    since, until = bounds(first, last, LONDON)
    assert since == datetime(2026, 10, 24, 23, 0, tzinfo=UTC)
    assert until == datetime(2026, 10, 26, 0, 0, tzinfo=UTC)
    counts = [
        *_rows(5, "2026-10-24T22:59:59+00:00", "contact", channel="web"),  # 23:59 BST, the 24th
        *_rows(5, "2026-10-24T23:00:00+00:00", "contact", channel="web"),  # 00:00 BST, the 25th
        *_rows(5, "2026-10-25T23:59:59+00:00", "contact", channel="web"),  # 23:59 GMT, the 25th
        *_rows(5, "2026-10-26T00:00:00+00:00", "contact", channel="web"),  # 00:00 GMT, the 26th
    ]
    report = build_report(counts, [], date(2026, 10, 24), date(2026, 10, 26), LONDON)
    assert [d.by_channel[2] for d in report.days] == [Shown(5), Shown(10), Shown(5)]


def test_the_default_range_is_the_last_28_local_days() -> None:
    # 23:30 UTC on 31 July is already 1 August in London.
    first, last = default_range(datetime(2026, 7, 31, 23, 30, tzinfo=UTC), LONDON)
    assert (first, last) == (date(2026, 7, 5), date(2026, 8, 1))


def test_the_csv_rows_hide_the_same_way() -> None:
    day = "2026-06-10T12:00:00+00:00"
    counts = [*_rows(4, day, "contact", channel="sms"), *_rows(5, day, "plan_made")]
    report = build_report(counts, [], date(2026, 6, 10), date(2026, 6, 10), LONDON)
    out = csv_rows(report, "fewer than 5", "withheld")
    assert ("contacts", "", "", "", "fewer than 5") in out
    assert ("contacts", "2026-06-10", "sms", "", "fewer than 5") in out
    assert ("contacts", "2026-06-10", "web", "", "0") in out
    assert ("plans_made", "", "", "", "5") in out
    assert ("queue_wait_median_seconds", "", "", "", "") in out
    assert all(row[4] != "4" for row in out)


def test_totals_are_withheld_when_they_would_give_a_small_count_away() -> None:
    shown = [(6, Shown(6)), (5, Shown(5))]
    assert total(11, shown) == Shown(11)
    assert total(14, [*shown, (3, HIDDEN)]) == WITHHELD
    # two hidden parts adding up to 5 or more: the total gives away only their sum
    assert total(18, [*shown, (3, HIDDEN), (4, HIDDEN)]) == Shown(18)
    # the one part not shown is a withheld total: subtracting would give it away
    assert total(20, [(9, Shown(9)), (11, WITHHELD)]) == WITHHELD
    assert total(3, [(3, HIDDEN)]) == HIDDEN
    assert total(0, [(0, Shown(0))]) == Shown(0)
    # every breakdown of the same total is checked
    assert total(11, shown, [(8, Shown(8)), (3, HIDDEN)]) == WITHHELD


def test_a_hidden_bar_is_drawn_at_four_whatever_it_hides() -> None:
    one = columns([(date(2026, 6, 10), [HIDDEN]), (date(2026, 6, 11), [Shown(10)])])
    assert nice_ceiling(10) == 10
    hidden, shown = one.bars[0].rects[0], one.bars[1].rects[0]
    assert hidden.hidden and not shown.hidden
    assert hidden.height == round(shown.height * 4 / 10, 1)
    sideways = rows([("warm", [Shown(5), HIDDEN, Shown(0)])])
    assert [r.hidden for r in sideways.bars[0].rects] == [False, True]
    assert (
        sideways.bars[0].rects[1].x == sideways.bars[0].rects[0].x + sideways.bars[0].rects[0].width
    )


def test_nice_scales() -> None:
    assert [nice_ceiling(v) for v in (0, 3, 6, 11, 21, 51, 101)] == [5, 5, 10, 20, 50, 100, 200]


def test_joins_by_the_highest_priority_reached_rungs_by_name_and_outcome_tags() -> None:
    at = "2026-06-10T12:00:00+00:00"
    counts = [
        *_rows(6, at, "queue_join", detail="none"),
        *_rows(5, at, "queue_raise", detail="none>urgent"),
        *_rows(5, at, "escalation", detail="1"),
        *_rows(5, at, "peer_end", detail="signposted"),
        *_rows(2, at, "peer_end", detail="escalated"),
    ]
    ladder = {"0": "Talk to the shift lead", "1": "Call the crisis team"}
    report = build_report(counts, [], date(2026, 6, 10), date(2026, 6, 10), LONDON, {}, ladder)
    joins = {line.key: line.shown for line in report.queue_joins}
    assert joins["urgent"] == Shown(5) and joins["none"] == HIDDEN  # 1 left at "none"
    assert [(line.label, line.shown) for line in report.escalations_by_rung] == [
        ("Call the crisis team", Shown(5))
    ]
    outcomes = {line.key: line.shown for line in report.outcomes}
    assert outcomes == {"signposted": Shown(5), "escalated": HIDDEN}
    rows = csv_rows(report, "fewer than 5", "withheld")
    assert ["escalations", "", "Call the crisis team", "", "5"] in [list(r) for r in rows]
    assert ["outcomes", "", "signposted", "", "5"] in [list(r) for r in rows]


def test_a_raise_for_a_join_before_the_range_moves_nothing() -> None:
    counts = [_row("2026-06-10T12:00:00+00:00", "queue_raise", detail="none>urgent")]
    report = build_report(counts, [], date(2026, 6, 10), date(2026, 6, 10), LONDON)
    assert all(line.shown == Shown(0) for line in report.queue_joins)
