"""The shell around the engine: store inbound, take turns, deliver replies.

Channels hand messages to ``Service.receive``; a processor task runs the engine for
each stored message; a sender task pushes replies for channels that push. Whatever
fails, the person still gets the emergency numbers (the safety net).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from bot import engine, upkeep
from bot.channels.base import DeliveryError, Sender
from bot.config import Settings
from bot.directory import Directory, DirectoryError, Gazetteer, live, load_directory
from bot.directory.hours import next_opening
from bot.engine import Context, Inbound, Kind, State
from bot.engine.meaning import answers
from bot.engine.talk import PeerView
from bot.events import (
    ALL,
    LEADS,
    PRESENCE_EVERY,
    Event,
    EventHub,
    streams_stopping,
    to_supporter,
)
from bot.peer import queue
from bot.peer.rules import pseudonym
from bot.risk import Level
from bot.scheduler import Checkins, Clock, wait_changes
from bot.store import Count, OutboxItem, Outgoing, RiskRecord, StoreContract, StoredInbound, Turn
from bot.store.directory import Change as DirectoryChange
from bot.store.peer import QueueChange, StaffMessage
from bot.supervise import Supervisor, where
from bot.wording import Rendered, Wording

log = logging.getLogger("waitingroom.service")
# How long stopping may take to finish what is in hand before cutting it off.
DRAIN_SECONDS = 10.0
# How often the directory is looked at for changes made by the command line.
DIRECTORY_WATCH_SECONDS = 15.0
# A web chat long poll looks up this often to see whether the service is stopping.
POLL_SLICE = 1.0
# Rate limited on this many chats within a second: the limit is the bot's, not a chat's.
BOT_LIMITED = 3
# Stopping, a held chat that may go again within this many seconds is waited for.
LAST_PASS_WAIT = 2.0
# Marks a desk note (bot.events) among the news sent to other instances.
DESK_NEWS = "desk "
# The tasks (by name) that finish what is in hand when stopping.
_DRAINED = ("processor", "sender-")


@dataclass(frozen=True, slots=True)
class ChannelMessage:
    """An inbound message as a channel adapter hands it over."""

    channel: str
    address: str
    message_id: str
    kind: Kind
    text: str = ""
    option: str | None = None
    command: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    # SMS: this message opted the address out (True) or back in (False); not part of
    # the body the engine reads.
    opt_out: bool | None = None

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"text": self.text}
        for name in ("option", "command", "latitude", "longitude"):
            if getattr(self, name) is not None:
                body[name] = getattr(self, name)
        return body


# Replies that show a message was about forgetting, not words for a supporter.
_FORGET_REPLIES = frozenset({"forget_ask", "forget_kept", "forgotten"})


def _about_forgetting(outcome: engine.Outcome) -> bool:
    return any(reply.key in _FORGET_REPLIES for reply in outcome.replies)


def load_directory_safely() -> Directory | None:
    """The directory, or None if it is broken: the service still runs and says so,
    and ``waitingroom directory check`` tells the lead what to fix."""
    try:
        return load_directory()
    except DirectoryError as error:
        log.error("directory not loaded, 'somewhere to go' is off: %s", error)
        return None


def wording_for(settings: Settings) -> Wording:
    return Wording(
        {
            "service": settings.file.service,
            "contacts": settings.file.emergency_contacts,
            "quick_exit_url": settings.file.web.quick_exit_url,
        }
    )


def outgoing(rendered: Rendered) -> Outgoing:
    return Outgoing(
        key=rendered.key,
        body={"text": rendered.text, "options": [list(option) for option in rendered.options]},
        urgent=rendered.urgent,
    )


class Notifier:
    """Wakes whoever waits for news of one person (a web chat long-poll)."""

    def __init__(self) -> None:
        self._events: dict[str, asyncio.Event] = {}
        # With other processes on the same database (PostgreSQL), news goes to them too.
        self.published: asyncio.Queue[str] | None = None

    def event(self, person_id: str) -> asyncio.Event:
        """Take the event before looking for news, so none can slip in between."""
        return self._events.setdefault(person_id, asyncio.Event())

    def notify(self, person_id: str) -> None:
        self.wake(person_id)
        if self.published is not None:
            self.published.put_nowait(person_id)

    def wake(self, person_id: str) -> None:
        """News heard here, from this process or another."""
        event = self._events.pop(person_id, None)
        if event is not None:
            event.set()


class Service:
    """Everything between the channels and the store."""

    def __init__(
        self,
        settings: Settings,
        store: StoreContract,
        wording: Wording | None = None,
        senders: Iterable[Sender] = (),
        directory: Directory | Literal["load"] | None = "load",
        clock: Clock | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.wording = wording or wording_for(settings)
        self.directory = load_directory_safely() if directory == "load" else directory
        # "load": the YAML seeds the store, and the store's working copy is what people
        # are offered (see refresh_directory); a Directory given here is used as it is.
        self._live_directory = directory == "load"
        self.senders: Mapping[str, Sender] = {sender.channel: sender for sender in senders}
        self.notifier = Notifier()
        # Open dashboards' streams: what changed on the desk (bot.events).
        self.events = EventHub()
        self._inbox_ready = asyncio.Event()
        # One sender loop per channel, so a slow provider never holds up another.
        self._outbox_ready = {channel: asyncio.Event() for channel in self.senders}
        self._tasks: list[asyncio.Task[None]] = []
        # Every long-running task is restarted when it dies; /healthz names one that
        # keeps dying (bot/supervise.py).
        self.supervisor = Supervisor()
        # Who is on shift, refreshed before each batch of turns; None: queue unavailable.
        self.shift: queue.Shift | None = None
        # Sends alerts to supporters on Telegram, when Telegram is configured.
        self.staff_sender: Sender | None = self.senders.get("telegram")
        self._staff_ready = asyncio.Event()
        # One clock for turns, check-ins, the queue clock and the desk: the store's
        # (bot/clock.py), so a test moves them all; one given here is for the service only.
        self.clock = clock or store.clock
        self.checkins = Checkins(self)
        self.max_backoff = timedelta(seconds=settings.max_backoff)
        # How long claimed work on a shared database is this instance's (bot/config.py).
        self.outbox_lease = timedelta(seconds=settings.outbox_lease)
        self.inbox_lease = timedelta(seconds=settings.inbox_lease)
        # Stopping: the processor finishes every stored message, then each sender makes
        # one last pass over what is due, then they end.
        self._closing = asyncio.Event()
        self._processed_all = asyncio.Event()
        self._paused_until: dict[str, float] = {}
        # Chats the channel asked us to wait on ((channel, person) -> loop time): their
        # replies are held back until then while everyone else's go.
        self._held: dict[tuple[str, str], float] = {}
        # When chats were last rate limited ((channel, person) -> loop time): several at
        # once means the limit is the bot's, not one chat's.
        self._limited: dict[tuple[str, str], float] = {}
        # Rendered once at start-up, so a broken template stops the service loudly
        # instead of failing a person later.
        self.safety_net = outgoing(self.wording.render(engine.Reply("safety_net", urgent=True)))
        answers()  # the answers in messages/ read once now: a broken file stops us here

    # -- lifecycle -------------------------------------------------------------

    async def start(self) -> None:
        if self._live_directory:
            await self.seed_directory()
        self._closing.clear()
        self._processed_all.clear()
        spawn = self.supervisor.spawn
        retention = timedelta(days=self.settings.file.retention.days)
        self._tasks = [
            asyncio.create_task(self._run_processor(), name="processor"),
            spawn("checkins", self.checkins.run),
            *(self._sender_task(channel) for channel in self.senders),
            spawn("queue-clock", self._run_queue_clock),
            spawn("directory-watch", self._run_directory_watch),
            spawn("upkeep", lambda: upkeep.run(self.store, retention)),
        ]
        if self.staff_sender is not None:
            self._tasks.append(spawn("staff", self._run_staff_sender))
        if self.store.db.shared:
            published: asyncio.Queue[str] = asyncio.Queue()
            self.notifier.published = published
            # The desk's nudges and presence ride the same channel, marked apart from
            # person ids (which start "p-").
            self.events.forward = lambda note: published.put_nowait(DESK_NEWS + note)
            self._tasks += [
                self.supervisor.spawn("news-out", lambda: self._publish_news(published)),
                self.supervisor.spawn("news-in", lambda: self.store.db.listen(self._heard)),
                self.supervisor.spawn("presence", self._run_presence),
            ]

    def _sender_task(self, channel: str) -> asyncio.Task[None]:
        return self.supervisor.spawn(
            f"sender-{channel}", lambda: self._run_sender(channel), self._closing.is_set
        )

    def failing_tasks(self) -> list[str]:
        """Long-running tasks that keep dying (for /healthz)."""
        return self.supervisor.failing()

    async def seed_directory(self) -> None:
        """Add shipped entries the store lacks (never over a lead's edit), then go live."""
        seed = self.directory
        if seed is not None:
            changes = [
                DirectoryChange(entry_id, body, "seed", origin, str(body.get("source") or ""))
                for entry_id, body, origin in live.seed_bodies(seed)
            ]
            added = await self.store.directory.seed(changes, self.clock())
            if added:
                log.info("directory: %d entries seeded from the shipped files", added)
        await self.refresh_directory(seed.places if seed is not None else None)

    async def _run_directory_watch(self) -> None:
        """Pick up changes made outside this process (``waitingroom directory import``)."""
        if not self._live_directory:
            return
        seen = await self.store.directory.version()
        while True:
            await asyncio.sleep(DIRECTORY_WATCH_SECONDS)
            try:
                now = await self.store.directory.version()
                if now != seen:
                    await self.refresh_directory()
                    seen = now
            except Exception as error:  # the store may be busy; the next look will do
                log.warning("directory watch: %s", type(error).__name__)

    async def refresh_directory(self, places: Gazetteer | None = None) -> None:
        """What people are offered from now on: the store's working copy of the directory."""
        if places is None:
            places = self.directory.places if self.directory is not None else Gazetteer()
        stored = await self.store.directory.entries()
        if not stored:
            return  # nothing seeded (the shipped files did not load): keep what there is
        built, problems = live.build(((e.body, e.origin) for e in stored), places)
        for problem in problems:
            log.error("directory: entry left out: %s", problem.split(":", 1)[0])
        self.directory = built

    def _heard(self, payload: str) -> None:
        """News from another instance: a desk note, or a person to wake a long-poll for."""
        if payload.startswith(DESK_NEWS):
            self.events.heard(payload.removeprefix(DESK_NEWS))
        else:
            self.notifier.wake(payload)

    async def _run_presence(self) -> None:
        """Renew, for the other instances, who has a dashboard stream open here."""
        while True:
            self.events.announce()
            await asyncio.sleep(PRESENCE_EVERY)

    async def _publish_news(self, news: asyncio.Queue[str]) -> None:
        """Tell the other processes on this database, so a long-poll there wakes."""
        while True:
            person_id = await news.get()
            try:
                await self.store.db.publish(person_id)
            except Exception as error:
                log.warning("news not published (%s)", where(error))

    async def stop(self, drain: float = DRAIN_SECONDS) -> None:
        """Finish what is in hand, then stop: every stored message gets its turn and
        every due reply one more try, for up to ``drain`` seconds. Whatever still runs
        then is cancelled: a cancelled turn rolls back and is taken at the next start;
        a cancelled send is tried again then (sent twice, maybe, but never lost)."""
        self._closing.set()
        self.events.close()
        self._inbox_ready.set()
        # The processor and the senders finish by themselves; any other loop (clocks,
        # upkeep) has nothing to finish and is cancelled at once.
        draining = [t for t in self._tasks if t.get_name().startswith(_DRAINED)]
        unfinished = set(self._tasks) - set(draining)
        if draining:
            _, late = await asyncio.wait(draining, timeout=drain)
            if late:
                log.warning("stopping: %d task(s) cut off after %ss", len(late), drain)
            unfinished |= late
        for task in unfinished:
            task.cancel()
        for task in unfinished:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    # -- inbound ---------------------------------------------------------------

    async def receive(self, message: ChannelMessage) -> tuple[str, bool]:
        """Store a message (once) and wake the processor; returns (person id, duplicate)."""
        received = await self.store.receive(
            message.channel,
            message.address,
            message.message_id,
            message.kind,
            message.body(),
            opt_out=message.opt_out,
        )
        if not received.duplicate:
            self._inbox_ready.set()
        return received.person_id, received.duplicate

    def _decide(self, inbound: StoredInbound, raw_state: str | None, locale: str) -> Turn:
        try:
            state = State.from_json(raw_state)
            body = inbound.body
            message = Inbound(
                kind=Kind(inbound.kind),
                at=inbound.received_at,
                text=str(body.get("text", "")),
                option=body.get("option"),
                command=body.get("command"),
                latitude=body.get("latitude"),
                longitude=body.get("longitude"),
                id=inbound.id,
            )
            handoff = inbound.handoff
            peer = (
                PeerView(handoff.status, handoff.position, handoff.supporter_name)
                if handoff is not None
                else None
            )
            # "Open now" means now, even for a message that waited out a restart.
            context = Context(
                now=self.clock(),
                directory=self.directory,
                shift=self.shift,
                peer=peer,
                block_id=inbound.block_id,
                zone=self.settings.zone,
                reachable=inbound.reachable,
                # The web chat page shows the greeting before anything is typed.
                greeted=inbound.channel == "web",
            )
            outcome = engine.handle(state, message, context)
            replies = [
                outgoing(self.wording.render(reply, locale, inbound.channel))
                for reply in outcome.replies
            ]
            change, staff = self._queue_change(inbound, outcome, message)
        except Exception as error:
            # Never leave a person without an answer: the safety net goes instead.
            log.error(
                "turn failed for inbox %s (%s); sending the safety net", inbound.id, where(error)
            )
            return Turn(state=raw_state or State().to_json(), replies=[self.safety_net])
        risks = [
            RiskRecord(
                e.level, e.categories, e.rules, e.ruleset_version, e.alerted, e.message_id, e.source
            )
            for e in outcome.effects
            if isinstance(e, engine.RiskAssessed)
        ]
        for risk in risks:
            log.info(
                "risk %s rules=%s ruleset=%s alerted=%s person=%s",
                risk.level,
                ",".join(risk.rules),
                risk.ruleset_version,
                risk.alerted,
                inbound.person_id,
            )
        counts = [
            Count(e.kind, e.detail, e.value, e.audience)
            for e in outcome.effects
            if isinstance(e, engine.Counted)
        ]
        forget = any(isinstance(e, engine.Forget) for e in outcome.effects)
        wait = wait_changes(outcome.effects)
        if wait:
            self.checkins.booked.set()  # a check-in may now be due sooner
        return Turn(
            state=outcome.state.to_json(),
            replies=replies,
            risks=risks,
            counts=counts,
            queue=change,
            staff=staff,
            forget=forget,
            wait=wait,
            audience="carer" if outcome.state.carer else "",
        )

    def _queue_change(
        self, inbound: StoredInbound, outcome: engine.Outcome, message: Inbound
    ) -> tuple[QueueChange | None, list[StaffMessage]]:
        """What a turn changes in the peer queue, and whom among the supporters to tell."""
        handoff = inbound.handoff
        flag = int(outcome.state.flag)
        person = pseudonym(inbound.person_id)
        change = QueueChange(priority=flag)
        staff: list[StaffMessage] = []
        for effect in outcome.effects:
            if isinstance(effect, engine.JoinQueue):
                change = replace(change, join=(effect.priority, effect.audience, effect.off_shift))
                waiting = (self.shift.waiting if self.shift else 0) + 1
                text = self.wording.ui(
                    "staff_waiting",
                    person=person,
                    priority=Level(effect.priority).label,
                    carer=effect.audience == "carer",
                    waiting=waiting,
                )
                # Each line naming a person carries their id, so forgetting them deletes it.
                staff.append(
                    StaffMessage(
                        "on_shift", text, effect.priority >= Level.URGENT, inbound.person_id
                    )
                )
            elif isinstance(effect, engine.SetTopic):
                change = replace(change, topic=effect.text)
            elif isinstance(effect, engine.LeaveQueue):
                change = replace(change, leave=True)
            elif isinstance(effect, engine.EndChat):
                change = replace(change, end=True)
            elif isinstance(effect, engine.UrgentUnreachable):
                staff.extend(self._unreachable_alerts(inbound, outcome, person))
        if handoff is None:
            return (change if change.join else None), staff
        urgent_now = any(
            isinstance(e, engine.RiskAssessed) and e.alerted and e.level == "urgent"
            for e in outcome.effects
        )
        if handoff.status == "waiting" and urgent_now and handoff.priority < Level.URGENT:
            staff.append(
                StaffMessage(
                    "on_shift",
                    self.wording.ui("staff_raised", person=person),
                    True,
                    inbound.person_id,
                )
            )
        if handoff.status == "active" and handoff.supporter_id:
            to = f"supporter:{handoff.supporter_id}"
            if any(isinstance(e, engine.Forget) for e in outcome.effects):
                # Everything about them goes in this turn, the conversation with it: the
                # supporter gets a line that names nobody, so it need not go too.
                staff.append(StaffMessage(to, self.wording.ui("staff_person_forgot")))
            elif _about_forgetting(outcome):
                pass  # "forget me" and its answer are for the bot, never relayed
            elif change.end:
                ended = self.wording.ui("staff_person_ended", person=person)
                staff.append(StaffMessage(to, ended, False, inbound.person_id))
            elif message.kind is Kind.TEXT and message.text.strip():
                text = self.wording.ui(
                    "staff_relay", person=person, text=message.text, urgent=urgent_now
                )
                staff.append(StaffMessage(to, text, urgent_now, inbound.person_id))
        return change, staff

    def _unreachable_alerts(
        self, inbound: StoredInbound, outcome: engine.Outcome, person: str
    ) -> list[StaffMessage]:
        """The person cannot be sent the urgent reply (they texted STOP): supporters on
        shift and leads are told at once, by pseudonym, never with the words."""
        answer = any(
            isinstance(e, engine.RiskAssessed) and e.source == "answer" for e in outcome.effects
        )
        text = self.wording.ui(
            "staff_unreachable_urgent", person=person, channel=inbound.channel, answer=answer
        )
        return [StaffMessage("on_shift", text, True), StaffMessage("leads", text, True)]

    async def refresh_shift(self, now: datetime | None = None) -> queue.Shift | None:
        """Who is on shift, the likely wait and the next shift, for the next turns."""
        now = now or self.clock()
        try:
            figures = await self.store.peer.figures()
            local = now.astimezone(self.settings.zone)
            next_shift = None
            if figures.on_shift == 0:
                change = next_opening(self.settings.file.peer_support.hours, now)
                if change is not None:
                    next_shift = change.astimezone(self.settings.zone)
            self.shift = queue.Shift(
                on_shift=figures.on_shift,
                likely_wait=queue.likely_wait(figures.recent_waits),
                next_shift=None if next_shift is None else next_shift.replace(tzinfo=None),
                today=local.date(),
                waiting_by_priority=figures.waiting_by_priority,
            )
        except Exception as error:
            log.error("queue figures unavailable (%s); the queue is off for now", where(error))
            self.shift = None
        return self.shift

    async def process_pending(self) -> int:
        """Run the engine for every stored, unprocessed message, oldest first."""
        done = 0
        while ids := await self._unprocessed():
            await self.refresh_shift()
            for inbox_id in ids:
                person_id = await self.store.take_turn(inbox_id, self._decide)
                if person_id is not None:
                    done += 1
                    self.notifier.notify(person_id)
                    await self.publish_person(person_id)
            self.wake_senders()
        return done

    async def _unprocessed(self) -> list[int]:
        """The next messages to take turns for. With other instances on the database, a
        claimed batch, so no two instances queue for the same messages."""
        if self.store.db.shared:
            return await self.store.claim_unprocessed(self.inbox_lease)
        return await self.store.unprocessed()

    async def publish_person(self, person_id: str) -> None:
        """Tell open dashboards a person's conversation moved: their holder (a new line),
        everyone (the queue), the leads (the live view)."""
        try:
            handoff = await self.store.peer.latest_for(person_id)
        except Exception as error:
            log.error("desk news unavailable (%s)", where(error))
            return
        if handoff is None:
            return
        events = [Event(LEADS, "line", handoff.id)]
        if handoff.supporter_id:
            events.append(Event(to_supporter(handoff.supporter_id), "line", handoff.id))
        if handoff.status != "active":
            events.append(Event(ALL, "queue", handoff.id))
        self.events.publish(*events)

    def wake_senders(self) -> None:
        for ready in self._outbox_ready.values():
            ready.set()
        self._staff_ready.set()

    def render(self, reply: engine.Reply, locale: str) -> Outgoing:
        return outgoing(self.wording.render(reply, locale))

    async def _run_processor(self) -> None:
        try:
            await self.supervisor.run("processor", self._process_until_closed, self._closing.is_set)
        finally:
            self._processed_all.set()
            for ready in self._outbox_ready.values():
                ready.set()

    async def _process_until_closed(self) -> None:
        # A failure ends this loop; the supervisor logs it and starts it again.
        while True:
            await self.process_pending()
            if self._closing.is_set():
                return
            with contextlib.suppress(TimeoutError):
                # The timeout also picks up work left by a crash before a restart.
                await asyncio.wait_for(self._inbox_ready.wait(), 5)
            self._inbox_ready.clear()

    # -- outbound --------------------------------------------------------------

    async def deliver_due(self, channels: Sequence[str] | None = None) -> int:
        """Push every reply that is due on these channels (default: all), urgent first;
        returns how many went out. Each batch is claimed first (``Store.claim_due``), so
        every instance on a shared database drains the outbox and none sends what
        another holds. A chat the channel asks us to wait on is passed over (its
        replies stay due, in order) and everyone else's go on."""
        sent = 0
        wanted = list(self.senders if channels is None else channels)
        while wanted and (items := await self._due(wanted)):
            progress = False
            stalled: set[str] = set()
            unsent = {item.id for item in items}
            try:
                for item in items:
                    if item.channel in stalled or self._held_for(item) > 0:
                        continue
                    unsent.discard(item.id)
                    if await self._deliver(item, stalled):
                        sent += 1
                        progress = True
            finally:
                # A stalled channel's claims (or a held chat's, or a cut-off pass's) are
                # given back at once, not left to wait out the lease.
                if self.store.db.shared and unsent:
                    with contextlib.suppress(Exception):
                        await self.store.release(sorted(unsent))
            wanted = [channel for channel in wanted if channel not in stalled]
            if not progress:
                break
        return sent

    def _held_for(self, item: OutboxItem) -> float:
        """Seconds until this reply's chat may take a message: a wait the channel asked
        for, or its own pace for one chat (Telegram: about one a second)."""
        now = asyncio.get_running_loop().time()
        held = self._held.get((item.channel, item.person_id), 0.0) - now
        ready_in = getattr(self.senders.get(item.channel), "ready_in", None)
        if held <= 0 and ready_in is not None and item.address is not None:
            held = float(ready_in(item.address))
            if held > 0:
                self._hold(item, held)
        return held

    def _hold(self, item: OutboxItem, seconds: float) -> None:
        self._held[(item.channel, item.person_id)] = asyncio.get_running_loop().time() + seconds

    def _skipped(self, channels: Sequence[str]) -> list[str]:
        """The people whose chats on these channels are held back now (holds that have
        run out are forgotten here)."""
        now = asyncio.get_running_loop().time()
        self._held = {key: until for key, until in self._held.items() if until > now}
        return [person for channel, person in self._held if channel in channels]

    def _next_release(self, channel: str) -> float | None:
        """Seconds until the first chat held back on this channel may go again."""
        now = asyncio.get_running_loop().time()
        waits = [until - now for (on, _), until in self._held.items() if on == channel]
        return max(0.0, min(waits)) if waits else None

    async def _due(self, channels: Sequence[str]) -> list[OutboxItem]:
        """The next replies to send, none for a chat held back. With other instances on
        the database, a claimed batch; alone on a SQLite file, read as they are (nobody
        else sends them)."""
        skip = self._skipped(channels)
        if self.store.db.shared:
            return await self.store.claim_due(channels, self.outbox_lease, skip=skip)
        return await self.store.due(channels, skip=skip)

    async def _deliver(self, item: OutboxItem, stalled: set[str]) -> bool:
        """Send one claimed reply and record what happened; True if it went."""
        sender = self.senders[item.channel]
        if item.address is None:
            await self.store.mark_failed(item.id, "no address (forgotten?)")
            return False
        try:
            message_id = await sender.send(item.address, item.body)
        except DeliveryError as error:
            if error.permanent:
                await self.store.mark_failed(item.id, error.reason)
                log.warning("delivery of outbox %s failed: %s", item.id, error.reason)
                return False
            delay = (
                timedelta(seconds=error.retry_after)
                if error.retry_after
                else min(self.max_backoff, timedelta(seconds=2**item.attempts))
            )
            await self.store.mark_retry(item.id, error.reason, delay)
            log.warning("delivery of outbox %s failed: %s", item.id, error.reason)
            if error.chat_only and not self._bot_limited(item):
                # One chat's flood limit: that chat waits, everyone else's replies go.
                self._hold(item, delay.total_seconds())
                return False
            # An outage, or rate limits on several chats at once (the bot's own limit),
            # is the channel's, not this reply's: the whole channel waits, so the next
            # try is again the most urgent reply.
            self._paused_until[item.channel] = (
                asyncio.get_running_loop().time() + delay.total_seconds()
            )
            stalled.add(item.channel)
            return False
        await self.store.mark_sent(item.id, channel_message_id=message_id)
        return True

    def _bot_limited(self, item: OutboxItem) -> bool:
        """Whether BOT_LIMITED chats on this channel were rate limited within a second:
        then the limit is the bot's as a whole, and every chat waits."""
        now = asyncio.get_running_loop().time()
        self._limited = {key: at for key, at in self._limited.items() if at > now - 1.0}
        self._limited[(item.channel, item.person_id)] = now
        return sum(channel == item.channel for channel, _ in self._limited) >= BOT_LIMITED

    async def _run_sender(self, channel: str) -> None:
        ready = self._outbox_ready[channel]
        while True:
            paused = self._paused_until.get(channel, 0.0) - asyncio.get_running_loop().time()
            if paused > 0 and not self._closing.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._closing.wait(), paused)
            # Once the processor has taken its last turn, one more pass sends its replies,
            # and more while a chat held back may go again soon (its pace); one told to
            # wait longer has its replies sent after the restart (they stay due).
            last = self._processed_all.is_set()
            # Every instance sends: claims keep a reply to one of them (deliver_due).
            await self.deliver_due([channel])  # a failure: the supervisor restarts this
            release = self._next_release(channel)
            if last and (release is None or release > LAST_PASS_WAIT):
                return
            # Woken by new replies, or when the first chat held back may go again.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ready.wait(), 1 if release is None else min(1, release))
            ready.clear()

    # -- the peer queue's clock and supporters' alerts ----------------------------

    async def queue_clock(self, now: datetime | None = None) -> int:
        """Position updates, "are you still there?" and kind closes; returns how many."""

        def render(key: str, **values: object) -> tuple[str, dict[str, Any]]:
            item = outgoing(self.wording.render(engine.Reply(key, dict(values))))
            return item.key, item.body

        happened = await self.store.peer.tick(render, now)
        staff = [
            StaffMessage(
                f"supporter:{handoff.supporter_id}",
                self.wording.ui("staff_person_quiet", person=handoff.person),
                False,
                handoff.person_id,
            )
            for action, handoff in happened
            if action == "close" and handoff.supporter_id
        ]
        if staff:
            await self.store.peer.alert(staff)
        for _, handoff in happened:
            self.notifier.notify(handoff.person_id)
        if happened:
            self.events.publish(Event(ALL, "queue"))
        self.wake_senders()
        return len(happened)

    async def _run_queue_clock(self) -> None:
        while True:
            if await self.store.db.lead("queue-clock"):  # one process on a shared db
                await self.queue_clock()  # a failure: the supervisor restarts this
            await asyncio.sleep(30)

    async def deliver_staff(self) -> int:
        sender = self.staff_sender
        if sender is None:
            return 0
        sent = 0
        for item in await self.store.peer.staff_due():
            try:
                await sender.send(item["chat_id"], {"text": item["body"]["text"], "options": []})
            except DeliveryError as error:
                retry = None if error.permanent else timedelta(seconds=error.retry_after or 5)
                await self.store.peer.staff_done(item["id"], error.reason, retry)
                continue
            await self.store.peer.staff_done(item["id"])
            sent += 1
        return sent

    async def _run_staff_sender(self) -> None:
        while True:
            if await self.store.db.lead("staff-sender"):  # as for the senders
                await self.deliver_staff()  # a failure: the supervisor restarts this
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._staff_ready.wait(), 2)
            self._staff_ready.clear()

    # -- leads' blocks -------------------------------------------------------------

    async def block_person(self, person_id: str, until: datetime, reason: str, by: str) -> int:
        """A lead blocks a person until a time (the dashboard's button). Their messages are
        still stored and read for risk, urgent replies still go; ordinary replies are
        replaced by one notice. Returns the block's id."""
        block_id = await self.store.block(person_id, until, reason, by)
        log.info("block %s on %s until %s by %s", block_id, person_id, until.isoformat(), by)
        return block_id

    async def unblock_person(self, person_id: str, by: str) -> int:
        """Lift every active block on a person now; returns how many were lifted."""
        lifted = await self.store.unblock(person_id)
        log.info("unblocked %s (%s blocks) by %s", person_id, lifted, by)
        return lifted

    # -- pull channels -----------------------------------------------------------

    async def replies_for(
        self, person_id: str, after_id: int, wait: float = 0
    ) -> list[dict[str, Any]]:
        """Replies after a cursor for a channel that pulls (web chat, terminal).

        Waits up to ``wait`` seconds for something new; what is returned counts as
        delivered."""
        news = self.notifier.event(person_id)
        items = await self.store.replies_after(person_id, after_id)
        if not items and wait > 0:
            # In slices, so that a stopping service ends its long polls at once instead of
            # holding the graceful shutdown for the whole wait.
            until = asyncio.get_running_loop().time() + wait
            while not news.is_set() and not streams_stopping():
                left = until - asyncio.get_running_loop().time()
                if left <= 0:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(news.wait(), min(left, POLL_SLICE))
            items = await self.store.replies_after(person_id, after_id)
        await self.store.mark_delivered([item.id for item in items])
        return [
            {"id": item.id, "key": item.key, "urgent": item.urgent, **item.body} for item in items
        ]
