"""The web chat: the embedded default channel, a page and a small JSON API.

A browser gets a random token (kept in sessionStorage, sent as a Bearer header, never
in a URL); the store keeps only its SHA-256, as issued and as the person's web address,
and refuses a token it did not issue. Each client address may start SESSIONS_PER_WINDOW
new chats in WINDOW seconds; past that, 429 with the safety net in the body. Replies are
pulled with a long poll, and what a poll returns counts as delivered.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from bot.engine import Kind, Reply
from bot.engine.replies import MENU_OPTIONS
from bot.service import ChannelMessage, Service, outgoing

from .links import find as find_links
from .registry import Registration, register

CHANNEL = "web"
MAX_TEXT = 10_000
MAX_WAIT = 25.0
# New chats one network address may start in WINDOW seconds: generous, since a library,
# a ward or a college can share one address, but not a flood.
SESSIONS_PER_WINDOW = 20
WINDOW = 600.0
log = logging.getLogger("waitingroom.webchat")


class NewChatLimit:
    """How many new chats each client address started lately (in memory: a restart
    forgets, which only ever errs towards letting someone in)."""

    def __init__(
        self,
        limit: int = SESSIONS_PER_WINDOW,
        window: float = WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.window, self._clock = limit, window, clock
        self._starts: dict[str, deque[float]] = {}

    def allow(self, client: str) -> bool:
        now = self._clock()
        starts = self._starts.setdefault(client, deque())
        while starts and starts[0] <= now - self.window:
            starts.popleft()
        if len(starts) >= self.limit:
            return False
        starts.append(now)
        if len(self._starts) > 10_000:  # forget addresses that have gone quiet
            since = now - self.window
            self._starts = {c: s for c, s in self._starts.items() if s and s[-1] > since}
        return True


class _Sent(BaseModel):
    model_config = ConfigDict(extra="ignore")

    client_id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")
    text: str | None = None
    option: str | None = Field(None, max_length=32)


def _token_hash(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not 20 <= len(token) <= 100:
        return None
    return hashlib.sha256(token.encode()).hexdigest()


async def _address(request: Request) -> str | None:
    """The person's web address (the hash of their token), if the token is one we issued."""
    token_hash = _token_hash(request)
    if token_hash is None or not await _service(request).store.web_token_issued(token_hash):
        return None
    return token_hash


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def _unauthorised() -> JSONResponse:
    return JSONResponse({"error": "no chat session"}, status_code=401)


def _utf16(text: str, index: int) -> int:
    """A Python string index as the browser counts (UTF-16 code units)."""
    return len(text[:index].encode("utf-16-le")) // 2


def with_links(message: dict[str, Any]) -> dict[str, Any]:
    """A reply as the web chat gets it: its links as ``[start, end, href]`` in the
    browser's string offsets, for the page to build as link elements (never markup)."""
    text = str(message.get("text", ""))
    links = [[_utf16(text, lk.start), _utf16(text, lk.end), lk.href] for lk in find_links(text)]
    return {**message, "links": links}


async def page(request: Request) -> Response:
    service = _service(request)
    locale = service.settings.file.service.locale
    # The greeting and menu are on the page at once, before anything is typed; the
    # same words the engine says to a first message, from the same template.
    greeting = outgoing(service.wording.render(Reply("greeting", {}, MENU_OPTIONS), locale))
    first = with_links({"id": 0, "key": greeting.key, "urgent": False, **greeting.body})
    return HTMLResponse(service.wording.page("chat.html", locale, greeting=json.dumps(first)))


async def new_session(request: Request) -> Response:
    service = _service(request)
    limit: NewChatLimit = getattr(request.app.state, "new_chat_limit", None) or NewChatLimit()
    request.app.state.new_chat_limit = limit
    client = request.client.host if request.client else ""
    if not limit.allow(client):
        # Refused a new chat, but never the numbers.
        return JSONResponse(
            {"error": "too many new chats from here", "safety_net": service.safety_net.body},
            status_code=429,
            headers={"Retry-After": str(int(WINDOW))},
        )
    token = secrets.token_urlsafe(32)
    await service.store.issue_web_token(hashlib.sha256(token.encode()).hexdigest())
    return JSONResponse({"token": token})


def _message(address: str, sent: _Sent) -> ChannelMessage:
    message_id = f"{address[:32]}:{sent.client_id}"
    if sent.option:
        return ChannelMessage(CHANNEL, address, message_id, Kind.OPTION, option=sent.option)
    # Control characters would only confuse; newlines and tabs are kept.
    text = "".join(c for c in (sent.text or "") if c.isprintable() or c in "\n\t")
    return ChannelMessage(CHANNEL, address, message_id, Kind.TEXT, text=text[:MAX_TEXT])


async def send(request: Request) -> Response:
    address = await _address(request)
    if address is None:
        return _unauthorised()
    try:
        sent = _Sent.model_validate_json(await request.body())
    except ValidationError:
        return JSONResponse({"error": "not a chat message"}, status_code=400)
    service = _service(request)
    try:
        _, duplicate = await service.receive(_message(address, sent))
    except Exception:
        log.exception("could not store a web chat message")
        # Not stored, so not acknowledged; but the person still sees the numbers.
        return JSONResponse(
            {"error": "not stored", "safety_net": with_links(service.safety_net.body)},
            status_code=503,
        )
    return JSONResponse({"accepted": True, "duplicate": duplicate}, status_code=202)


async def replies(request: Request) -> Response:
    address = await _address(request)
    if address is None:
        return _unauthorised()
    try:
        after = max(0, int(request.query_params.get("after", "0")))
        wait = min(MAX_WAIT, max(0.0, float(request.query_params.get("wait", "0"))))
    except ValueError:
        return JSONResponse({"error": "after and wait are numbers"}, status_code=400)
    service = _service(request)
    person_id = await service.store.person_for(CHANNEL, address)
    if person_id is None:
        return JSONResponse({"messages": []})
    messages = await service.replies_for(person_id, after, wait)
    return JSONResponse({"messages": [with_links(message) for message in messages]})


routes = [
    Route("/", page, methods=["GET"]),
    Route("/api/chat/session", new_session, methods=["POST"]),
    Route("/api/chat/messages", send, methods=["POST"]),
    Route("/api/chat/messages", replies, methods=["GET"]),
]


register(__name__, Registration("web", routes))
