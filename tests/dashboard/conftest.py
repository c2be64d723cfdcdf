"""A served dashboard with a lead and a supporter, and a small client that fills forms."""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.staff import passwords
from bot.staff.models import Role
from bot.store import Store

from ..conftest import Served, serve, stop

LEAD_PASSWORD = "lead password 123"
SUPPORTER_PASSWORD = "supporter password 123"
_CSRF = re.compile(r'name="csrf" value="([^"]*)"')


def add_account(
    db: Path, name: str, role: Role, password: str, *, must_change: bool = False
) -> str:
    """Straight into the served file (WAL lets the service and the test share it)."""

    async def add() -> str:
        async with Store(db) as store:
            added = await store.staff.add_supporter(
                name,
                name.title(),
                role,
                passwords.hash_password(password),
                must_change_password=must_change,
            )
            return added.id

    return asyncio.run(add())


class Desk:
    """One browser's worth of cookies against the dashboard; redirects are not followed."""

    def __init__(self, url: str) -> None:
        self.client = httpx.Client(base_url=url, timeout=30, follow_redirects=False)

    def close(self) -> None:
        self.client.close()

    def csrf(self, path: str = "/dashboard/account") -> str:
        page = self.client.get(path)
        found = _CSRF.search(page.text)
        assert found, (page.status_code, page.text[:300])
        return found.group(1)

    def login(self, name: str, password: str) -> httpx.Response:
        token = self.csrf("/dashboard/login")
        return self.client.post(
            "/dashboard/login", data={"csrf": token, "name": name, "password": password}
        )

    def post(self, path: str, data: dict[str, str] | None = None) -> httpx.Response:
        return self.client.post(path, data={"csrf": self.csrf(), **(data or {})})

    def get(self, path: str) -> httpx.Response:
        return self.client.get(path)


@dataclass
class Dashboard:
    """Per test: a lead and a supporter of its own on the module's server."""

    served: Served
    suffix: str
    lead_id: str
    supporter_id: str
    desks: list[Desk]

    @property
    def lena(self) -> str:
        return f"lena{self.suffix}"

    @property
    def sam(self) -> str:
        return f"sam{self.suffix}"

    def desk(self) -> Desk:
        self.desks.append(Desk(self.served.url))
        return self.desks[-1]

    def lead(self) -> Desk:
        desk = self.desk()
        assert desk.login(self.lena, LEAD_PASSWORD).status_code == 303
        return desk

    def supporter(self) -> Desk:
        desk = self.desk()
        assert desk.login(self.sam, SUPPORTER_PASSWORD).status_code == 303
        return desk


@pytest.fixture(scope="module")
def dashboard_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    # One server per module: starting one per test would cost most of the test's time.
    served = serve(tmp_path_factory.mktemp("dashboard"))
    yield served
    stop(served)


@pytest.fixture
def dashboard(dashboard_server: Served) -> Iterator[Dashboard]:
    suffix = secrets.token_hex(3)
    db = dashboard_server.db
    lead_id = add_account(db, f"lena{suffix}", Role.LEAD, LEAD_PASSWORD)
    supporter_id = add_account(db, f"sam{suffix}", Role.SUPPORTER, SUPPORTER_PASSWORD)
    made = Dashboard(dashboard_server, suffix, lead_id, supporter_id, [])
    yield made
    for desk in made.desks:
        desk.close()
