"""Who may open which dashboard page, declared in one place, and the session cookie.

Every dashboard route is a ``Page`` with its minimum ``Access``; ``guard`` wraps its
endpoint so that, before it runs:
- the session cookie is looked up and the supporter put on ``request.state.supporter``;
- anonymous visitors to a non-public page get 303 to the login page;
- a supporter with a one-time password goes to their account page to change it first;
- a supporter below the page's role gets 403;
- every POST carries the session's CSRF token (or, for the login form, the one in the
  pre-login cookie) in the ``csrf`` field, compared in constant time; else 403.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from bot.service import Service
from bot.staff import sessions
from bot.staff.models import Role, Supporter
from bot.store.contract import Staff
from bot.wording import DEFAULT_LOCALE, DEFAULT_ROOT

Endpoint = Callable[[Request], Awaitable[Response]]

COOKIE = "wr_staff"
LOGIN_COOKIE = "wr_login"
# Over https the pre-login cookie is a __Host- cookie: Secure, Path=/, no Domain, so no
# other site or subdomain can plant one (browsers refuse the prefix over plain http).
HOST_LOGIN_COOKIE = "__Host-wr_login"
PREFIX = "/dashboard"
LOGIN_PATH = f"{PREFIX}/login"
ACCOUNT_PATH = f"{PREFIX}/account"
CSRF_FIELD = "csrf"


class Access(IntEnum):
    """The least a visitor must be to open a page; a lead can do all a supporter can."""

    PUBLIC = 0
    SUPPORTER = 1
    LEAD = 2


def access_of(supporter: Supporter | None) -> Access:
    if supporter is None:
        return Access.PUBLIC
    return Access.LEAD if supporter.role is Role.LEAD else Access.SUPPORTER


@dataclass(frozen=True, slots=True)
class Page:
    """One dashboard route and who may use it."""

    path: str
    endpoint: Endpoint
    methods: tuple[str, ...]
    access: Access
    # Reachable before a one-time password is changed (the account page, logout).
    while_must_change: bool = False


templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(DEFAULT_ROOT / DEFAULT_LOCALE / "dashboard"),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
    )
)


def service(request: Request) -> Service:
    found: Service = request.app.state.service
    return found


def staff(request: Request) -> Staff:
    return service(request).store.staff


def now(request: Request) -> datetime:
    """The service's clock (bot/clock.py): one time for the pages and the store."""
    return service(request).clock()


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> Response:
    """A dashboard page with what every page needs: who is in, the CSRF token, the service."""
    session: sessions.Session | None = getattr(request.state, "session", None)
    settings = service(request).settings
    values = {
        "me": getattr(request.state, "supporter", None),
        "csrf": session.csrf_token if session else "",
        "service": settings.file.service,
        "notice": "",
        "problem": "",
        **(context or {}),
    }
    return templates.TemplateResponse(request, name, values, status_code=status_code)


def secure_cookies(request: Request) -> bool:
    public_url = service(request).settings.public_url or ""
    return public_url.startswith("https://")


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(sessions.ABSOLUTE_LIMIT.total_seconds()),
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=secure_cookies(request),
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        COOKIE, path=PREFIX, httponly=True, samesite="strict", secure=secure_cookies(request)
    )


def login_cookie(request: Request) -> str:
    """The pre-login cookie's name: with the __Host- prefix whenever cookies are Secure."""
    return HOST_LOGIN_COOKIE if secure_cookies(request) else LOGIN_COOKIE


def login_token(request: Request) -> str:
    """The pre-login CSRF token: the login form's hidden field repeats this cookie."""
    return request.cookies.get(login_cookie(request)) or secrets.token_urlsafe(32)


def set_login_cookie(request: Request, response: Response, token: str) -> None:
    secure = secure_cookies(request)
    response.set_cookie(
        login_cookie(request),
        token,
        path="/" if secure else PREFIX,  # __Host- requires Path=/
        httponly=True,
        samesite="strict",
        secure=secure,
    )


def clear_login_cookie(request: Request, response: Response) -> None:
    secure = secure_cookies(request)
    response.delete_cookie(
        login_cookie(request),
        path="/" if secure else PREFIX,
        httponly=True,
        samesite="strict",
        secure=secure,
    )


def see_other(path: str) -> Response:
    """After a form: the next page, by GET (303)."""
    return RedirectResponse(path, status_code=303)


def forbidden(request: Request) -> Response:
    return render(request, "forbidden.html", status_code=403)


def guard(access: Access, endpoint: Endpoint, *, while_must_change: bool = False) -> Endpoint:
    """``endpoint`` behind the rules in this module's docstring."""

    async def guarded(request: Request) -> Response:
        at = now(request)
        request.state.supporter = None
        request.state.session = None
        token = request.cookies.get(COOKIE)
        found = await staff(request).lookup_session(token, at) if token else None
        if found is not None:
            request.state.supporter, request.state.session = found
        supporter: Supporter | None = request.state.supporter
        session: sessions.Session | None = request.state.session
        if access > Access.PUBLIC:
            if supporter is None or session is None:
                return RedirectResponse(LOGIN_PATH, status_code=303)
            if supporter.must_change_password and not while_must_change:
                return RedirectResponse(ACCOUNT_PATH, status_code=303)
            if access_of(supporter) < access:
                return forbidden(request)
        if request.method == "POST":
            form = await request.form()  # Starlette keeps it for the endpoint
            given = form.get(CSRF_FIELD)
            # Public forms (the login) have no session yet: the pre-login cookie stands in.
            if access > Access.PUBLIC and session is not None:
                expected = session.csrf_token
            else:
                expected = request.cookies.get(login_cookie(request), "")
            if not sessions.csrf_ok(expected, given if isinstance(given, str) else None):
                return forbidden(request)
        if session is not None and sessions.needs_touch(session, at):
            await staff(request).touch_session(session.token_hash, at)
        return await endpoint(request)

    return guarded


def routes_for(pages: Iterable[Page]) -> list[Route]:
    """Starlette routes for pages, each behind its guard."""
    return [
        Route(
            page.path,
            guard(page.access, page.endpoint, while_must_change=page.while_must_change),
            methods=list(page.methods),
        )
        for page in pages
    ]


def current(request: Request) -> Supporter:
    """The supporter the guard let in (only on pages that need one)."""
    supporter: Supporter | None = request.state.supporter
    assert supporter is not None, "page registered as public but needs a supporter"
    return supporter


def form_text(form: Any, name: str, limit: int = 500) -> str:
    value = form.get(name, "")
    return value[:limit] if isinstance(value, str) else ""
