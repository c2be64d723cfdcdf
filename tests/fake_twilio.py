"""A fake Twilio REST API on loopback: records every message the service creates, answers
as Twilio does, and fails on request (429, 5xx, Twilio error JSON such as 21610, or down
until told).

Also the other direction: requests signed exactly as Twilio signs its webhooks."""

from __future__ import annotations

import base64
import secrets
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from twilio.request_validator import RequestValidator

from .conftest import free_port
from .loopback import LoopbackServer

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "f" * 32
FROM_NUMBER = "+441134960000"  # an Ofcom drama number (Leeds)

_MESSAGES = {
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    503: (20503, "Service Unavailable"),
    21610: (21610, "Attempt to send to unsubscribed recipient"),
    21211: (21211, "The 'To' number is not a valid phone number."),
}


@dataclass
class Sent:
    """One message the service asked Twilio to send."""

    sid: str
    params: dict[str, str]
    auth: tuple[str, str]
    at: float = field(default_factory=time.monotonic)  # when it arrived (bench latencies)

    @property
    def body(self) -> str:
        return self.params["Body"]


@dataclass
class FakeTwilio:
    port: int = field(default_factory=free_port)
    messages: list[Sent] = field(default_factory=list)
    attempts: int = 0
    failures: list[int] = field(default_factory=list)
    down: int | None = None  # while set, every send fails with this
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _loopback: LoopbackServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def fail_next(self, failure: int, times: int = 1) -> None:
        """Fail the next sends: an HTTP status (429, 500, 503) or a Twilio error code."""
        with self._lock:
            self.failures.extend([failure] * times)

    def set_down(self, failure: int | None) -> None:
        """Fail every send with ``failure`` (as for fail_next) until called with None."""
        with self._lock:
            self.down = failure

    def sent(self, to: str | None = None) -> list[Sent]:
        with self._lock:
            return [m for m in self.messages if to is None or m.params.get("To") == to]

    def wait_for(self, count: int = 1, to: str | None = None, timeout: float = 15) -> list[Sent]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.sent(to)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        found = self.sent(to)
        raise AssertionError(f"{len(found)} messages sent, wanted {count}: {found}")

    async def _create(self, request: Request) -> JSONResponse:
        params = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        user, _, password = base64.b64decode(encoded).decode().partition(":")
        with self._lock:
            self.attempts += 1
            failure = self.failures.pop(0) if self.failures else None
            failure = self.down if self.down is not None else failure
        if scheme != "Basic" or (user, password) != (ACCOUNT_SID, AUTH_TOKEN):
            return self._error(401, 20003, "Authenticate")
        if request.path_params["sid"] != ACCOUNT_SID:
            return self._error(404, 20404, "The requested resource was not found")
        if failure is not None:
            code, message = _MESSAGES.get(failure, (failure, "fake failure"))
            return self._error(failure if failure < 1000 else 400, code, message)
        sid = "SM" + secrets.token_hex(16)
        with self._lock:
            self.messages.append(Sent(sid, params, (user, password)))
        now = formatdate(usegmt=True)
        return JSONResponse(
            {
                "sid": sid,
                "account_sid": ACCOUNT_SID,
                "status": "queued",
                "to": params.get("To"),
                "from": params.get("From"),
                "body": params.get("Body"),
                "direction": "outbound-api",
                "num_segments": "1",
                "num_media": "0",
                "date_created": now,
                "date_updated": now,
                "date_sent": None,
                "error_code": None,
                "error_message": None,
                "price": None,
                "price_unit": "GBP",
                "api_version": "2010-04-01",
                "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
            },
            status_code=201,
        )

    @staticmethod
    def _error(status: int, code: int, message: str) -> JSONResponse:
        return JSONResponse(
            {
                "code": code,
                "message": message,
                "more_info": f"https://www.twilio.com/docs/errors/{code}",
                "status": status,
            },
            status_code=status,
        )

    def start(self) -> FakeTwilio:
        app = Starlette(
            routes=[
                Route("/2010-04-01/Accounts/{sid}/Messages.json", self._create, methods=["POST"])
            ]
        )
        self._loopback = LoopbackServer(app, self.port)
        self._loopback.start()
        return self

    def stop(self) -> None:
        if self._loopback is not None:
            self._loopback.stop()


# -- Twilio's side of the webhooks -------------------------------------------------


def signature(url: str, params: dict[str, str], token: str = AUTH_TOKEN) -> str:
    """X-Twilio-Signature as Twilio computes it, with the SDK's own code."""
    return str(RequestValidator(token).compute_signature(url, params))


def post_signed(
    base: str,
    public: str,
    path: str,
    params: dict[str, str],
    *,
    sign: bool = True,
    token: str = AUTH_TOKEN,
    signed_url: str | None = None,
) -> httpx.Response:
    """POST a form to the service at ``base`` as Twilio would, signed for ``public``."""
    headers = {}
    if sign:
        headers["X-Twilio-Signature"] = signature(signed_url or public + path, params, token)
    return httpx.post(base + path, data=params, headers=headers, timeout=10)


def inbound(sid: str, from_: str, body: str, **extra: str) -> dict[str, str]:
    """An inbound SMS webhook's form, with the fields Twilio sends."""
    return {
        "ToCountry": "GB",
        "ToState": "",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": "GB",
        "To": FROM_NUMBER,
        "ToZip": "",
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": from_,
        "ApiVersion": "2010-04-01",
        **extra,
    }


def status_report(sid: str, to: str, status: str, error_code: str | None = None) -> dict[str, str]:
    """A delivery status callback's form."""
    form = {
        "SmsSid": sid,
        "SmsStatus": status,
        "MessageStatus": status,
        "To": to,
        "MessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": FROM_NUMBER,
        "ApiVersion": "2010-04-01",
    }
    if error_code is not None:
        form["ErrorCode"] = error_code
    return form
