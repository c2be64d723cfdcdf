"""The supporters' desk: what a supporter does, from the dashboard or from Telegram.

A thin shell over the store's queue (which applies ``bot.peer.queue``'s rules inside
one transaction) and the wording (every word a person receives is a template, with the
supporter's own words placed in ``peer_message``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.engine import Option, Reply
from bot.store.peer import Handoff, StaffMessage

if TYPE_CHECKING:
    from bot.service import Service

MAX_MESSAGE = 2000
OUTCOMES = (
    "listened",
    "signposted",
    "plan_made",
    "escalated",
    "safeguarding",
    "carer_support",
    "ended_early",
)


@dataclass(frozen=True, slots=True)
class Rung:
    """One step of the escalation ladder, from the config."""

    id: str
    label: str


class Desk:
    def __init__(self, service: Service) -> None:
        self.service = service
        self.store = service.store
        self.wording = service.wording

    def _render(self, key: str, options: tuple[Option, ...] = ()) -> Any:
        def render(**values: object) -> tuple[str, dict[str, Any]]:
            rendered = self.wording.render(Reply(key, dict(values), options))
            return rendered.key, {
                "text": rendered.text,
                "options": [list(option) for option in rendered.options],
            }

        return render

    def _after(self, handoff: Handoff | None) -> None:
        if handoff is not None:
            self.service.notifier.notify(handoff.person_id)
        self.service.wake_senders()

    async def take(self, supporter_id: str, handoff_id: int | None = None) -> Handoff | None:
        """Take the next person (the queue picks) or the one chosen."""
        handoff = await self.store.peer.take(supporter_id, self._render("peer_joined"), handoff_id)
        self._after(handoff)
        return handoff

    async def say(self, supporter_id: str, handoff_id: int, text: str) -> bool:
        text = text.strip()[:MAX_MESSAGE]
        if not text:
            return False
        supporter = await self._name(supporter_id)
        key, body = self._render("peer_message")(name=supporter, text=text)
        ok = await self.store.peer.say(supporter_id, handoff_id, key, body)
        self._after(await self.store.peer.handoff(handoff_id) if ok else None)
        return ok

    async def release(self, supporter_id: str, handoff_id: int) -> bool:
        ok = await self.store.peer.release(supporter_id, handoff_id, self._render("peer_released"))
        self._after(await self.store.peer.handoff(handoff_id) if ok else None)
        return ok

    async def transfer(self, supporter_id: str, handoff_id: int, to_id: str) -> bool:
        ok = await self.store.peer.transfer(
            supporter_id, handoff_id, to_id, self._render("peer_transferred")
        )
        self._after(await self.store.peer.handoff(handoff_id) if ok else None)
        return ok

    async def end(
        self, supporter_id: str, handoff_id: int, outcome: Sequence[str] = (), note: str = ""
    ) -> Handoff | None:
        tags = [tag for tag in outcome if tag in OUTCOMES]
        handoff = await self.store.peer.end(
            supporter_id,
            handoff_id,
            tags,
            note,
            self._render("peer_ended", (Option.FEEDBACK_PEER, Option.MENU)),
        )
        self._after(handoff)
        return handoff

    async def escalate(self, supporter_id: str, handoff_id: int, rung: str) -> bool:
        ladder = {r.id: r for r in self.ladder()}
        handoff = await self.store.peer.handoff(handoff_id)
        if rung not in ladder or handoff is None:
            return False
        text = self.wording.ui(
            "staff_escalation",
            supporter=await self._name(supporter_id),
            person=handoff.person,
            rung=ladder[rung].label,
        )
        ok = await self.store.peer.escalate(
            supporter_id, handoff_id, rung, StaffMessage("leads", text, urgent=True)
        )
        self._after(None)
        return ok

    def ladder(self) -> list[Rung]:
        return [
            Rung(str(index), step)
            for index, step in enumerate(self.service.settings.file.peer_support.escalation)
        ]

    async def _name(self, supporter_id: str) -> str:
        supporter = await self.store.staff.get(supporter_id)
        return supporter.display_name if supporter is not None else ""
