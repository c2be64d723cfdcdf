"""``GET /metrics``: the service's figures in Prometheus text format.

Built per request from the store (a fresh registry each time, so nothing is held in
memory between scrapes and several workers would agree). Only loopback clients may
read it, unless ``WAITINGROOM_METRICS_TOKEN`` is set: then a Bearer token is needed.

The peer queue's figures come through a hook: ``app.state.queue_figures``, an async
callable taking the Store and returning ``QueueFigures``; without it the queue reads 0.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable, Iterator

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    Metric,
    SummaryMetricFamily,
)
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.store import StoreContract
from bot.store.figures import QueueFigures, Traffic, traffic

QueueHook = Callable[[StoreContract], Awaitable[QueueFigures]]
CHANNELS = ("telegram", "sms", "web")
STATUSES = ("pending", "sent", "delivered", "failed")


async def no_queue(store: StoreContract) -> QueueFigures:
    """The queue before the peer queue is wired in: nobody waiting."""
    return QueueFigures()


class _Snapshot(Collector):
    """Figures already read from the store, handed to prometheus_client to format."""

    def __init__(self, figures: Traffic, queue: QueueFigures) -> None:
        self.figures = figures
        self.queue = queue

    def collect(self) -> Iterator[Metric]:
        f = self.figures
        channels = sorted(
            {*CHANNELS, *f.received_recent, *f.pending, *f.contacts}
            | {c for c, _ in f.replies_recent}
        )
        received = GaugeMetricFamily(
            "waitingroom_messages_received_last_hour",
            "Messages received in the last hour, by channel.",
            labels=["channel"],
        )
        replies = GaugeMetricFamily(
            "waitingroom_replies_last_hour",
            "Replies stored in the last hour, by channel and delivery status now.",
            labels=["channel", "status"],
        )
        failures = GaugeMetricFamily(
            "waitingroom_delivery_failures_last_hour",
            "Replies stored in the last hour that could not be delivered, by channel.",
            labels=["channel"],
        )
        pending = GaugeMetricFamily(
            "waitingroom_outbox_pending",
            "Replies waiting to be sent, by channel.",
            labels=["channel"],
        )
        oldest = GaugeMetricFamily(
            "waitingroom_outbox_oldest_pending_seconds",
            "Age of the oldest reply waiting to be sent, by channel (0 when none).",
            labels=["channel"],
        )
        contacts = CounterMetricFamily(
            "waitingroom_contacts",
            "Conversations started (a first message after six hours of silence), by channel.",
            labels=["channel"],
        )
        for channel in channels:
            received.add_metric([channel], f.received_recent.get(channel, 0))
            for status in STATUSES:
                replies.add_metric([channel, status], f.replies_recent.get((channel, status), 0))
            failures.add_metric([channel], f.failures_recent.get(channel, 0))
            pending.add_metric([channel], f.pending.get(channel, 0))
            oldest.add_metric([channel], f.oldest_pending_seconds.get(channel, 0.0))
            contacts.add_metric([channel], f.contacts.get(channel, 0))
        yield from (received, replies, failures, pending, oldest, contacts)
        yield CounterMetricFamily(
            "waitingroom_urgent_flags",
            "Urgent risk flags that alerted supporters.",
            value=f.urgent_flags,
        )
        yield GaugeMetricFamily(
            "waitingroom_queue_waiting", "People waiting in the peer queue.", self.queue.waiting
        )
        yield GaugeMetricFamily(
            "waitingroom_queue_waiting_urgent",
            "People waiting in the peer queue with urgent priority.",
            self.queue.waiting_urgent,
        )
        yield GaugeMetricFamily(
            "waitingroom_queue_longest_wait_seconds",
            "How long the person waiting longest has waited.",
            self.queue.longest_wait_seconds,
        )
        yield SummaryMetricFamily(
            "waitingroom_queue_wait_seconds",
            "Time from joining the peer queue to being taken by a supporter.",
            count_value=f.queue_waits,
            sum_value=f.queue_wait_seconds,
        )


def _allowed(request: Request) -> bool:
    token: str | None = request.app.state.service.settings.metrics_token
    if token:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), token.encode())
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def metrics(request: Request) -> Response:
    if not _allowed(request):
        return PlainTextResponse(
            "Forbidden", status_code=403, headers={"www-authenticate": "Bearer"}
        )
    store: StoreContract = request.app.state.service.store
    hook: QueueHook = getattr(request.app.state, "queue_figures", None) or no_queue
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Snapshot(await traffic(store.db, store.clock()), await hook(store)))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


routes = [Route("/metrics", metrics, methods=["GET"])]
