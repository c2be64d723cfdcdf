"""Sample values for the while-you-wait, carer and feedback replies: the widest each
takes (longest plan, every waiting reason, every check-in), for rendering and SMS tests."""

from __future__ import annotations

from typing import Any

_WAITING = ["callback", "assessment", "appointment", "bed", "nothing", ""]
_AT = [
    {"day": "today", "date": 28, "month": 11, "time": "19:00"},
    {"day": "tomorrow", "date": 29, "month": 11, "time": "10:00"},
    {"day": 2, "date": 2, "month": 12, "time": "08:30"},
]
# A plan answer of a few words; a plan written at length is the person's own words and
# goes as a longer (concatenated) SMS, which the budget here does not cover.
_LONG = "x" * 30
_PLAN = {"signs": _LONG, "helps": _LONG, "people": _LONG, "contacts": _LONG}

WAIT_SAMPLES: dict[str, list[dict[str, Any]]] = {
    "wait_date_ask": [{"again": False}, {"again": True}],
    "wait_menu": [
        {"waiting_for": w, "date": d, "suggest": s}
        for w in _WAITING
        for d in (None, _AT[2])
        for s in ("", "checkin_evening", "checkin_day")
    ],
    "plan_ask": [
        {"section": section, "current": current}
        for section in ("signs", "helps", "people", "contacts")
        for current in ("", _LONG)
    ],
    "plan_show": [{"plan": _PLAN}, {"plan": {"signs": "short"}}],
    "checkin_offer": [
        {"waiting_for": w, "suggest": s, "unavailable": u}
        for w in _WAITING
        for s in ("", "checkin_evening", "checkin_day")
        for u in (False, True)
    ],
    "checkin_set": [{"at": at, "waiting_for": w} for at in _AT for w in _WAITING],
    "checkin_message": [{"waiting_for": w} for w in _WAITING],
    "grounding": [{"step": n} for n in range(1, 7)],
    "feedback_ask": [
        {"about": about, "number": number, "total": len(statements), "statement": statement}
        for about, statements in (
            ("peer", ("listened", "warm", "equal", "validated", "time")),
            ("signpost", ("helped", "easy")),
        )
        for number, statement in enumerate(statements, start=1)
    ],
}
