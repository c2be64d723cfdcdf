"""The directory's working copy on a real SQLite file (and PostgreSQL, where a test
takes ``where``): the seed never overwrites a lead's edit, every change is in the
history, a stale page cannot undo a newer change, and a service started again offers
what the lead left."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import load_settings
from bot.directory import Status, load_directory
from bot.directory.editing import body_of, with_status
from bot.service import Service
from bot.store import Store
from bot.store.directory import Change

AT = datetime(2026, 12, 1, 12, tzinfo=UTC)


async def test_seed_adds_only_what_is_missing_and_keeps_a_leads_edit(where: Path | str) -> None:
    shipped = load_directory()
    haven = shipped.get("haven-cellar-trust")
    assert haven is not None
    async with Store(where) as store:
        seed = [Change(e.id, body_of(e), "seed", "seed:test") for e in shipped.entries]
        assert await store.directory.seed(seed, AT) == len(shipped.entries)
        verified = with_status(haven, Status.ACTIVE, source="phoned")
        assert await store.directory.save(
            [Change(haven.id, body_of(verified), "verify", verified_source="phoned")],
            "s-lead",
            AT + timedelta(minutes=1),
        )
        assert await store.directory.seed(seed, AT + timedelta(days=1)) == 0
        kept = await store.directory.get(haven.id)
        assert kept is not None and kept.body["status"] == "active"
        assert (kept.verified_by, kept.verified_source) == ("s-lead", "phoned")
        history = await store.directory.history(haven.id)
        assert [(h.action, h.by) for h in history] == [("verify", "s-lead"), ("seed", "seed")]
        assert history[0].before is not None and history[0].before["status"] == "unverified"


async def test_a_change_from_a_stale_page_is_refused(where: Path | str) -> None:
    shipped = load_directory()
    shout = shipped.get("shout")
    assert shout is not None
    async with Store(where) as store:
        await store.directory.seed([Change(shout.id, body_of(shout), "seed", "seed:t")], AT)
        opened = await store.directory.get("shout")
        assert opened is not None
        first = Change("shout", {**body_of(shout), "notes": "first"}, "edit")
        later = AT + timedelta(seconds=1)
        assert await store.directory.save([first], "a", later, {"shout": opened.updated_at})
        second = Change("shout", {**body_of(shout), "notes": "second"}, "edit")
        assert not await store.directory.save([second], "b", later, {"shout": opened.updated_at})
        now = await store.directory.get("shout")
        assert now is not None and now.body["notes"] == "first"


async def test_a_restarted_service_offers_what_the_lead_left(tmp_path: Path) -> None:
    settings = load_settings({"WAITINGROOM_DB": str(tmp_path / "wr.sqlite3")})
    async with Store(settings.db_path) as store:
        service = Service(settings, store)
        await service.seed_directory()
        assert service.directory is not None
        haven = service.directory.get("haven-cellar-trust")
        assert haven is not None and haven.status is Status.UNVERIFIED
        verified = with_status(haven, Status.ACTIVE, source="phoned")
        await store.directory.save([Change(haven.id, body_of(verified), "verify")], "s-1", AT)
        await service.refresh_directory()
        assert service.directory.get("haven-cellar-trust").status is Status.ACTIVE  # type: ignore[union-attr]
    async with Store(settings.db_path) as store:
        again = Service(settings, store)
        await again.seed_directory()
        assert again.directory is not None
        assert again.directory.get("haven-cellar-trust").status is Status.ACTIVE  # type: ignore[union-attr]
        assert again.directory.files["haven-cellar-trust"] == "seed:bradford.yaml"
