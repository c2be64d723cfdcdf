"""The lockout holds against guesses sent at once, and real logins never wait behind a
crowd of guesses at names that do not exist."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from .conftest import LEAD_PASSWORD, SUPPORTER_PASSWORD, Dashboard, Desk


def _ready(dashboard: Dashboard, n: int) -> list[tuple[Desk, str]]:
    """n browsers, each holding the login form's token, ready to post at once."""
    desks = [dashboard.desk() for _ in range(n)]
    return [(desk, desk.csrf("/dashboard/login")) for desk in desks]


def _post(desk: Desk, token: str, name: str, password: str) -> httpx.Response:
    return desk.client.post(
        "/dashboard/login", data={"csrf": token, "name": name, "password": password}
    )


def test_a_burst_of_forty_guesses_gets_at_most_five_checked(dashboard: Dashboard) -> None:
    ready = _ready(dashboard, 40)
    guesses = [f"wrong guess {i:02}" for i in range(40)]
    guesses[20] = SUPPORTER_PASSWORD  # the attacker's list holds the right one
    with ThreadPoolExecutor(max_workers=40) as pool:
        answers = list(
            pool.map(
                lambda pair: _post(pair[0][0], pair[0][1], dashboard.sam, pair[1]),
                zip(ready, guesses, strict=True),
            )
        )
    statuses = [answer.status_code for answer in answers]
    checked = [s for s in statuses if s != 429]
    assert len(checked) <= 5, statuses
    assert 303 not in statuses or (statuses.index(303) == 20 and len(checked) <= 5)
    # However they raced, the name is locked now, for the right password too.
    assert dashboard.desk().login(dashboard.sam, SUPPORTER_PASSWORD).status_code == 429


def test_a_real_login_does_not_queue_behind_guesses_at_unknown_names(
    dashboard: Dashboard,
) -> None:
    started = time.monotonic()
    assert dashboard.desk().login(dashboard.lena, LEAD_PASSWORD).status_code == 303
    one_login = time.monotonic() - started
    ready = _ready(dashboard, 30)
    desk = dashboard.desk()
    token = desk.csrf("/dashboard/login")
    with ThreadPoolExecutor(max_workers=31) as pool:
        bogus = [
            pool.submit(_post, d, t, f"nobody{i}{dashboard.suffix}", "guess")
            for i, (d, t) in enumerate(ready)
        ]
        time.sleep(0.05)  # the crowd goes first
        started = time.monotonic()
        real = _post(desk, token, dashboard.lena, LEAD_PASSWORD)
        took = time.monotonic() - started
        assert all(f.result().status_code == 400 for f in bogus)
    assert real.status_code == 303
    # Queued behind 30 argon2 checks it would take 30 logins' time; allow a slow machine.
    assert took < max(3.0, one_login * 8), (took, one_login)


def test_a_right_password_clears_the_tries_counted_before_it(dashboard: Dashboard) -> None:
    for _ in range(4):
        assert dashboard.desk().login(dashboard.sam, "wrong").status_code == 400
    assert dashboard.desk().login(dashboard.sam, SUPPORTER_PASSWORD).status_code == 303
    for _ in range(4):  # the count started again
        assert dashboard.desk().login(dashboard.sam, "wrong").status_code == 400
