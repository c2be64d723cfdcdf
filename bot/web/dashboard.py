"""The supporters' dashboard: login, home (shift and breaks), account, and leads' pages.

Server-rendered from ``messages/en-GB/dashboard/``; who may open each page is declared
in ``PAGES`` (see ``staff_auth``). Nothing about people who write in is on these pages.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.staff import link_codes, lockout, models, passwords, sessions
from bot.staff.models import InvalidField, Role, Supporter
from bot.store.staff import NameTaken

from . import desk_live, desk_pages, directory_pages, reports, safety_pages
from .staff_auth import (
    COOKIE,
    LOGIN_PATH,
    PREFIX,
    Access,
    Page,
    clear_login_cookie,
    clear_session_cookie,
    current,
    form_text,
    login_token,
    now,
    render,
    routes_for,
    see_other,
    service,
    set_login_cookie,
    set_session_cookie,
    staff,
)

BREAK_MINUTES = (15, 30, 60)

# What else the home page shows (the queue, my conversations): each hook returns values
# for the home template, whose ``queue`` block renders them.
HomeHook = Callable[[Request, Supporter], Awaitable[dict[str, Any]]]
T = TypeVar("T")
HOME_HOOKS: list[HomeHook] = []

# argon2 holds 64 MiB for each hash: one at a time, so a burst of logins cannot cost
# hundreds of megabytes (measured: 363 MB peak with four at once); a login waits about a
# quarter of a second more for each one ahead of it.
_HASHING = asyncio.Semaphore(1)
# How long the last real password check took (seconds), for unknown names to wait as long.
_LAST_CHECK = 0.25


async def _hashing(function: Callable[..., T], *args: Any) -> T:
    """Run a password hash or check off the event loop, one at a time."""
    async with _HASHING:
        return await asyncio.to_thread(function, *args)


# -- login -------------------------------------------------------------------


async def login_page(request: Request) -> Response:
    if request.state.supporter is not None:
        return see_other(PREFIX)
    return _login_form(request)


def _login_form(request: Request, problem: str = "", status_code: int = 200) -> Response:
    token = login_token(request)
    response = render(request, "login.html", {"login_csrf": token, "problem": problem}, status_code)
    set_login_cookie(request, response, token)
    return response


async def _check_password(stored: str | None, password: str) -> tuple[bool, str | None]:
    """``passwords.verify``, without a name that does not exist holding up real logins.

    For an unknown (or disabled) name nothing is hashed: the answer waits about as long
    as the last real check took, so it neither queues behind nor delays anyone's login,
    and its timing still does not tell whether the name exists."""
    global _LAST_CHECK
    if stored is None:
        await asyncio.sleep(_LAST_CHECK)
        return False, None
    started = time.monotonic()
    result = await _hashing(passwords.verify, stored, password)
    _LAST_CHECK = min(2.0, time.monotonic() - started)
    return result


async def login(request: Request) -> Response:
    form = await request.form()
    name = form_text(form, "name", 100).strip()
    password = form_text(form, "password", passwords.MAX_LENGTH)
    accounts = staff(request)
    at = now(request)
    # Counted before the (slow) check, in one write with the lock test: guesses sent at
    # once are counted one after another, and only MAX_FAILURES of them are ever checked.
    counted = await accounts.change_login_failures(name, lambda f: lockout.start_try(f, at))
    if counted is None:
        return _login_form(request, "locked", 429)
    supporter = await accounts.by_name(name) if name else None
    stored = None
    if supporter is not None and supporter.active:
        stored = await accounts.password_hash(supporter.id)
    # The KDF is slow on purpose: keep it off the loop that answers people in crisis.
    ok, new_hash = await _check_password(stored, password)
    if not ok or supporter is None:
        locked = lockout.is_locked(counted, at)
        return _login_form(request, "locked" if locked else "wrong", 429 if locked else 400)
    await accounts.clear_login_failures(name)
    if new_hash is not None:
        await accounts.rehash_password(supporter.id, new_hash)
    # Always a new session token, so a token planted before login is worth nothing.
    if old := request.cookies.get(COOKIE):
        await accounts.delete_session(old)
    token, session = sessions.new_session(supporter.id, at)
    await accounts.add_session(session)
    response = see_other(PREFIX)
    set_session_cookie(request, response, token)
    clear_login_cookie(request, response)
    return response


async def logout(request: Request) -> Response:
    if token := request.cookies.get(COOKIE):
        await staff(request).delete_session(token)
    response = see_other(LOGIN_PATH)
    clear_session_cookie(request, response)
    return response


# -- home: shift and breaks ------------------------------------------------------


def _zone(request: Request) -> ZoneInfo:
    return ZoneInfo(service(request).settings.file.service.time_zone)


async def home(request: Request) -> Response:
    return await _home(
        request, request.query_params.get("done", ""), request.query_params.get("problem", "")
    )


async def _home(
    request: Request, notice: str = "", problem: str = "", status_code: int = 200
) -> Response:
    me = current(request)
    at = now(request)
    on_break_until = (
        me.break_until.astimezone(_zone(request))
        if me.on_break(at) and me.break_until is not None
        else None
    )
    extra: dict[str, Any] = {}
    for hook in HOME_HOOKS:
        extra.update(await hook(request, me))
    return render(
        request,
        "home.html",
        {
            **extra,
            "on_break_until": on_break_until,
            "break_minutes": BREAK_MINUTES,
            "notice": notice,
            "problem": problem,
        },
        status_code,
    )


async def shift(request: Request) -> Response:
    form = await request.form()
    await staff(request).set_shift(current(request).id, form_text(form, "on") == "1")
    return see_other(f"{PREFIX}?done=shift")


async def take_break(request: Request) -> Response:
    form = await request.form()
    minutes = form_text(form, "minutes")
    if minutes == "0":
        await staff(request).set_break(current(request).id, None)
        return see_other(f"{PREFIX}?done=break_over")
    if minutes not in {str(m) for m in BREAK_MINUTES}:
        return await _home(request, problem="break", status_code=400)
    until = now(request) + timedelta(minutes=int(minutes))
    await staff(request).set_break(current(request).id, until)
    return see_other(f"{PREFIX}?done=break")


# -- account ---------------------------------------------------------------------


async def account(request: Request) -> Response:
    return render(request, "account.html", {"notice": request.query_params.get("done", "")})


async def change_password(request: Request) -> Response:
    me = current(request)
    form = await request.form()
    old = form_text(form, "current", passwords.MAX_LENGTH)
    new = form_text(form, "new", passwords.MAX_LENGTH + 1)
    confirm = form_text(form, "confirm", passwords.MAX_LENGTH + 1)
    accounts = staff(request)
    stored = await accounts.password_hash(me.id)
    ok, _ = await _hashing(passwords.verify, stored, old)
    problem = "current_wrong" if not ok else passwords.new_password_problem(new, confirm, me.name)
    if problem is None and new == old:
        problem = "password_same"
    if problem is not None:
        return render(request, "account.html", {"problem": problem}, 400)
    new_hash = await _hashing(passwords.hash_password, new)
    at = now(request)
    await accounts.set_password(me.id, new_hash, must_change=False, at=at)  # ends all sessions
    token, session = sessions.new_session(me.id, at)
    await accounts.add_session(session)
    # A first (one-time) password changed: on to the desk, where the work is. A later
    # change stays on the account page.
    where = PREFIX if me.must_change_password else f"{PREFIX}/account"
    response = see_other(f"{where}?done=password")
    set_session_cookie(request, response, token)
    return response


async def change_display_name(request: Request) -> Response:
    form = await request.form()
    try:
        name = models.display_name(form_text(form, "display_name", 200))
    except InvalidField as error:
        return render(request, "account.html", {"problem": error.field}, 400)
    await staff(request).update(current(request).id, display_name=name)
    return see_other(f"{PREFIX}/account?done=display_name")


async def telegram_link(request: Request) -> Response:
    code, kept = link_codes.issue(current(request).id, now(request))
    await staff(request).add_link_code(kept)
    return render(request, "telegram_link.html", {"code": code})


async def telegram_unlink(request: Request) -> Response:
    await staff(request).unlink_telegram(current(request).id)
    return see_other(f"{PREFIX}/account?done=unlinked")


# -- leads: supporters -----------------------------------------------------------


async def supporters(request: Request) -> Response:
    return await _supporters_page(request, notice=request.query_params.get("done", ""))


async def _supporters_page(
    request: Request, *, notice: str = "", problem: str = "", status_code: int = 200
) -> Response:
    everyone = await staff(request).list()
    return render(
        request,
        "supporters.html",
        {
            "supporters": everyone,
            "roles": [role.value for role in Role],
            "cap_range": range(models.MIN_CAP, models.MAX_CAP + 1),
            "default_cap": models.DEFAULT_CAP,
            "notice": notice,
            "problem": problem,
        },
        status_code,
    )


async def add_supporter(request: Request) -> Response:
    form = await request.form()
    try:
        name = models.login_name(form_text(form, "name", 100))
        shown = models.display_name(form_text(form, "display_name", 200))
        role = models.role(form_text(form, "role", 20))
        cap = models.caseload_cap(form_text(form, "caseload_cap", 5))
        tags = models.tags(form_text(form, "tags", 1000))
    except InvalidField as error:
        return await _supporters_page(request, problem=error.field, status_code=400)
    password = passwords.one_time_password()
    password_hash = await _hashing(passwords.hash_password, password)
    try:
        added = await staff(request).add_supporter(
            name, shown, role, password_hash, caseload_cap=cap, tags=tags, at=now(request)
        )
    except NameTaken:
        return await _supporters_page(request, problem="name_taken", status_code=400)
    return render(
        request, "one_time_password.html", {"who": added, "password": password, "added": True}
    )


async def _target(request: Request) -> models.Supporter | None:
    return await staff(request).get(request.path_params["supporter_id"])


async def edit_supporter(request: Request) -> Response:
    target = await _target(request)
    if target is None:
        return render(request, "not_found.html", status_code=404)
    form = await request.form()
    try:
        role = models.role(form_text(form, "role", 20))
        cap = models.caseload_cap(form_text(form, "caseload_cap", 5))
        tags = models.tags(form_text(form, "tags", 1000))
    except InvalidField as error:
        return await _supporters_page(request, problem=error.field, status_code=400)
    # A lead cannot demote themself: the service would be left with nobody to run it.
    if target.id == current(request).id and role is not target.role:
        return await _supporters_page(request, problem="own_role", status_code=400)
    await staff(request).update(target.id, role=role, caseload_cap=cap, tags=tags)
    return see_other(f"{PREFIX}/supporters?done=edited")


async def reset_password(request: Request) -> Response:
    target = await _target(request)
    if target is None:
        return render(request, "not_found.html", status_code=404)
    password = passwords.one_time_password()
    password_hash = await _hashing(passwords.hash_password, password)
    await staff(request).set_password(target.id, password_hash, must_change=True, at=now(request))
    return render(
        request, "one_time_password.html", {"who": target, "password": password, "added": False}
    )


async def disable_supporter(request: Request) -> Response:
    target = await _target(request)
    if target is None:
        return render(request, "not_found.html", status_code=404)
    if target.id == current(request).id:
        return await _supporters_page(request, problem="own_disable", status_code=400)
    await staff(request).disable(target.id, now(request))
    return see_other(f"{PREFIX}/supporters?done=disabled")


# Every dashboard route and who may use it. The authorisation-matrix test walks this
# list: add a page here (or to a list joined onto it) and it is tested.
PAGES: list[Page] = [
    Page(f"{PREFIX}/login", login_page, ("GET",), Access.PUBLIC),
    Page(f"{PREFIX}/login", login, ("POST",), Access.PUBLIC),
    Page(f"{PREFIX}/logout", logout, ("POST",), Access.SUPPORTER, while_must_change=True),
    Page(PREFIX, home, ("GET",), Access.SUPPORTER),
    Page(f"{PREFIX}/shift", shift, ("POST",), Access.SUPPORTER),
    Page(f"{PREFIX}/break", take_break, ("POST",), Access.SUPPORTER),
    Page(f"{PREFIX}/account", account, ("GET",), Access.SUPPORTER, while_must_change=True),
    Page(
        f"{PREFIX}/password", change_password, ("POST",), Access.SUPPORTER, while_must_change=True
    ),
    Page(f"{PREFIX}/display-name", change_display_name, ("POST",), Access.SUPPORTER),
    Page(f"{PREFIX}/telegram-link", telegram_link, ("POST",), Access.SUPPORTER),
    Page(f"{PREFIX}/telegram-unlink", telegram_unlink, ("POST",), Access.SUPPORTER),
    Page(f"{PREFIX}/supporters", supporters, ("GET",), Access.LEAD),
    Page(f"{PREFIX}/supporters/add", add_supporter, ("POST",), Access.LEAD),
    Page(f"{PREFIX}/supporters/{{supporter_id}}/edit", edit_supporter, ("POST",), Access.LEAD),
    Page(
        f"{PREFIX}/supporters/{{supporter_id}}/reset-password",
        reset_password,
        ("POST",),
        Access.LEAD,
    ),
    Page(
        f"{PREFIX}/supporters/{{supporter_id}}/disable", disable_supporter, ("POST",), Access.LEAD
    ),
]


PAGES += [
    *desk_pages.PAGES,
    *directory_pages.PAGES,
    *desk_live.PAGES,
    *safety_pages.PAGES,
    Page(f"{PREFIX}/reports", reports.reports_page, ("GET",), Access.LEAD),
    Page(f"{PREFIX}/reports.csv", reports.reports_csv, ("GET",), Access.LEAD),
]

HOME_HOOKS.append(directory_pages.home_todo)
# The desk's lists beside the shift card on the home page.
HOME_HOOKS.append(desk_pages.home_hook)

# Mounted by bot.web.app; pages another module adds must be in PAGES first.
routes: list[Route] = routes_for(PAGES)
