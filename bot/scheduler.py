"""The shell's side of while-you-wait: engine effects into store changes, and the
check-in scheduler, which wakes when a check-in is due and sends it once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from bot import engine
from bot.clock import Clock as Clock
from bot.clock import utc_now as utc_now
from bot.engine import State
from bot.engine.carer import audience_for
from bot.engine.checkins import message, release
from bot.store import (
    CheckinBooked,
    CheckinsCancelled,
    CheckinTurn,
    Count,
    FeedbackNote,
    FeedbackSaved,
    Outgoing,
    PlanSaved,
    StoreContract,
    WaitChange,
)

log = logging.getLogger("waitingroom.checkins")
# The longest the scheduler sleeps: check-ins booked meanwhile wake it anyway, this only
# bounds how late one is after a clock jump.
MAX_SLEEP = timedelta(seconds=30)
def wait_changes(effects: Iterable[engine.Effect]) -> list[WaitChange]:
    """The engine's plan, check-in and feedback effects as the store's changes."""
    changes: list[WaitChange] = []
    for effect in effects:
        if isinstance(effect, engine.PlanChanged):
            changes.append(PlanSaved(effect.plan))
        elif isinstance(effect, engine.CheckinAsked):
            changes.append(CheckinBooked(effect.due, effect.kind))
        elif isinstance(effect, engine.CheckinsStopped):
            changes.append(CheckinsCancelled())
        elif isinstance(effect, engine.FeedbackGiven):
            changes.append(FeedbackSaved(effect.about, effect.answers))
        elif isinstance(effect, engine.FeedbackNoted):
            changes.append(FeedbackNote(effect.note))
    return changes


def counts(effects: Sequence[engine.Effect]) -> list[Count]:
    return [
        Count(e.kind, e.detail, e.value, e.audience)
        for e in effects
        if isinstance(e, engine.Counted)
    ]


class Notify(Protocol):
    def notify(self, person_id: str) -> None: ...


class Host(Protocol):
    """What check-ins need of the service (``bot.service.Service`` is one): the store,
    its clock, its rendering, and a way to wake those waiting. A protocol, so this
    module never imports the service (which imports it)."""

    @property
    def store(self) -> StoreContract: ...
    @property
    def notifier(self) -> Notify: ...
    def clock(self) -> datetime: ...
    def render(self, reply: engine.Reply, locale: str) -> Outgoing: ...
    def wake_senders(self) -> None: ...


class Checkins:
    """Sends due check-ins for a service, on the service's clock (the seam tests move)."""

    def __init__(self, service: Host) -> None:
        self.service = service
        self.booked = asyncio.Event()

    def clock(self) -> datetime:
        return self.service.clock()

    def _compose(self, raw_state: str | None, locale: str, kind: str = "") -> CheckinTurn:
        compose = release if kind == "release" else message
        state, replies, effects = compose(State.from_json(raw_state))
        rendered = [
            self.service.render(reply, locale)  # the same rendering as any turn
            for reply in replies
        ]
        return CheckinTurn(state.to_json(), rendered, counts(audience_for(state, effects)))

    async def send_due(self) -> int:
        """Send what is due now; returns how many went."""
        people = await self.service.store.wait.send_due_checkins(self.clock(), self._compose)
        for person_id in people:
            self.service.notifier.notify(person_id)
        if people:
            self.service.wake_senders()
            log.info("sent %d check-in(s)", len(people))
        return len(people)

    async def run(self) -> None:
        # A failure ends this loop; the service's supervisor logs it and starts it again.
        while True:
            if await self.service.store.db.lead("checkins"):  # one process on a shared db
                await self.send_due()
            due = await self.service.store.wait.next_checkin_due()
            sleep = MAX_SLEEP
            if due is not None:
                sleep = min(MAX_SLEEP, max(timedelta(0), due - self.clock()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.booked.wait(), sleep.total_seconds())
            self.booked.clear()
