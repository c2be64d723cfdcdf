"""The queue end to end inside the service: join, wait, be taken, talk, end.

A real SQLite file and the real engine and wording; the person writes on the web chat
(a pull channel), so what they would see is read back as the web chat reads it.
"""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime, timedelta

from bot.config import load_settings
from bot.engine import Kind
from bot.peer.desk import Desk
from bot.service import ChannelMessage, Service
from bot.store import Store

from .conftest import add_supporter

_ids = itertools.count()


class Person:
    """Someone on the web chat: sends, and reads what came back since last time."""

    def __init__(self, service: Service, address: str) -> None:
        self.service, self.address, self.cursor = service, address, 0
        self.person_id = ""

    async def send(self, text: str = "", option: str | None = None) -> list[dict[str, object]]:
        kind = Kind.OPTION if option else Kind.TEXT
        message = ChannelMessage("web", self.address, f"m{next(_ids)}", kind, text, option)
        self.person_id, _ = await self.service.receive(message)
        await self.service.process_pending()
        return await self.read()

    async def read(self) -> list[dict[str, object]]:
        replies = await self.service.replies_for(self.person_id, self.cursor)
        if replies:
            self.cursor = int(replies[-1]["id"])  # type: ignore[call-overload]
        return replies


def keys(replies: list[dict[str, object]]) -> list[object]:
    return [reply["key"] for reply in replies]


async def test_nobody_on_shift_is_said_honestly_with_the_next_shift(store: Store) -> None:
    service = Service(load_settings({}), store, directory=None)
    person = Person(service, "web-1")
    replies = await person.send("I want to talk to someone")
    # The web chat page has already greeted them: no greeting said twice.
    assert keys(replies) == ["talk_nobody"]
    text = str(replies[0]["text"])
    assert "Nobody is on shift" in text and "116 123" in text and "999" in text
    assert "leave_message" in str(replies[0]["options"])


async def test_a_person_joins_is_taken_and_talks_both_ways(store: Store) -> None:
    service = Service(load_settings({}), store, directory=None)
    desk = Desk(service)
    await add_supporter(store, "s-1", "Samira", chat="900")
    person = Person(service, "web-2")
    await person.send("hi")
    intro = await person.send("talk to someone")
    assert keys(intro) == ["talk_intro"]
    assert "1 supporter is on shift" in str(intro[0]["text"])
    assert "not clinicians" in str(intro[0]["text"])

    joined = await person.send(option="join")
    assert keys(joined) == ["queue_joined", "topic_ask"]
    assert "number 1" in str(joined[0]["text"])
    assert keys(await person.send("my son won't eat")) == ["topic_saved"]
    (waiting,) = await store.peer.waiting()
    assert waiting.topic == "my son won't eat" and waiting.person.startswith("Guest-")
    # Supporters on Telegram were told someone is waiting, by pseudonym only.
    alerts = await store.peer.staff_due()
    assert any(waiting.person in a["body"]["text"] for a in alerts)
    assert not any("web-2" in a["body"]["text"] for a in alerts)

    taken = await desk.take("s-1")
    assert taken is not None and taken.id == waiting.id
    joined_by = await person.read()
    assert keys(joined_by) == ["peer_joined"] and "Samira" in str(joined_by[0]["text"])

    # The person's words go to the supporter, not to the bot.
    assert await person.send("thank you for coming") == []
    relayed = [a["body"]["text"] for a in await store.peer.staff_due()]
    assert any("thank you for coming" in text for text in relayed)

    assert await desk.say("s-1", taken.id, "I'm here. Take your time.")
    said = await person.read()
    assert keys(said) == ["peer_message"]
    assert said[0]["text"] == "Samira: I'm here. Take your time."

    ended = await desk.end("s-1", taken.id, ["listened"], "Talked about her son.")
    assert ended is not None and ended.handover_note == "Talked about her son."
    assert keys(await person.read()) == ["peer_ended"]
    # Back with the bot afterwards.
    assert keys(await person.send("menu")) == ["menu"]
    waits = await store.counts(kinds=["queue_wait", "peer_end", "queue_join"])
    assert [row["kind"] for row in waits] == ["queue_join", "queue_wait", "peer_end"]


async def test_urgent_words_in_the_queue_move_the_person_up_and_alert(store: Store) -> None:
    service = Service(load_settings({}), store, directory=None)
    await add_supporter(store, "s-1", "Jo", chat="901")
    first, second = Person(service, "web-a"), Person(service, "web-b")
    for person in (first, second):
        await person.send("talk")
        await person.send(option="join")
        await person.send(option="skip")
    assert [h.person_id for h in await store.peer.waiting()] == [first.person_id, second.person_id]
    replies = await second.send("I have taken all my pills")
    assert keys(replies)[:1] == ["urgent"]
    assert [h.person_id for h in await store.peer.waiting()] == [second.person_id, first.person_id]
    alerts = [a for a in await store.peer.staff_due() if a["urgent"]]
    assert alerts and "URGENT" in alerts[0]["body"]["text"]
    taken = await Desk(service).take("s-1")
    assert taken is not None and taken.person_id == second.person_id and taken.was_urgent
    # Reports count the join at the highest priority reached.
    raised = await store.counts(kinds=["queue_raise"])
    assert [row["detail"] for row in raised] == ["none>urgent"]


