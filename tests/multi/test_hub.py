"""The desk's event hub between instances (bot.events): nudges and presence handed to
``forward`` reach another hub's streams through ``heard``; presence heard lapses when
it is not renewed; a hub ignores its own notes and anything it cannot read."""

from __future__ import annotations

import json

from bot.events import ALL, LEADS, PRESENCE_TTL, Event, EventHub, to_supporter


class Wire:
    """Two hubs joined as NOTIFY joins them: every note to every hub, the sender too."""

    def __init__(self, *hubs: EventHub) -> None:
        self.hubs = hubs
        for hub in hubs:
            hub.forward = self.send

    def send(self, note: str) -> None:
        for hub in self.hubs:
            hub.heard(note)


async def test_a_nudge_on_one_instance_reaches_a_stream_on_the_other() -> None:
    here, there = EventHub(), EventHub()
    Wire(here, there)
    with there.subscribe("lena", lead=True) as lena, there.subscribe("sam", lead=False) as sam:
        here.publish(Event(LEADS, "inbox", 7), Event(to_supporter("sam"), "line", 3))
        assert lena.queue.get_nowait() == Event(LEADS, "inbox", 7)
        assert lena.queue.empty()
        assert sam.queue.get_nowait() == Event(to_supporter("sam"), "line", 3)
        # Published there: delivered there once, not again from the echo.
        there.publish(Event(ALL, "queue"))
        assert lena.queue.get_nowait() == Event(ALL, "queue")
        assert lena.queue.empty()


async def test_presence_crosses_and_lapses_unless_renewed() -> None:
    now = [1000.0]
    here, there = EventHub(clock=lambda: now[0]), EventHub(clock=lambda: now[0])
    Wire(here, there)
    with there.subscribe("lena", lead=True):
        assert here.present() == {"lena"}  # told when the stream opened
        now[0] += PRESENCE_TTL - 1
        there.announce()  # the service renews it every PRESENCE_EVERY seconds
        now[0] += PRESENCE_TTL - 1
        assert here.present() == {"lena"}
        now[0] += 2  # that instance died: nothing renewed it
        assert here.present() == set()
        there.announce()
    assert here.present() == set()  # the stream closed: told at once


async def test_notes_it_cannot_read_change_nothing() -> None:
    hub = EventHub()
    with hub.subscribe("lena", lead=True) as lena:
        for note in ("", "not json", "[]", json.dumps({"from": "x"}), json.dumps({"to": 1})):
            hub.heard(note)
        hub.heard(json.dumps({"from": hub.instance, "to": ALL, "kind": "queue"}))  # its own
        assert lena.queue.empty()
        assert hub.present() == {"lena"}
