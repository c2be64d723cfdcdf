"""Every dashboard route x {anonymous, supporter, lead}: who gets in, who is sent away.

The routes come from ``bot.web.dashboard.PAGES``, so a page added there is checked here.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from starlette.routing import Route

from bot.config import load_settings
from bot.staff import sessions
from bot.staff.models import Role
from bot.store import Store
from bot.web.app import create_app
from bot.web.dashboard import PAGES
from bot.web.staff_auth import LOGIN_COOKIE, Access, Page

from ..conftest import Served, serve, stop
from .conftest import add_account

WHO = ("anonymous", "supporter", "lead")
CELLS = [
    pytest.param(page, method, who, id=f"{method} {page.path} as {who}")
    for page in PAGES
    for method in page.methods
    for who in WHO
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, dict[str, str]]]:
    tmp_path = tmp_path_factory.mktemp("matrix")
    db = tmp_path / "data" / "waitingroom.sqlite3"
    ids = {
        "supporter": add_account(db, "sam", Role.SUPPORTER, "supporter password 1"),
        "lead": add_account(db, "lena", Role.LEAD, "lead password 123"),
        "target": add_account(db, "tess", Role.SUPPORTER, "target password 1"),
    }
    served = serve(tmp_path)
    yield served, ids
    stop(served)


def _handoff_of(db: Path, supporter_id: str) -> int:
    """A person in a live conversation with ``supporter_id``, for the chat pages."""

    async def make() -> int:
        async with Store(db) as store:
            address = f"matrix-{secrets.token_hex(4)}"
            received = await store.receive("web", address, address, "text", {"text": "hi"})
            async with store.db.write() as conn:
                cursor = await conn.execute(
                    "INSERT INTO handoffs (person_id, status, joined_at, taken_at, supporter_id)"
                    " VALUES (?, 'active', '2026-11-28T20:00:00+00:00',"
                    " '2026-11-28T20:01:00+00:00', ?)",
                    (received.person_id, supporter_id),
                )
                return int(cursor.lastrowid or 0)

    return asyncio.run(make())


def _session(db: Path, supporter_id: str) -> tuple[str, str]:
    async def make() -> tuple[str, str]:
        async with Store(db) as store:
            token, session = sessions.new_session(supporter_id, datetime.now(UTC))
            await store.staff.add_session(session)
            return token, session.csrf_token

    return asyncio.run(make())


def _request(
    site: tuple[Served, dict[str, str]], page: Page, method: str, who: str, *, csrf: bool = True
) -> httpx.Response:
    served, ids = site
    path = page.path.replace("{supporter_id}", ids["target"])
    # A directory entry that exists, so a lead's request reaches the page itself.
    path = path.replace("{entry_id}", "shout")
    if "{handoff_id:int}" in path:
        # A fresh live conversation each time: releasing or ending one changes whose it is.
        path = path.replace("{handoff_id:int}", str(_handoff_of(served.db, ids["supporter"])))
    # A lead reads any live conversation (recorded); an inbox item that is not there.
    path = path.replace("{live_id:int}", str(_handoff_of(served.db, ids["supporter"])))
    path = path.replace("{item_id:int}", "1")
    cookies = {LOGIN_COOKIE: "login-token"}
    token = "login-token"
    if who != "anonymous":
        session, session_csrf = _session(served.db, ids[who])
        cookies["wr_staff"] = session
        if page.access > Access.PUBLIC:
            token = session_csrf
    with httpx.Client(base_url=served.url, cookies=cookies, timeout=30) as client:
        if method == "GET" and path == "/dashboard/events":
            # The event stream never ends by itself: its status and headers are enough.
            with client.stream("GET", path) as response:
                return response
        if method == "GET":
            return client.get(path)
        return client.post(path, data={"csrf": token} if csrf else {})


@pytest.mark.parametrize(("page", "method", "who"), CELLS)
def test_authorisation(
    site: tuple[Served, dict[str, str]], page: Page, method: str, who: str
) -> None:
    response = _request(site, page, method, who)
    to_login = response.status_code == 303 and response.headers["location"] == "/dashboard/login"
    allowed = {"anonymous": Access.PUBLIC, "supporter": Access.SUPPORTER, "lead": Access.LEAD}
    if page.access == Access.PUBLIC:
        assert response.status_code not in (401, 403) and not to_login
    elif who == "anonymous":
        assert to_login, response.status_code
    elif allowed[who] < page.access:
        assert response.status_code == 403
    elif "{handoff_id" in page.path and who != "supporter":
        # A conversation is its supporter's alone: not another's, not a lead's.
        assert response.status_code == 403
    else:
        # Let in: the page may still refuse what was (not) filled in, but not the person.
        assert response.status_code not in (401, 403), response.status_code
        assert response.status_code < 500
        # Logging out ends at the login page; anything else there would mean "not let in".
        assert not to_login or page.path == "/dashboard/logout"


@pytest.mark.parametrize(
    "page",
    [pytest.param(p, id=p.path) for p in PAGES if "POST" in p.methods],
)
def test_every_form_needs_its_csrf_token(site: tuple[Served, dict[str, str]], page: Page) -> None:
    response = _request(site, page, "POST", "lead", csrf=False)
    assert response.status_code == 403


def test_another_sessions_csrf_token_does_not_work(site: tuple[Served, dict[str, str]]) -> None:
    served, ids = site
    mine, _ = _session(served.db, ids["supporter"])
    _, theirs = _session(served.db, ids["supporter"])
    with httpx.Client(base_url=served.url, cookies={"wr_staff": mine}, timeout=30) as client:
        response = client.post("/dashboard/shift", data={"csrf": theirs, "on": "1"})
    assert response.status_code == 403


def test_every_dashboard_route_in_the_app_is_declared_with_its_role(tmp_path: Path) -> None:
    app = create_app(load_settings({"WAITINGROOM_DB": str(tmp_path / "wr.sqlite3")}))
    mounted = {
        (route.path, method)
        for route in app.app.routes  # type: ignore[attr-defined]
        if isinstance(route, Route) and route.path.startswith("/dashboard")
        for method in route.methods or ()
        if method != "HEAD"
    }
    declared = {(page.path, method) for page in PAGES for method in page.methods}
    assert mounted == declared