async def test_leaving_the_queue_by_word_or_by_stop(store: Store) -> None:
    service = Service(load_settings({}), store, directory=None)
    await add_supporter(store, "s-1", "Jo")
    for leaving in ("cancel", "/stop"):
        person = Person(service, f"web-{leaving}")
        await person.send("talk")
        await person.send(option="join")
        await person.send(option="skip")
        if leaving == "/stop":
            message = ChannelMessage(
                "web", person.address, f"m{next(_ids)}", Kind.COMMAND, command="stop"
            )
            await service.receive(message)
            await service.process_pending()
            replies = await person.read()
        else:
            replies = await person.send(leaving)
        assert keys(replies) == ["queue_left"]
    assert await store.peer.waiting() == []
    assert len(await store.counts(kinds=["queue_left"])) == 2


async def test_release_transfer_and_the_queue_clock(store: Store) -> None:
    service = Service(load_settings({}), store, directory=None)
    desk = Desk(service)
    await add_supporter(store, "s-1", "Jo", cap=1)
    await add_supporter(store, "s-2", "Sam", cap=1, chat="902")
    person = Person(service, "web-c")
    await person.send("talk")
    await person.send(option="join")
    await person.send(option="skip")
    taken = await desk.take("s-1")
    assert taken is not None
    await person.read()
    assert await desk.transfer("s-1", taken.id, "s-2")
    moved = await person.read()
    assert keys(moved) == ["peer_transferred"] and "Sam" in str(moved[0]["text"])
    assert not await desk.say("s-1", taken.id, "not mine any more")
    assert await desk.release("s-2", taken.id)
    assert keys(await person.read()) == ["peer_released"]
    (waiting,) = await store.peer.waiting()
    assert waiting.joined_at == taken.joined_at  # their place is kept

    # The clock: a position update, then once taken, silence is asked about, then closed.
    now = datetime.now(UTC)
    await service.queue_clock(now)
    assert keys(await person.read()) == ["queue_position"]
    await service.queue_clock(now + timedelta(seconds=30))
    assert await person.read() == []
    assert await desk.take("s-2") is not None
    await person.read()
    later = datetime.now(UTC) + timedelta(minutes=21)
    await service.queue_clock(later)
    assert keys(await person.read()) == ["peer_still_there"]
    await service.queue_clock(later + timedelta(minutes=11))
    assert keys(await person.read()) == ["peer_closed_quiet"]
    assert (await store.peer.handoff(taken.id)).ended_by == "silence"  # type: ignore[union-attr]
    quiet = [a["body"]["text"] for a in await store.peer.staff_due()]
    assert any("went quiet" in text for text in quiet)


async def test_many_supporters_taking_at_once_take_each_person_exactly_once(
    store: Store,
) -> None:
    service = Service(load_settings({}), store, directory=None)
    desk = Desk(service)
    people = [Person(service, f"web-many-{n}") for n in range(24)]
    for person in people:
        await person.send("talk")
        await person.send(option="join")
    for n in range(8):
        await add_supporter(store, f"s-{n}", f"S{n}", cap=4)
    taken = await asyncio.gather(*(desk.take(f"s-{n % 8}") for n in range(40)))
    ids = [handoff.id for handoff in taken if handoff is not None]
    assert len(ids) == 24 and len(set(ids)) == 24
    for n in range(8):
        assert len(await store.peer.mine(f"s-{n}")) <= 4


async def test_a_message_for_the_next_shift_gets_no_updates_until_someone_is_on(
    store: Store,
) -> None:
    service = Service(load_settings({}), store, directory=None)
    person = Person(service, "web-night")
    await person.send("talk")
    joined = await person.send(option="leave_message")
    # The message is asked for first; only then is it said to be waiting.
    assert keys(joined) == ["message_ask"]
    assert "will be waiting" not in str(joined[0]["text"])
    assert "next shift starts" in str(joined[0]["text"])  # the default hours give a time
    left = await person.send("Please could someone call me about my mum tomorrow")
    assert keys(left) == ["message_left"]
    assert "will be waiting for the next shift" in str(left[0]["text"])
    (handoff,) = await store.peer.waiting()
    assert handoff.topic == "Please could someone call me about my mum tomorrow"
    await service.queue_clock()
    assert await person.read() == []  # nobody on shift: no "you're number 1" overnight
    await add_supporter(store, "s-1", "Jo")
    await service.queue_clock()
    assert keys(await person.read()) == ["queue_position"]
