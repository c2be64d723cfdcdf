"""Every word a supporter gets on Telegram renders from its template, markup and all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.config import load_settings
from bot.peer.desk import OUTCOMES
from bot.service import wording_for
from bot.store.peer import Handoff

NOW = datetime(2026, 11, 28, 20, tzinfo=UTC)
HANDOFF = Handoff(
    id=1,
    person_id="p-abc",
    person="Guest-ABC123",
    status="waiting",
    priority=2,
    was_urgent=True,
    audience="carer",
    topic="<b>mum</b>",
    joined_at=NOW - timedelta(minutes=7),
    off_shift=False,
    taken_at=None,
    supporter_id=None,
    ended_at=None,
    ended_by=None,
    outcome=[],
    handover_note=None,
    last_person_at=None,
)
SAMPLES: dict[str, dict[str, object]] = {
    "staff_waiting": {"person": "Guest-ABC123", "priority": "urgent", "carer": True, "waiting": 3},
    "staff_raised": {"person": "Guest-ABC123"},
    "staff_relay": {"person": "Guest-ABC123", "text": "<script>x</script>", "urgent": True},
    "staff_person_ended": {"person": "Guest-ABC123"},
    "staff_person_quiet": {"person": "Guest-ABC123"},
    "staff_person_forgot": {},
    "staff_escalation": {"supporter": "Jo", "person": "Guest-ABC123", "rung": "999"},
    "staff_debrief": {"supporter": "Jo"},
    "staff_linked": {"supporter": "Jo"},
    "staff_no_conversation": {},
    "staff_nobody": {},
    "staff_taken": {
        "person": "Guest-ABC123",
        "topic": "mum",
        "urgent": True,
        "carer": True,
        "notes": ["Worried about her mum."],
        "raised": ["Suicidal intent", "Kill self"],
    },
    "staff_released": {"person": "Guest-ABC123"},
    "staff_ended": {"person": "Guest-ABC123"},
    "staff_switched": {"person": "Guest-ABC123"},
    "staff_mine": {"people": ["guest-abc123"]},
    "staff_queue": {"waiting": [HANDOFF], "mine": [HANDOFF], "now": NOW},
    "staff_shift": {"on": True},
    "staff_break": {"minutes": 15},
    "staff_help": {"outcomes": OUTCOMES},
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_staff_template_renders(name: str) -> None:
    text = wording_for(load_settings({})).ui(name, **SAMPLES[name])
    assert text.strip()
    if name == "staff_queue":
        assert "Guest-ABC123 URGENT carer, waiting 7 min" in text
