"""Over https the pre-login CSRF cookie is a __Host- cookie, and only that one counts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.staff.models import Role

from ..conftest import Served, serve, stop
from .conftest import SUPPORTER_PASSWORD, add_account

_CSRF = re.compile(r'name="csrf" value="([^"]*)"')


@pytest.fixture
def https_site(tmp_path: Path) -> Iterator[Served]:
    served = serve(tmp_path, {"WAITINGROOM_PUBLIC_URL": "https://waitingroom.example"})
    yield served
    stop(served)


def test_the_login_cookie_has_the_host_prefix_over_https(https_site: Served) -> None:
    add_account(https_site.db, "sam", Role.SUPPORTER, SUPPORTER_PASSWORD)
    page = httpx.get(f"{https_site.url}/dashboard/login")
    cookie = page.headers["set-cookie"]
    assert cookie.startswith("__Host-wr_login="), cookie
    attributes = [part.strip().lower() for part in cookie.split(";")]
    assert "secure" in attributes and "path=/" in attributes and "httponly" in attributes
    assert not any(part.startswith("domain") for part in attributes)
    token = cookie.split(";", 1)[0].split("=", 1)[1]
    found = _CSRF.search(page.text)
    assert found and found.group(1) == token

    def login(cookie_name: str) -> httpx.Response:
        # Sent by hand: a cookie jar keeps Secure cookies off this loopback http.
        return httpx.post(
            f"{https_site.url}/dashboard/login",
            data={"csrf": token, "name": "sam", "password": SUPPORTER_PASSWORD},
            headers={"cookie": f"{cookie_name}={token}"},
        )

    # A cookie without the prefix could have been planted by a subdomain: refused.
    assert login("wr_login").status_code == 403
    accepted = login("__Host-wr_login")
    assert accepted.status_code == 303
    cleared = [c for c in accepted.headers.get_list("set-cookie") if "wr_login" in c]
    assert cleared and cleared[0].startswith("__Host-wr_login=")
