""""Forget me" in a live peer chat: asked, not relayed; on yes everything goes, the
chat ends for the supporter with a line that names nobody, and the raw SQLite file and
its write-ahead log hold none of it afterwards."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.config import load_settings
from bot.peer.desk import Desk
from bot.service import Service
from bot.store import Store
from bot.store.peer import pseudonym

from .conftest import add_supporter
from .test_peer_service import Person, keys

WORDS = "quokkalantern wombatsaxophone"


def _file_bytes(db: Path) -> bytes:
    """The database file and its write-ahead log, as anyone with the disk would read them."""
    return b"".join(
        path.read_bytes() for path in (db, db.with_name(db.name + "-wal")) if path.exists()
    )


async def test_forget_me_in_a_live_chat_is_asked_not_relayed_and_ends_it(
    store: Store,
) -> None:
    service = Service(load_settings({}), store, directory=None)
    desk = Desk(service)
    await add_supporter(store, "s-1", "Samira", chat="900")
    person = Person(service, "web-forget")
    await person.send("hi")
    await person.send("talk to someone")
    await person.send(option="join")
    await person.send(f"my topic {WORDS}")
    taken = await desk.take("s-1")
    assert taken is not None
    await person.read()
    assert await person.send(f"I said {WORDS}") == []  # relayed, as usual
    assert await desk.say("s-1", taken.id, "I'm here.")
    await person.read()
    guest = pseudonym(person.person_id)

    asked = await person.send("forget me")
    assert keys(asked) == ["forget_ask"]
    relayed = [a["body"]["text"] for a in await store.peer.staff_due()]
    assert not any("forget me" in text for text in relayed)

    assert await person.send("yes") == []  # their old id is gone with everything else
    stand_in = await store.person_for("web", "web-forget")
    assert stand_in is not None and stand_in != person.person_id
    done = await service.replies_for(stand_in, 0)
    assert keys(done) == ["forgotten"]
    text = str(done[0]["text"])
    assert "Everything about you has been deleted" in text
    assert "text messages already on your phone" in text and "backups until they expire" in text
    assert "116 123" in text

    # The supporter: the chat is gone from the desk, with a line that names nobody.
    assert await store.peer.mine("s-1") == []
    due = [a["body"]["text"] for a in await store.peer.staff_due()]
    assert any("One of your conversations has ended" in t for t in due)
    assert not any(guest in t or t == "yes" for t in due)
    rows = await store.db.read("SELECT body FROM staff_outbox")
    assert not any(guest in row["body"] or "quokkalantern" in row["body"] for row in rows)

    # Nothing of it is left in the raw file or the write-ahead log (SQLite: PostgreSQL
    # keeps no file of ours to read).
    path = getattr(store.db, "path", None)
    if path is not None:
        raw = _file_bytes(path)
        for trace in (b"quokkalantern", b"wombatsaxophone", guest.encode()):
            assert trace not in raw, trace
    # The address goes once the last reply has reached them (the upkeep's sweep).
    assert await store.clear_forgotten(datetime.now(UTC)) == 1
    if path is not None:
        assert b"web-forget" not in _file_bytes(path)


async def test_no_answer_keeps_the_chat_going_and_is_not_relayed(store: Store) -> None:
    service = Service(load_settings({}), store, directory=None)
    desk = Desk(service)
    await add_supporter(store, "s-1", "Samira", chat="900")
    person = Person(service, "web-keep")
    for said in ("hi", "talk to someone"):
        await person.send(said)
    await person.send(option="join")
    await person.send(option="skip")
    taken = await desk.take("s-1")
    assert taken is not None
    await person.read()
    assert keys(await person.send("delete my data")) == ["forget_ask"]
    assert keys(await person.send("no")) == ["forget_kept"]
    assert len(await store.peer.mine("s-1")) == 1
    relayed = [a["body"]["text"] for a in await store.peer.staff_due()]
    assert not any(t.endswith((": no", ": delete my data")) for t in relayed)
    assert await person.send("still here") == []  # relayed again
    relayed = [a["body"]["text"] for a in await store.peer.staff_due()]
    assert any(t.endswith(": still here") for t in relayed)
