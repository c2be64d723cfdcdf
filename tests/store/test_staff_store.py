"""Supporter accounts, sessions, lockout and Telegram links on a real SQLite file."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.staff import link_codes, lockout, passwords, sessions
from bot.staff.models import Role
from bot.store import Store
from bot.store.staff import NameTaken

T0 = datetime(2026, 11, 28, 20, 0, tzinfo=UTC)
HASH = passwords.hash_password("correct horse battery")


async def _session(store: Store, supporter_id: str, at: datetime) -> tuple[str, sessions.Session]:
    token, session = sessions.new_session(supporter_id, at)
    await store.staff.add_session(session)
    return token, session


async def _code(store: Store, supporter_id: str, at: datetime) -> str:
    code, kept = link_codes.issue(supporter_id, at)
    await store.staff.add_link_code(kept)
    return code


@pytest.fixture
async def store(where: Path | str) -> AsyncIterator[Store]:
    async with Store(where) as opened:
        yield opened


async def test_add_get_list_and_update(store: Store) -> None:
    ann = await store.staff.add_supporter(
        "ann", "Ann", Role.SUPPORTER, HASH, tags=("carer", "language:pl"), at=T0
    )
    assert ann.id.startswith("s-") and ann.must_change_password and ann.caseload_cap == 2
    assert ann.tags == ("carer", "language:pl") and ann.created_at == T0
    assert await store.staff.by_name("ANN") == ann
    assert await store.staff.get(ann.id) == ann
    with pytest.raises(NameTaken):
        await store.staff.add_supporter("Ann", "Annie", Role.LEAD, HASH)
    await store.staff.add_supporter("bea", "Bea", Role.LEAD, HASH)
    assert [s.name for s in await store.staff.list()] == ["ann", "bea"]

    changed = await store.staff.update(
        ann.id, display_name="Annie", role=Role.LEAD, caseload_cap=1, tags=()
    )
    assert changed is not None
    assert (changed.display_name, changed.role, changed.caseload_cap, changed.tags) == (
        "Annie",
        Role.LEAD,
        1,
        (),
    )
    assert await store.staff.update(ann.id) == changed


async def test_the_database_refuses_impossible_values(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        await store.staff.add_supporter("cat", "Cat", Role.SUPPORTER, HASH, caseload_cap=0)


async def test_sessions_live_idle_out_and_end(store: Store) -> None:
    ann = await store.staff.add_supporter("ann", "Ann", Role.SUPPORTER, HASH, at=T0)
    token, session = await _session(store, ann.id, T0)
    rows = await store.db.read("SELECT token_hash FROM staff_sessions")
    assert [row["token_hash"] for row in rows] == [session.token_hash]
    assert token not in session.token_hash

    found = await store.staff.lookup_session(token, at=T0 + timedelta(minutes=20))
    assert found is not None and found[0].id == ann.id and found[1].csrf_token
    await store.staff.touch_session(session.token_hash, at=T0 + timedelta(minutes=20))
    assert await store.staff.lookup_session(token, at=T0 + timedelta(minutes=45))
    assert await store.staff.lookup_session("made-up", at=T0) is None
    assert await store.staff.lookup_session(token, at=T0 + timedelta(minutes=51)) is None
    assert await store.db.read("SELECT * FROM staff_sessions") == []  # expired: deleted

    token, _ = await _session(store, ann.id, T0)
    await store.staff.delete_session(token)
    assert await store.staff.lookup_session(token, at=T0) is None


async def test_a_new_password_or_disabling_ends_every_session(store: Store) -> None:
    ann = await store.staff.add_supporter("ann", "Ann", Role.SUPPORTER, HASH, at=T0)
    first, _ = await _session(store, ann.id, T0)
    one_time, hashed = passwords.reset()
    await store.staff.set_password(ann.id, hashed, must_change=True, at=T0)
    assert await store.staff.lookup_session(first, at=T0) is None
    stored = await store.staff.password_hash(ann.id)
    assert passwords.verify(stored, one_time)[0]
    assert (await store.staff.get(ann.id)).must_change_password  # type: ignore[union-attr]

    second, _ = await _session(store, ann.id, T0)
    await store.staff.set_shift(ann.id, True)
    await store.staff.disable(ann.id, at=T0)
    assert await store.staff.lookup_session(second, at=T0) is None
    gone = await store.staff.get(ann.id)
    assert gone is not None and not gone.active and not gone.on_shift


async def test_shift_and_break(store: Store) -> None:
    ann = await store.staff.add_supporter("ann", "Ann", Role.SUPPORTER, HASH, at=T0)
    await store.staff.set_shift(ann.id, True)
    await store.staff.set_break(ann.id, T0 + timedelta(minutes=30))
    now = await store.staff.get(ann.id)
    assert now is not None and now.on_shift and now.break_until == T0 + timedelta(minutes=30)
    assert not now.available(T0) and now.available(T0 + timedelta(minutes=30))
    await store.staff.set_shift(ann.id, False)  # going off shift ends the break too
    off = await store.staff.get(ann.id)
    assert off is not None and not off.on_shift and off.break_until is None


async def _fail(store: Store, name: str, at: datetime) -> bool:
    """One wrong password for ``name`` at ``at``; True if that locks it."""
    after = await store.staff.change_login_failures(name, lambda f: lockout.after_failure(f, at))
    return after is not None and lockout.is_locked(after, at)


async def test_lockout_by_name_known_or_not(store: Store) -> None:
    for name in ("ann", "nobody"):
        locked = [await _fail(store, name, T0) for _ in range(5)]
        assert locked == [False, False, False, False, True]
        failures = await store.staff.login_failures(name.upper())
        assert failures.locked_until == T0 + timedelta(minutes=15)
    await store.staff.clear_login_failures("ann")
    assert (await store.staff.login_failures("ann")).count == 0


async def test_telegram_link_codes_work_once_for_ten_minutes(store: Store) -> None:
    ann = await store.staff.add_supporter("ann", "Ann", Role.SUPPORTER, HASH, at=T0)
    bea = await store.staff.add_supporter("bea", "Bea", Role.SUPPORTER, HASH, at=T0)
    code = await _code(store, ann.id, T0)
    rows = await store.db.read("SELECT code_hash FROM telegram_link_codes")
    assert code not in rows[0]["code_hash"]

    linked = await store.staff.link_telegram(code.lower(), "1001", at=T0 + timedelta(minutes=9))
    assert linked is not None and linked.id == ann.id and linked.telegram_chat_id == "1001"
    assert await store.staff.link_telegram(code, "1001", at=T0) is None  # used up
    assert (await store.staff.by_telegram("1001")) == linked

    late = await _code(store, bea.id, T0)
    assert await store.staff.link_telegram(late, "2002", at=T0 + timedelta(minutes=10)) is None
    assert await store.staff.link_telegram("WRONGONE", "2002", at=T0) is None

    # The same chat linked by another supporter moves to them.
    moved = await _code(store, bea.id, T0)
    assert (await store.staff.link_telegram(moved, "1001", at=T0)).id == bea.id  # type: ignore[union-attr]
    assert (await store.staff.get(ann.id)).telegram_chat_id is None  # type: ignore[union-attr]

    await store.staff.unlink_telegram(bea.id)
    assert await store.staff.by_telegram("1001") is None


async def test_a_new_code_replaces_the_old_one(store: Store) -> None:
    ann = await store.staff.add_supporter("ann", "Ann", Role.SUPPORTER, HASH, at=T0)
    old = await _code(store, ann.id, T0)
    new = await _code(store, ann.id, T0)
    assert await store.staff.link_telegram(old, "1", at=T0) is None
    assert await store.staff.link_telegram(new, "1", at=T0) is not None


async def test_a_disabled_supporter_cannot_link_or_be_found_by_chat(store: Store) -> None:
    ann = await store.staff.add_supporter("ann", "Ann", Role.SUPPORTER, HASH, at=T0)
    code = await _code(store, ann.id, T0)
    linked = await store.staff.link_telegram(code, "1", at=T0)
    assert linked is not None
    code = await _code(store, ann.id, T0)
    await store.staff.disable(ann.id, at=T0)
    assert await store.staff.by_telegram("1") is None
    assert await store.staff.link_telegram(code, "1", at=T0) is None


async def test_deleting_a_supporter_removes_their_sessions_and_codes(store: Store) -> None:
    ann = await store.staff.add_supporter("ann", "Ann", Role.SUPPORTER, HASH, at=T0)
    await _session(store, ann.id, T0)
    await _code(store, ann.id, T0)
    async with store.db.write() as conn:
        await conn.execute("DELETE FROM supporters WHERE id = ?", (ann.id,))
    assert await store.db.read("SELECT * FROM staff_sessions") == []
    assert await store.db.read("SELECT * FROM telegram_link_codes") == []


async def test_purge_expired_keeps_what_is_still_live(store: Store) -> None:
    ann = await store.staff.add_supporter("ann", "Ann", Role.SUPPORTER, HASH, at=T0)
    await _session(store, ann.id, T0)
    await _code(store, ann.id, T0)
    for _ in range(5):
        await _fail(store, "ann", T0)
    await _fail(store, "nobody", T0 + timedelta(hours=11))
    await _fail(store, "locked", T0 + timedelta(hours=12))
    for _ in range(4):
        await _fail(store, "locked", T0 + timedelta(hours=12))
    later = T0 + timedelta(hours=12)
    new, _ = await _session(store, ann.id, later)
    assert await store.staff.purge_expired(later) == 4
    assert (await store.staff.login_failures("locked")).count == 5
    assert await store.staff.lookup_session(new, at=later) is not None
    rows = await store.db.read("SELECT count(*) AS n FROM staff_sessions")
    assert rows[0]["n"] == 1
