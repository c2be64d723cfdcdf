"""The in-process event hub: what changed on the desk, pushed to open dashboards.

The service and the desk publish small nudges ("the queue changed", "a line for the
conversation you hold"); each open dashboard (a server-sent events stream) takes the
nudges addressed to it and fetches what it may see through the ordinary, authorised
pages. A nudge carries no words and no names, so a stream can never leak a line.

With more than one instance on one database (PostgreSQL), a dashboard's stream may be
open on any of them: the hub hands each nudge, and who has a stream open, to
``forward`` (the service sends them with NOTIFY), and takes the other instances' from
``heard``. Presence heard from another instance lasts ``PRESENCE_TTL`` unless renewed,
so an instance that dies stops counting its leads as there.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

# A slow browser's queue is bounded: it only ever needs "something changed".
QUEUE_SIZE = 64
ALL = "all"
LEADS = "leads"
# Set from the server's exit signal: uvicorn waits for open responses before the
# lifespan ends, and an event stream never ends by itself, so streams watch this.
_streams_stopping = False
# Other instances' presence is renewed every PRESENCE_EVERY seconds and forgotten after
# PRESENCE_TTL without news.
PRESENCE_EVERY = 10.0
PRESENCE_TTL = 35.0


def stop_streams() -> None:
    global _streams_stopping
    _streams_stopping = True


def streams_stopping() -> bool:
    return _streams_stopping


def to_supporter(supporter_id: str) -> str:
    return f"supporter:{supporter_id}"


@dataclass(frozen=True, slots=True)
class Event:
    """``to``: ``all``, ``leads`` or ``supporter:<id>``; ``kind``: what to fetch again."""

    to: str
    kind: str
    handoff_id: int | None = None


@dataclass(eq=False)
class Subscription:
    supporter_id: str
    lead: bool
    queue: asyncio.Queue[Event] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))

    def wants(self, event: Event) -> bool:
        return (
            event.to == ALL
            or event.to == to_supporter(self.supporter_id)
            or (self.lead and event.to == LEADS)
        )


class EventHub:
    """Publish and subscribe within one process (one service instance), and through
    ``forward``/``heard`` with the others on a shared database."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._subscriptions: set[Subscription] = set()
        # Set when the service stops: open streams end, so stopping never waits on them.
        self.closing = asyncio.Event()
        # Set by the service on a shared database: a note for the other instances.
        self.forward: Callable[[str], None] | None = None
        self.instance = uuid.uuid4().hex[:12]
        self._clock = clock
        # Other instances' open streams: instance -> (supporter ids, heard at).
        self._elsewhere: dict[str, tuple[frozenset[str], float]] = {}

    def publish(self, *events: Event) -> None:
        self.deliver(*events)
        if self.forward is not None:
            for event in events:
                self.forward(
                    json.dumps(
                        {
                            "from": self.instance,
                            "to": event.to,
                            "kind": event.kind,
                            "handoff": event.handoff_id,
                        }
                    )
                )

    def deliver(self, *events: Event) -> None:
        """Into this process's streams only."""
        for event in events:
            for subscription in list(self._subscriptions):
                if not subscription.wants(event):
                    continue
                if subscription.queue.full():
                    # The browser refetches everything on any nudge: dropping the oldest
                    # loses nothing it would not fetch anyway.
                    subscription.queue.get_nowait()
                subscription.queue.put_nowait(event)

    @contextlib.contextmanager
    def subscribe(self, supporter_id: str, lead: bool) -> Iterator[Subscription]:
        """Registered (and told to the other instances) before the caller sends the
        stream's first byte, so whoever sees the stream open sees the supporter there."""
        subscription = Subscription(supporter_id, lead)
        self._subscriptions.add(subscription)
        self.announce()
        try:
            yield subscription
        finally:
            self._subscriptions.discard(subscription)
            self.announce()

    def _here(self) -> set[str]:
        return {s.supporter_id for s in self._subscriptions}

    def present(self) -> set[str]:
        """Who has the dashboard open right now (a stream connected), on any instance."""
        since = self._clock() - PRESENCE_TTL
        here = self._here()
        for ids, heard_at in self._elsewhere.values():
            if heard_at >= since:
                here |= ids
        return here

    def announce(self) -> None:
        """Tell the other instances who has a stream open here (on change, and every
        PRESENCE_EVERY seconds from the service)."""
        if self.forward is not None:
            self.forward(json.dumps({"from": self.instance, "present": sorted(self._here())}))

    def heard(self, note: str) -> None:
        """A note another instance forwarded: a nudge for streams here, or its presence."""
        try:
            body = json.loads(note)
            if body.get("from") == self.instance:
                return  # our own, back from the database
            if "present" in body:
                self._elsewhere[str(body["from"])] = (
                    frozenset(str(i) for i in body["present"]),
                    self._clock(),
                )
                return
            handoff = body.get("handoff")
            event = Event(
                str(body["to"]), str(body["kind"]), None if handoff is None else int(handoff)
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return  # not ours to read: nothing a dashboard needs
        self.deliver(event)

    def close(self) -> None:
        self.closing.set()
