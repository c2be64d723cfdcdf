"""The dashboard over HTTP against a real `waitingroom serve`: login, cookies, CSRF, pages."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from bot.staff.models import Role

from ..conftest import serve, stop
from .conftest import _CSRF, LEAD_PASSWORD, SUPPORTER_PASSWORD, Dashboard, Desk, add_account


def test_login_sets_a_strict_httponly_cookie_and_stores_only_its_hash(
    dashboard: Dashboard,
) -> None:
    desk = dashboard.desk()
    response = desk.login(dashboard.sam, SUPPORTER_PASSWORD)
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("wr_staff="))
    token = cookie.split(";", 1)[0].split("=", 1)[1]
    for part in ("HttpOnly", "SameSite=strict", "Path=/dashboard"):
        assert part.lower() in cookie.lower()
    assert "secure" not in cookie.lower()  # plain http on loopback
    with sqlite3.connect(dashboard.served.db) as db:
        stored = [row[0] for row in db.execute("SELECT token_hash FROM staff_sessions")]
    assert len(stored) == 1 and token not in stored[0]

    home = desk.get("/dashboard")
    assert home.status_code == 200
    assert dashboard.sam.title() in home.text and 'id="queue"' in home.text
    assert "content-security-policy" in home.headers and home.headers["cache-control"] == "no-store"


def test_wrong_name_or_password_get_the_same_answer(dashboard: Dashboard) -> None:
    wrong_password = dashboard.desk().login(dashboard.sam, "not the password")
    unknown = dashboard.desk().login("nobody", "not the password")
    assert wrong_password.status_code == unknown.status_code == 400
    assert "Name or password wrong." in wrong_password.text

    def same(text: str, name: str) -> str:
        return re.sub(r'value="[^"]*"', "", text).replace(name, "")

    assert same(wrong_password.text, dashboard.sam) == same(unknown.text, "nobody")


def test_five_failures_lock_the_name_even_for_the_right_password(dashboard: Dashboard) -> None:
    desk = dashboard.desk()
    for _ in range(4):
        assert desk.login(dashboard.sam, "wrong").status_code == 400
    assert desk.login(dashboard.sam, "wrong").status_code == 429
    locked = desk.login(dashboard.sam, SUPPORTER_PASSWORD)
    assert locked.status_code == 429 and "wr_staff=" not in locked.headers.get("set-cookie", "")
    assert (
        dashboard.desk().login(dashboard.lena, LEAD_PASSWORD).status_code == 303
    )  # others unaffected


def test_a_login_form_without_its_token_is_refused(dashboard: Dashboard) -> None:
    desk = dashboard.desk()
    refused = desk.client.post(
        "/dashboard/login", data={"name": dashboard.sam, "password": SUPPORTER_PASSWORD}
    )
    assert refused.status_code == 403
    desk.csrf("/dashboard/login")  # has the cookie now, but forges the field
    forged = desk.client.post(
        "/dashboard/login",
        data={"csrf": "guess", "name": dashboard.sam, "password": SUPPORTER_PASSWORD},
    )
    assert forged.status_code == 403


def test_every_login_gets_a_new_token(dashboard: Dashboard) -> None:
    desk = dashboard.desk()
    desk.csrf("/dashboard/login")
    desk.client.cookies.set("wr_staff", "planted", domain="127.0.0.1", path="/dashboard")
    assert desk.login(dashboard.sam, SUPPORTER_PASSWORD).status_code == 303
    first = desk.client.cookies.get("wr_staff", domain="127.0.0.1", path="/dashboard")
    assert first and first != "planted"
    second = dashboard.desk()
    second.login(dashboard.sam, SUPPORTER_PASSWORD)
    assert second.client.cookies.get("wr_staff") not in {first, None}


def test_logout_ends_the_session(dashboard: Dashboard) -> None:
    desk = dashboard.supporter()
    token = desk.client.cookies.get("wr_staff")
    assert desk.post("/dashboard/logout").headers["location"] == "/dashboard/login"
    again = dashboard.desk()
    again.client.cookies.set("wr_staff", token or "", domain="127.0.0.1", path="/dashboard")
    assert again.get("/dashboard").headers["location"] == "/dashboard/login"


def test_shift_and_break(dashboard: Dashboard) -> None:
    desk = dashboard.supporter()
    assert desk.post("/dashboard/shift", {"on": "1"}).status_code == 303
    assert "on shift" in desk.get("/dashboard").text
    assert desk.post("/dashboard/break", {"minutes": "30"}).status_code == 303
    assert "on a break until" in desk.get("/dashboard").text
    assert desk.post("/dashboard/break", {"minutes": "45"}).status_code == 400
    assert desk.post("/dashboard/break", {"minutes": "0"}).status_code == 303
    assert "on a break until" not in desk.get("/dashboard").text
    desk.post("/dashboard/shift", {"on": "0"})
    assert "off shift" in desk.get("/dashboard").text
    with sqlite3.connect(dashboard.served.db) as db:
        assert db.execute(
            "SELECT on_shift FROM supporters WHERE name = ?", (dashboard.sam,)
        ).fetchone() == (0,)


def test_a_one_time_password_must_be_changed_before_anything_else(
    dashboard: Dashboard,
) -> None:
    nina = f"nina{dashboard.suffix}"
    add_account(dashboard.served.db, nina, Role.SUPPORTER, "one time pass 1", must_change=True)
    desk = dashboard.desk()
    desk.login(nina, "one time pass 1")
    assert desk.get("/dashboard").headers["location"] == "/dashboard/account"
    account = desk.get("/dashboard/account")
    assert account.status_code == 200 and "one-time password" in account.text
    short = desk.post(
        "/dashboard/password", {"current": "one time pass 1", "new": "short", "confirm": "short"}
    )
    assert short.status_code == 400 and "at least 12 characters" in short.text
    wrong = desk.post(
        "/dashboard/password",
        {"current": "nope", "new": "a brand new phrase", "confirm": "a brand new phrase"},
    )
    assert wrong.status_code == 400 and "current password is wrong" in wrong.text
    old_token = desk.client.cookies.get("wr_staff")
    done = desk.post(
        "/dashboard/password",
        {
            "current": "one time pass 1",
            "new": "a brand new phrase",
            "confirm": "a brand new phrase",
        },
    )
    assert done.status_code == 303
    # A first password changed: on to the desk, which says the password is saved.
    assert done.headers["location"] == "/dashboard?done=password"
    assert desk.client.cookies.get("wr_staff") != old_token
    assert "Your new password is saved" in desk.get(done.headers["location"]).text
    assert desk.get("/dashboard").status_code == 200
    assert dashboard.desk().login(nina, "a brand new phrase").status_code == 303
    # A later change (not a first password) stays on the account page.
    later = desk.post(
        "/dashboard/password",
        {
            "current": "a brand new phrase",
            "new": "another phrase again",
            "confirm": "another phrase again",
        },
    )
    assert later.headers["location"] == "/dashboard/account?done=password"


def test_display_name_and_telegram_link_code(dashboard: Dashboard) -> None:
    desk = dashboard.supporter()
    assert desk.post("/dashboard/display-name", {"display_name": "  Sammy  "}).status_code == 303
    assert "Signed in as Sammy" in desk.get("/dashboard").text
    assert desk.post("/dashboard/display-name", {"display_name": ""}).status_code == 400
    shown = desk.post("/dashboard/telegram-link")
    assert shown.status_code == 200 and "/link " in shown.text
    with sqlite3.connect(dashboard.served.db) as db:
        (stored,) = db.execute("SELECT code_hash FROM telegram_link_codes").fetchone()
    code = shown.text.split("/link ", 1)[1][:8]
    assert code.isalnum() and code not in stored


def test_a_lead_adds_edits_resets_and_disables(dashboard: Dashboard) -> None:
    lead = dashboard.lead()
    priya_name = f"priya{dashboard.suffix}"
    added = lead.post(
        "/dashboard/supporters/add",
        {
            "name": priya_name,
            "display_name": "Priya",
            "role": "supporter",
            "caseload_cap": "1",
            "tags": "carer, language:pa",
        },
    )
    assert added.status_code == 200 and 'id="one-time-password"' in added.text
    password = added.text.split('id="one-time-password">', 1)[1].split("<", 1)[0]
    listing = lead.get("/dashboard/supporters").text
    assert priya_name in listing and "carer, language:pa" in listing
    assert password not in listing

    taken = lead.post(
        "/dashboard/supporters/add",
        {"name": priya_name, "display_name": "P", "role": "supporter", "caseload_cap": "2"},
    )
    assert taken.status_code == 400 and "already has that login name" in taken.text
    bad = lead.post(
        "/dashboard/supporters/add",
        {"name": "x y", "display_name": "X", "role": "supporter", "caseload_cap": "2"},
    )
    assert bad.status_code == 400

    with sqlite3.connect(dashboard.served.db) as db:
        (priya,) = db.execute("SELECT id FROM supporters WHERE name = ?", (priya_name,)).fetchone()
    edited = lead.post(
        f"/dashboard/supporters/{priya}/edit",
        {"role": "lead", "caseload_cap": "3", "tags": "young_people"},
    )
    assert edited.status_code == 303
    with sqlite3.connect(dashboard.served.db) as db:
        row = db.execute(
            "SELECT role, caseload_cap, tags FROM supporters WHERE id = ?", (priya,)
        ).fetchone()
    assert row == ("lead", 3, '["young_people"]')

    them = dashboard.desk()
    assert them.login(priya_name, password).status_code == 303
    reset = lead.post(f"/dashboard/supporters/{priya}/reset-password")
    assert reset.status_code == 200
    assert them.get("/dashboard/account").status_code == 303  # their session ended
    new_password = reset.text.split('id="one-time-password">', 1)[1].split("<", 1)[0]
    assert dashboard.desk().login(priya_name, new_password).status_code == 303

    assert lead.post(f"/dashboard/supporters/{priya}/disable").status_code == 303
    assert dashboard.desk().login(priya_name, new_password).status_code == 400
    assert lead.post("/dashboard/supporters/s-nobody/disable").status_code == 404


def test_a_lead_cannot_demote_or_disable_themself(dashboard: Dashboard) -> None:
    lead = dashboard.lead()
    mine = f"/dashboard/supporters/{dashboard.lead_id}"
    demote = lead.post(f"{mine}/edit", {"role": "supporter", "caseload_cap": "2", "tags": ""})
    assert demote.status_code == 400
    assert lead.post(f"{mine}/disable").status_code == 400
    assert lead.post(f"{mine}/edit", {"role": "lead", "caseload_cap": "1"}).status_code == 303


def test_the_directory_page_flags_unverified_and_stale_entries(dashboard: Dashboard) -> None:
    page = dashboard.lead().get("/dashboard/directory")
    assert page.status_code == 200
    assert "<table>" in page.text and "Last checked" in page.text
    assert "samaritans" in page.text.lower()


def test_markup_in_a_display_name_is_shown_as_text(dashboard: Dashboard) -> None:
    desk = dashboard.supporter()
    desk.post("/dashboard/display-name", {"display_name": "<script>alert(1)</script>"})
    home = desk.get("/dashboard").text
    assert "<script>alert(1)" not in home and "&lt;script&gt;alert(1)&lt;/script&gt;" in home


def test_cookies_are_secure_when_the_public_url_is_https(tmp_path: Path) -> None:
    db = tmp_path / "data" / "waitingroom.sqlite3"
    add_account(db, "sam", Role.SUPPORTER, SUPPORTER_PASSWORD)
    served = serve(tmp_path, env={"WAITINGROOM_PUBLIC_URL": "https://wr.example.org"})
    desk = Desk(served.url)
    try:
        form = desk.client.get("/dashboard/login")
        assert "secure" in form.headers["set-cookie"].lower()
        token = desk.csrf("/dashboard/login")
        # A real browser sends a Secure cookie only over https; the test stands in for the proxy.
        desk.client.cookies.set("__Host-wr_login", token, domain="127.0.0.1", path="/")
        response = desk.client.post(
            "/dashboard/login", data={"csrf": token, "name": "sam", "password": SUPPORTER_PASSWORD}
        )
        assert response.status_code == 303
        session = next(c for c in response.headers.get_list("set-cookie") if "wr_staff=" in c)
        assert "; secure" in session.lower()
    finally:
        desk.close()
        stop(served)


def test_the_reports_page_has_the_navigation_and_a_sign_out_that_works(
    dashboard: Dashboard,
) -> None:
    lead = dashboard.lead()
    page = lead.get("/dashboard/reports").text
    assert '<nav aria-label="Dashboard">' in page
    for link in ("/dashboard", "/dashboard/safety", "/dashboard/directory"):
        assert f'href="{link}"' in page
    assert 'action="/dashboard/logout"' in page
    token = _CSRF.search(page)
    assert token is not None and token.group(1)
    out = lead.client.post("/dashboard/logout", data={"csrf": token.group(1)})
    assert out.status_code == 303
    assert lead.get("/dashboard/reports").status_code in (302, 303)


def test_the_password_rules_are_shown_before_a_password_is_refused(
    dashboard: Dashboard,
) -> None:
    page = dashboard.lead().get("/dashboard/account").text
    assert "12 to 256 characters" in page and "does not contain your name" in page
    assert 'aria-describedby="password-rules"' in page
