"""One person's conversation state: small, immutable, stored as JSON between messages."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from bot.risk import Level

from .replies import OPTION_IDS, Option, Reply

RISK_WINDOW = timedelta(minutes=10)
RISK_WINDOW_MESSAGES = 3


@dataclass(frozen=True, slots=True)
class State:
    step: str = "new"
    # The options last offered, so "1" or "two" means the same on every channel.
    offered: tuple[Option, ...] = ()
    # Sticky: only a human (a supporter or lead) lowers it; jokes and "I'm fine" never do.
    flag: Level = Level.NONE
    categories: tuple[str, ...] = ()
    # The window's level at the previous message: a window that only stays as high as it
    # was (a "lol" after an urgent message) is not news; one that rises (a split SMS) is.
    last_level: Level = Level.NONE
    # Recent texts with their times, for reading risk across split SMS.
    recent: tuple[tuple[str, str], ...] = ()
    # The directory search under way: who for, where, which page of results.
    audience: str = ""
    where: dict[str, Any] | None = None
    known_place: bool = True
    page: int = 0
    # Languages and communities asked for ("lang:Urdu", "young", "men"): searched first.
    wants: tuple[str, ...] = ()
    # Flood control and blocks (bot/engine/holdback.py): recent arrival times, whether
    # the "slow down" notice went for this flood, the block whose notice went.
    arrivals: tuple[str, ...] = ()
    slowed: bool = False
    noticed_block: int = 0
    # The newest reply held back in a flood, sent when the window has passed.
    held: tuple[Reply, ...] = ()
    # Here for someone else: every count from this conversation is a carer's.
    carer: bool = False
    # What they are waiting for, and the appointment's date (ISO), if they gave one.
    waiting_for: str = ""
    waiting_date: str = ""
    # Their plan, in their own words (a copy of what the store saves), and the plan
    # section being written or edited.
    plan: dict[str, str] | None = None
    plan_draft: dict[str, str] | None = None
    plan_section: str = ""
    plan_editing: bool = False
    # Feedback under way: what about, and the answers so far.
    about: str = ""
    answers: dict[str, float] | None = None
    # How many times the question now asked was not understood (bot/engine/meaning.py),
    # and words they wrote that a supporter should see if they join the queue.
    reasks: int = 0
    topic: str = ""
    # Languages the interpreters line has gone out for: once each, and again with any
    # urgent reply (where it matters most).
    languages_told: tuple[str, ...] = ()
    # The question the direct question interrupted ("forget": delete everything?), asked
    # again once it is answered, so worrying words never cost the person their place.
    resume: str = ""

    def with_recent(self, text: str, at: datetime) -> State:
        kept = [(t, s) for t, s in self.recent if at - datetime.fromisoformat(t) <= RISK_WINDOW]
        kept.append((at.isoformat(), text))
        return replace(self, recent=tuple(kept[-RISK_WINDOW_MESSAGES:]))

    def window(self) -> list[str]:
        return [text for _, text in self.recent]

    def to_json(self) -> str:
        data = asdict(self)
        data["held"] = [
            {"key": r.key, "values": r.values, "options": [str(o) for o in r.options]}
            for r in self.held
        ]
        return json.dumps(data)

    @classmethod
    def from_json(cls, raw: str | None) -> State:
        if not raw:
            return cls()
        data: dict[str, Any] = json.loads(raw)
        return cls(
            step=data.get("step", "new"),
            offered=tuple(Option(o) for o in data.get("offered", ()) if o in OPTION_IDS),
            flag=Level(data.get("flag", 0)),
            categories=tuple(data.get("categories", ())),
            last_level=Level(data.get("last_level", 0)),
            recent=tuple((t, s) for t, s in data.get("recent", ())),
            audience=data.get("audience", ""),
            where=data.get("where"),
            known_place=data.get("known_place", True),
            page=data.get("page", 0),
            wants=tuple(data.get("wants", ())),
            arrivals=tuple(data.get("arrivals", ())),
            slowed=data.get("slowed", False),
            noticed_block=data.get("noticed_block", 0),
            held=tuple(
                Reply(
                    h["key"],
                    dict(h.get("values", {})),
                    tuple(Option(o) for o in h.get("options", ()) if o in OPTION_IDS),
                )
                for h in data.get("held", ())
            ),
            carer=data.get("carer", False),
            waiting_for=data.get("waiting_for", ""),
            waiting_date=data.get("waiting_date", ""),
            plan=data.get("plan"),
            plan_draft=data.get("plan_draft"),
            plan_section=data.get("plan_section", ""),
            plan_editing=data.get("plan_editing", False),
            about=data.get("about", ""),
            answers=data.get("answers"),
            reasks=data.get("reasks", 0),
            topic=data.get("topic", ""),
            languages_told=tuple(data.get("languages_told", ())),
            resume=data.get("resume", ""),
        )
