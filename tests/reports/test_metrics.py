"""GET /metrics: Prometheus text from the store, parsed back with prometheus_client."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import httpx
from prometheus_client.parser import text_string_to_metric_families
from starlette.requests import Request

from bot.store import Store
from bot.store.figures import QueueFigures
from bot.web.metrics import _allowed

from ..conftest import Served
from .conftest import Server, run


def _samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _value(samples: dict, name: str, **labels: str) -> float:
    return samples[name, frozenset(labels.items())]


async def _fail_one_reply(db: Path) -> None:
    async with Store(db) as store:
        rows = await store.db.read("SELECT id FROM outbox ORDER BY id LIMIT 1")
        await store.mark_failed(rows[0]["id"], "test: gone")


def test_metrics_from_the_seeded_store(server: Server, seeded: Path) -> None:
    run(_fail_one_reply(seeded))
    response = server.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    samples = _samples(response.text)
    assert _value(samples, "waitingroom_messages_received_last_hour", channel="web") == 5
    assert _value(samples, "waitingroom_messages_received_last_hour", channel="sms") == 0
    assert _value(samples, "waitingroom_delivery_failures_last_hour", channel="web") == 1
    assert _value(samples, "waitingroom_replies_last_hour", channel="web", status="failed") == 1
    pending = _value(samples, "waitingroom_replies_last_hour", channel="web", status="pending")
    assert pending >= 5  # every message was answered; the web chat has not polled yet
    assert _value(samples, "waitingroom_outbox_pending", channel="web") == pending
    assert _value(samples, "waitingroom_outbox_oldest_pending_seconds", channel="web") >= 0
    assert _value(samples, "waitingroom_contacts_total", channel="web") == 17
    assert _value(samples, "waitingroom_contacts_total", channel="sms") == 3
    assert _value(samples, "waitingroom_contacts_total", channel="telegram") == 7
    assert _value(samples, "waitingroom_urgent_flags_total") == 1
    assert _value(samples, "waitingroom_queue_waiting") == 0
    assert _value(samples, "waitingroom_queue_wait_seconds_count") == 5
    assert _value(samples, "waitingroom_queue_wait_seconds_sum") == 1500
    assert "kill" not in response.text


def test_the_queue_hook_fills_the_queue_figures(server: Server) -> None:
    async def queue(store: Store) -> QueueFigures:
        return QueueFigures(waiting=3, waiting_urgent=1, longest_wait_seconds=42.5)

    server.app.state.queue_figures = queue
    samples = _samples(server.get("/metrics").text)
    assert _value(samples, "waitingroom_queue_waiting") == 3
    assert _value(samples, "waitingroom_queue_waiting_urgent") == 1
    assert _value(samples, "waitingroom_queue_longest_wait_seconds") == 42.5


def test_with_a_token_set_only_the_bearer_gets_in(seeded: Path) -> None:
    with Server(seeded, {"WAITINGROOM_METRICS_TOKEN": "a-long-scrape-token"}) as server:
        assert server.get("/metrics").status_code == 403
        wrong = {"authorization": "Bearer a-long-scrape-tokeN"}
        assert server.get("/metrics", headers=wrong).status_code == 403
        right = {"authorization": "Bearer a-long-scrape-token"}
        assert server.get("/metrics", headers=right).status_code == 200


def _request(host: str, token: str | None = None, header: str = "") -> Request:
    settings = SimpleNamespace(metrics_token=token)
    app = SimpleNamespace(state=SimpleNamespace(service=SimpleNamespace(settings=settings)))
    headers = [(b"authorization", header.encode())] if header else []
    return Request({"type": "http", "client": (host, 5000), "headers": headers, "app": app})


def test_without_a_token_only_loopback_clients_get_in() -> None:
    assert _allowed(_request("127.0.0.1"))
    assert _allowed(_request("::1"))
    assert not _allowed(_request("203.0.113.5"))
    assert not _allowed(_request("10.0.0.8"))
    assert not _allowed(_request("127.0.0.1", token="t0ken-t0ken"))
    assert _allowed(_request("203.0.113.5", token="t0ken-t0ken", header="Bearer t0ken-t0ken"))


def test_the_service_serves_metrics(served: Served) -> None:
    response = httpx.get(served.url + "/metrics", timeout=30)
    assert response.status_code == 200
    names = {family.name for family in text_string_to_metric_families(response.text)}
    assert {"waitingroom_messages_received_last_hour", "waitingroom_queue_waiting"} <= names
