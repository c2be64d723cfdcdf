"""Safety answers raise the peer queue, through the real service, store and wording.

"No, I'm not safe" and a carer's "No, or I'm not sure" make the handoff urgent (joining
after it, or already waiting); risk words in the topic are kept as the topic and raise
it too; the desk can fetch the messages that raised the flag, with their rule ids.
"""

from __future__ import annotations

from bot.config import load_settings
from bot.peer.desk import Desk
from bot.risk import Level
from bot.service import Service
from bot.store import Store

from .conftest import add_supporter
from .test_peer_service import Person, keys


async def test_no_im_not_safe_while_waiting_makes_the_handoff_urgent(store: Store) -> None:
    service = Service(load_settings({}), store, directory=None)
    await add_supporter(store, "s-1", "Jo", chat="901")
    first, second = Person(service, "web-a"), Person(service, "web-b")
    for person in (first, second):
        await person.send("talk")
        await person.send(option="join")
        await person.send(option="skip")
    (handoff, _) = await store.peer.waiting()
    assert handoff.priority == Level.NONE and handoff.person_id == first.person_id

    assert keys(await second.send(option="urgent")) == ["urgent", "are_you_safe"]
    assert keys(await second.send(option="safe_no")) == ["safe_no"]
    waiting = await store.peer.waiting()
    assert [h.person_id for h in waiting] == [second.person_id, first.person_id]
    assert waiting[0].priority == Level.URGENT and waiting[0].was_urgent
    alerts = [a for a in await store.peer.staff_due() if a["urgent"]]
    assert alerts and "URGENT" in alerts[0]["body"]["text"]

    # The desk can show what raised the flag: the answer, by its message.
    (raised,) = await store.risk_messages(handoff_id=waiting[0].id)
    assert (raised.source, raised.rules, raised.option) == (
        "answer",
        ("answer:safe_no",),
        "safe_no",
    )
    taken = await Desk(service).take("s-1")
    assert taken is not None and taken.person_id == second.person_id


async def test_a_carer_whose_person_is_not_safe_joins_the_queue_as_urgent(store: Store) -> None:
    service = Service(load_settings({}), store, directory=None)
    await add_supporter(store, "s-1", "Jo", chat="901")
    carer = Person(service, "web-c")
    await carer.send("hi")
    await carer.send(option="carer")
    assert keys(await carer.send("no")) == ["carer_urgent"]
    await carer.send(option="talk")
    assert keys(await carer.send(option="join")) == ["queue_joined", "topic_ask"]
    (handoff,) = await store.peer.waiting()
    assert handoff.priority == Level.URGENT and handoff.audience == "carer"
    staff = [a["body"]["text"] for a in await store.peer.staff_due()]
    assert any("URGENT" in text and "A carer" in text for text in staff)
    (raised,) = await store.risk_messages(carer.person_id)
    assert raised.rules == ("answer:they_not_safe",) and raised.text == "no"


async def test_risk_words_in_the_topic_are_kept_and_shown_beside_the_flag(store: Store) -> None:
    service = Service(load_settings({}), store, directory=None)
    await add_supporter(store, "s-1", "Jo", chat="901")
    person = Person(service, "web-d")
    await person.send("talk")
    await person.send(option="join")
    topic = "I have taken all my pills and want to talk"
    replies = await person.send(topic)
    assert keys(replies) == ["urgent", "topic_saved"]
    assert replies[0]["urgent"]
    (handoff,) = await store.peer.waiting()
    assert handoff.topic == topic and handoff.priority == Level.URGENT
    (raised,) = await store.risk_messages(handoff_id=handoff.id)
    assert raised.text == topic and raised.source == "message"
    assert raised.rules and "act_in_progress" in raised.categories
    # The record itself keeps rule ids and the message's id, never the words.
    (event,) = await store.risk_events(person.person_id)
    assert event["inbox_id"] == raised.inbox_id and topic not in str(event)
