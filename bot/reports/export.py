"""The report as CSV rows: one figure per row, hidden and withheld as on the page.

Columns: figure, day, part, answer, value. Figure names are stable ids for
spreadsheets; the words for a hidden value ("fewer than 5") come from the templates.
"""

from __future__ import annotations

from .report import ANSWERS, Report
from .suppression import Shown

Row = tuple[str, str, str, str, str]


def _value(shown: Shown, hidden: str, withheld: str) -> str:
    if shown.hidden:
        return hidden
    if shown.withheld:
        return withheld
    if shown.value is None:
        return ""
    rounded = round(shown.value, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def csv_rows(report: Report, hidden: str, withheld: str) -> list[Row]:
    """Every figure of ``report``; ``hidden`` and ``withheld`` are what a hidden value
    and a withheld total read as."""
    out: list[Row] = []

    def add(figure: str, shown: Shown, day: str = "", part: str = "", answer: str = "") -> None:
        out.append((figure, day, part, answer, _value(shown, hidden, withheld)))

    add("contacts", report.contacts)
    for channel, shown in zip(report.channels, report.contacts_by_channel, strict=True):
        add("contacts", shown, part=channel)
    for day in report.days:
        for channel, shown in zip(report.channels, day.by_channel, strict=True):
            add("contacts", shown, day=day.day.isoformat(), part=channel)
    add("contacts_people", report.people)
    add("contacts_carers", report.carers)
    for line in report.signposts:
        add("signposts", line.shown, part=line.label)
    for line in report.queue_joins:
        add("queue_joins", line.shown, part=line.key)
    add("queue_taken", report.waits.taken)
    add("queue_wait_median_seconds", report.waits.median)
    add("queue_wait_p90_seconds", report.waits.p90)
    add("queue_left", report.queue_left)
    add("escalations", report.escalations)
    for line in report.escalations_by_rung:
        add("escalations", line.shown, part=line.label)
    for line in report.outcomes:
        add("outcomes", line.shown, part=line.key)
    add("urgent_flags", report.urgent_flags)
    for item in report.feedback:
        for answer, shown in zip(ANSWERS, item.answers, strict=True):
            add("feedback", shown, part=item.statement, answer=answer)
        add("feedback_yes_percent", item.yes_share, part=item.statement)
    add("plans_made", report.plans_made)
    add("checkins_sent", report.checkins_sent)
    add("checkins_answered", report.checkins_answered)
    add("checkins_answered_percent", report.checkins_answered_share)
    return out
