"""The supporters' desk: what a supporter does, from the dashboard or from Telegram.

A thin shell over the store's queue (which applies ``bot.peer.queue``'s rules inside
one transaction) and the wording (every word a person receives is a template, with the
supporter's own words placed in ``peer_message``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from bot.directory import Audience, Kind, Result, Status, is_open, parse_where, search
from bot.engine import Option, Reply
from bot.engine.somewhere import listing
from bot.events import ALL, LEADS, Event, to_supporter
from bot.peer import rules
from bot.store.peer import Handoff, StaffMessage

# What the person may still press once a supporter has joined.
JOINED_OPTIONS = (Option.URGENT,)

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

    def _after(self, handoff: Handoff | None, *events: Event) -> None:
        if handoff is not None:
            self.service.notifier.notify(handoff.person_id)
            # The queue and every desk's list may have changed; the leads' live view too.
            self.service.events.publish(Event(ALL, "queue", handoff.id), *events)
        self.service.wake_senders()

    async def take(self, supporter_id: str, handoff_id: int | None = None) -> Handoff | None:
        """Take the next person (the queue picks) or the one chosen."""
        # The queue's choices (leave the queue...) go with this line; Urgent help stays.
        handoff = await self.store.peer.take(
            supporter_id, self._render("peer_joined", JOINED_OPTIONS), handoff_id
        )
        self._after(handoff)
        return handoff

    async def say(self, supporter_id: str, handoff_id: int, text: str) -> bool:
        text = text.strip()[:MAX_MESSAGE]
        if not text:
            return False
        supporter = await self._name(supporter_id)
        key, body = self._render("peer_message")(name=supporter, text=text)
        ok = await self.store.peer.say(supporter_id, handoff_id, key, body)
        handoff = await self.store.peer.handoff(handoff_id) if ok else None
        if handoff is not None:
            self.service.notifier.notify(handoff.person_id)
            self.service.events.publish(
                Event(to_supporter(supporter_id), "line", handoff_id),
                Event(LEADS, "line", handoff_id),
            )
        self.service.wake_senders()
        return ok

    async def release(self, supporter_id: str, handoff_id: int) -> bool:
        ok = await self.store.peer.release(supporter_id, handoff_id, self._render("peer_released"))
        self._after(await self.store.peer.handoff(handoff_id) if ok else None)
        return ok

    async def transfer(
        self, supporter_id: str, handoff_id: int, to_id: str, note: str = ""
    ) -> bool:
        ok = await self.store.peer.transfer(
            supporter_id,
            handoff_id,
            to_id,
            self._render("peer_transferred"),
            note=rules.handover_note(note),
        )
        handoff = await self.store.peer.handoff(handoff_id) if ok else None
        if handoff is not None:
            text = self.wording.ui(
                "staff_transferred_to_you",
                supporter=await self._name(supporter_id),
                person=handoff.person,
                note=handoff.transfer_note or "",
            )
            await self.store.peer.alert([StaffMessage(f"supporter:{to_id}", text, True)])
        self._after(handoff, Event(to_supporter(to_id), "transfer", handoff_id))
        return ok

    async def end(
        self, supporter_id: str, handoff_id: int, outcome: Sequence[str] = (), note: str = ""
    ) -> Handoff | None:
        tags = [tag for tag in outcome if tag in OUTCOMES]
        before = await self.store.peer.handoff(handoff_id)
        if before is not None and before.status == "ended" and before.ended_by != "supporter":
            # The person (or the silence) ended it first: what the supporter wrote after
            # is kept, while the wrap-up window lasts.
            held = rules.Held(before.supporter_id, before.status, before.ended_at)
            if not rules.may_read(held, supporter_id, self.service.clock(), self.wrap_up()):
                return None
            kept = await self.store.peer.record_outcome(
                supporter_id, handoff_id, tags, rules.handover_note(note)
            )
            self._after(kept)
            return kept
        handoff = await self.store.peer.end(
            supporter_id,
            handoff_id,
            tags,
            rules.handover_note(note),
            self._render("peer_ended", (Option.FEEDBACK_PEER, Option.MENU)),
        )
        self._after(handoff)
        return handoff

    def wrap_up(self) -> timedelta:
        return timedelta(minutes=self.service.settings.file.peer_support.wrap_up_minutes)

    async def reachable_leads(self) -> list[str]:
        """Leads who would see an escalation now: the dashboard open, or Telegram."""
        return rules.reachable_leads(await self.store.peer.leads(), self.service.events.present())

    async def _to_leads(
        self, kind: str, supporter_id: str, handoff_id: int | None, text: str
    ) -> None:
        await self.store.peer.to_inbox(kind, supporter_id, handoff_id, text)
        self.service.events.publish(Event(LEADS, "inbox", handoff_id))

    async def debrief(self, supporter_id: str, minutes: int) -> bool:
        """A debrief asked for: a break for the supporter, the leads told on the dashboard
        and on Telegram. False when no lead can be reached now."""
        await self.store.peer.take_break(supporter_id, "debrief", minutes)
        text = self.wording.ui("staff_debrief", supporter=await self._name(supporter_id))
        await self.store.peer.alert([StaffMessage("leads", text)])
        # Who is there is read before they are told: a lead whose stream gets the nudge
        # and closes at once was still reached.
        reached = bool(await self.reachable_leads())
        await self._to_leads("debrief", supporter_id, None, text)
        self.service.events.publish(Event(ALL, "queue"))
        self.service.wake_senders()
        return reached

    async def escalate(self, supporter_id: str, handoff_id: int, rung: str) -> bool | None:
        """Record a rung used and tell the leads. None when it could not be recorded;
        else whether any lead could be reached."""
        ladder = {r.id: r for r in self.ladder()}
        handoff = await self.store.peer.handoff(handoff_id)
        if rung not in ladder or handoff is None:
            return None
        text = self.wording.ui(
            "staff_escalation",
            supporter=await self._name(supporter_id),
            person=handoff.person,
            rung=ladder[rung].label,
        )
        ok = await self.store.peer.escalate(
            supporter_id, handoff_id, rung, StaffMessage("leads", text, urgent=True)
        )
        if not ok:
            return None
        reached = bool(await self.reachable_leads())  # before they are told (see debrief)
        await self._to_leads("escalation", supporter_id, handoff_id, text)
        self._after(None)
        return reached

    def find_services(self, text: str, audience: str, limit: int = 5) -> list[Any]:
        """Directory search for the desk: a place (postcode, town) as the bot searches it,
        else services whose name holds every word. Only what a person may be shown."""
        directory = self.service.directory
        if directory is None or not text.strip():
            return []
        who = Audience.CARER if audience == "carer" else Audience.ME
        where = parse_where(text, directory.places)
        if where is not None:
            return search(directory, where, who, self.service.clock())[:limit]
        words = text.casefold().split()
        named = [r for r in self._results() if all(w in r.entry.name.casefold() for w in words)]
        return named[:limit]

    def _results(self) -> list[Any]:
        """Every service a person may be shown, as search results (no place)."""
        directory = self.service.directory
        if directory is None:
            return []
        now = self.service.clock()
        found = []
        for entry in directory.entries:
            if entry.status != Status.ACTIVE or entry.kind == Kind.EMERGENCY:
                continue
            open_now, next_change = is_open(entry, now)
            found.append(Result(entry, open_now, next_change, None, False))
        return sorted(found, key=lambda r: r.entry.name.casefold())

    async def card(self, supporter_id: str, handoff_id: int, entry_id: str) -> bool:
        """Send one directory listing to the person, through the normal outbox, so each
        channel renders it its own way (Telegram HTML, SMS GSM-7, web chat)."""
        found = [r for r in self._results() if r.entry.id == entry_id]
        if not found:
            return False
        values = {
            "supporter": await self._name(supporter_id),
            "r": listing(found[0], self.service.clock()),
        }
        key, body = self._render("peer_card")(**values)
        ok = await self.store.peer.say(supporter_id, handoff_id, key, body)
        handoff = await self.store.peer.handoff(handoff_id) if ok else None
        if handoff is not None:
            self.service.notifier.notify(handoff.person_id)
            self.service.events.publish(Event(to_supporter(supporter_id), "line", handoff_id))
        self.service.wake_senders()
        return ok

    def ladder(self) -> list[Rung]:
        return [
            Rung(str(index), step)
            for index, step in enumerate(self.service.settings.file.peer_support.escalation)
        ]

    async def _name(self, supporter_id: str) -> str:
        supporter = await self.store.staff.get(supporter_id)
        return supporter.display_name if supporter is not None else ""
