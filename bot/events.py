"""The in-process event hub: what changed on the desk, pushed to open dashboards.

The service and the desk publish small nudges ("the queue changed", "a line for the
conversation you hold"); each open dashboard (a server-sent events stream) takes the
nudges addressed to it and fetches what it may see through the ordinary, authorised
pages. A nudge carries no words and no names, so a stream can never leak a line.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field

# A slow browser's queue is bounded: it only ever needs "something changed".
QUEUE_SIZE = 64
ALL = "all"
LEADS = "leads"
# Set from the server's exit signal: uvicorn waits for open responses before the
# lifespan ends, and an event stream never ends by itself, so streams watch this.
_streams_stopping = False


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
    """Publish and subscribe within one process (one service instance)."""

    def __init__(self) -> None:
        self._subscriptions: set[Subscription] = set()
        # Set when the service stops: open streams end, so stopping never waits on them.
        self.closing = asyncio.Event()

    def publish(self, *events: Event) -> None:
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
        subscription = Subscription(supporter_id, lead)
        self._subscriptions.add(subscription)
        try:
            yield subscription
        finally:
            self._subscriptions.discard(subscription)

    def present(self) -> set[str]:
        """Who has the dashboard open right now (a stream connected)."""
        return {s.supporter_id for s in self._subscriptions}

    def close(self) -> None:
        self.closing.set()
