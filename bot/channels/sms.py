"""SMS through Twilio: the twilio SDK as a thin adapter over the engine.

``POST /sms/inbound`` takes Twilio's inbound webhook and ``POST /sms/status`` its
delivery reports; both check ``X-Twilio-Signature`` against the public URL Twilio
called. A message is stored, once per ``MessageSid``, before Twilio gets its (empty)
TwiML answer; replies leave through the outbox (``SmsSender``), rendered as plain GSM-7
text with numbered options. Phone numbers are addresses only: never logged, never shown.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import phonenumbers
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse

from bot.config import Settings
from bot.engine import Kind
from bot.service import ChannelMessage, Service
from bot.store.store import DeliveryOutcome
from bot.supervise import where
from bot.wording import DEFAULT_LOCALE, Wording

from .base import DeliveryError
from .gsm import segments, to_gsm
from .registry import Registration, register

CHANNEL = "sms"
INBOUND_PATH = "/sms/inbound"
STATUS_PATH = "/sms/status"
MAX_TEXT = 1600  # Twilio's own limit for one message body
BUDGET = 3  # segments in one message: longer replies are split (split_sms)
SEND_TIMEOUT = 15.0  # seconds; a hung request must not hold up every other channel
log = logging.getLogger("waitingroom.sms")

# The carrier keywords Twilio acts on by itself for a long code (it confirms them and
# blocks sends after STOP with error 21610). We only record them.
OPT_OUT_WORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
)
OPT_IN_WORDS = frozenset({"START", "UNSTOP", "YES"})

# Twilio error codes (https://www.twilio.com/docs/api/errors).
OPTED_OUT = 21610
# The number cannot take SMS: invalid 'To', not a mobile, unknown handset, landline,
# blocked by the recipient or their carrier.
UNREACHABLE = frozenset({21211, 21217, 21614, 30004, 30005, 30006})
# A later attempt may get through: queue overflow, handset unreachable (off, no signal),
# unknown error, a missing segment, carrier congestion.
RETRYABLE = {
    30001: timedelta(seconds=60),
    30003: timedelta(seconds=60),
    30008: timedelta(seconds=60),
    30009: timedelta(seconds=30),
    30017: timedelta(seconds=60),
}
DELIVERED = frozenset({"delivered", "read"})
FAILED = frozenset({"failed", "undelivered", "canceled"})


# -- pure parts ------------------------------------------------------------------


def render_sms(body: Mapping[str, Any], wording: Wording, locale: str = DEFAULT_LOCALE) -> str:
    """A stored reply as one plain GSM-7 SMS: its text, then its options as numbers.

    The labels come from the stored body (rendered from ``messages/`` when the reply was
    made); the words around them from ``messages/<locale>/ui/sms_options.j2``."""
    text = str(body.get("text", "")).strip()
    labels = [str(label) for _, label in body.get("options") or []]
    if labels:
        text = f"{text}\n\n{wording.ui('sms_options', locale, options=labels)}"
    return to_gsm(text)[:MAX_TEXT]


def split_sms(text: str, budget: int = BUDGET) -> list[str]:
    """A long reply (a plan in the person's own words) as several SMS, each within
    ``budget`` segments, cut between lines (a plan's sections), then between words.

    Each part arrives whole and readable, rather than one message of many segments that
    some phones show late or in pieces."""
    if segments(text) <= budget:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        pieces = [line]
        if segments(line) > budget:  # one section too long alone: cut between words
            pieces, piece = [], ""
            for word in line.split(" "):
                candidate = f"{piece} {word}" if piece else word
                if piece and segments(candidate) > budget:
                    pieces.append(piece)
                    candidate = word
                piece = candidate
            pieces.append(piece)
        for piece in pieces:
            candidate = f"{current}\n{piece}" if current else piece
            if current and segments(candidate) > budget:
                parts.append(current.strip("\n"))
                candidate = piece
            current = candidate
    if current.strip():
        parts.append(current.strip("\n"))
    return [part for part in parts if part.strip()]


def normalise_number(raw: str) -> str:
    """A phone number in E.164 (+447700900123); one phonenumbers cannot read is kept as
    sent, stripped, so that whoever wrote still gets an answer."""
    raw = raw.strip()
    try:
        number = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException:
        return raw
    if not phonenumbers.is_possible_number(number):
        return raw
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def opt_change(form: Mapping[str, str]) -> bool | None:
    """True if an inbound message opts out, False if it opts back in, else None.

    Twilio's ``OptOutType`` (Advanced Opt-Out) decides when present; otherwise the whole
    message, trimmed and in any case, must be one of the keywords, as Twilio matches."""
    kind = (form.get("OptOutType") or "").strip().upper()
    if kind:
        return True if kind == "STOP" else False if kind == "START" else None
    word = (form.get("Body") or "").strip().upper()
    if word in OPT_OUT_WORDS:
        return True
    if word in OPT_IN_WORDS:
        return False
    return None


def to_message(form: Mapping[str, str], address: str) -> ChannelMessage:
    """What an inbound SMS means to the service."""
    message_id = form.get("MessageSid") or form.get("SmsMessageSid") or ""
    raw = form.get("Body") or ""
    # Control characters would only confuse; newlines and tabs are kept.
    text = "".join(c for c in raw if c.isprintable() or c in "\n\t")
    media = (form.get("NumMedia") or "0").strip()
    if not text.strip() and media.isdigit() and int(media) > 0:
        kind = Kind.UNSUPPORTED  # a picture with no words
    else:
        kind = Kind.TEXT
    return ChannelMessage(CHANNEL, address, message_id, kind, text=text, opt_out=opt_change(form))


@dataclass(frozen=True, slots=True)
class Delivery:
    """What a delivery report means for the reply it is about."""

    outcome: DeliveryOutcome
    error: str | None = None
    retry_in: timedelta | None = None
    opted_out: bool = False
    unreachable: bool = False


def classify(status: str, error_code: str | None) -> Delivery:
    """A Twilio ``MessageStatus`` and ``ErrorCode`` as an outcome for the outbox."""
    status = status.strip().lower()
    if status in DELIVERED:
        return Delivery("delivered")
    if status not in FAILED:
        return Delivery("sent")  # accepted, queued, sending, sent: still on its way
    code = int(error_code) if error_code and error_code.strip().isdigit() else None
    if code == OPTED_OUT:
        return Delivery("failed", "opted out (21610)", opted_out=True)
    if code in RETRYABLE:
        return Delivery("retry", f"{status} ({code})", retry_in=RETRYABLE[code])
    if code in UNREACHABLE:
        return Delivery("failed", f"{status} ({code})", unreachable=True)
    return Delivery("failed", f"{status} ({code})" if code else status)


class ApiUrlHttpClient(AsyncTwilioHttpClient):
    """Twilio's async HTTP client, sending every request to another base URL when one is
    given (``TWILIO_API_URL``: a fake on loopback in tests); the SDK has no option for it.

    It also sends the credentials as an Authorization header itself: the SDK passes
    aiohttp's ``BasicAuth``, which aiohttp 3.14 deprecates."""

    def __init__(self, base_url: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base = urlsplit(base_url) if base_url else None

    def rewrite(self, url: str) -> str:
        if self.base is None:
            return url
        parts = urlsplit(url)
        path = self.base.path.rstrip("/") + parts.path
        return urlunsplit((self.base.scheme, self.base.netloc, path, parts.query, ""))

    async def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - the SDK's own signature
        allow_redirects: bool = False,
    ) -> TwilioResponse:
        if auth is not None:
            user, password = auth
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            headers = {**(headers or {}), "Authorization": f"Basic {token}"}
        return await super().request(
            method,
            self.rewrite(url),
            params=params,
            data=data,
            headers=headers,
            auth=None,
            timeout=timeout,
            allow_redirects=allow_redirects,
        )


# -- sending ---------------------------------------------------------------------


class SmsSender:
    """Delivers stored replies with ``messages.create_async``; an opted-out number is
    never sent to."""

    channel = CHANNEL

    def __init__(self, settings: Settings, wording: Wording) -> None:
        assert settings.twilio_from_number and settings.public_url
        self.settings = settings
        self.wording = wording
        self.locale = settings.file.service.locale
        self.from_number = normalise_number(settings.twilio_from_number)
        self.status_url = settings.public_url.rstrip("/") + STATUS_PATH
        self.service: Service | None = None
        self.http: ApiUrlHttpClient | None = None
        self.client: Client | None = None

    async def open(self) -> None:
        """Build the HTTP client inside the running loop (its session belongs to it)."""
        quiet = logging.getLogger("waitingroom.sms.http")
        quiet.setLevel(logging.WARNING)  # it would log every request at INFO
        self.http = ApiUrlHttpClient(
            self.settings.twilio_api_url, timeout=SEND_TIMEOUT, logger=quiet
        )
        self.client = Client(
            self.settings.twilio_account_sid,
            self.settings.twilio_auth_token,
            http_client=self.http,
        )
        # Twilio's client imports its API modules on first use: do it now, not on the
        # first person's reply (about a tenth of a second with the event loop held).
        _ = self.client.messages

    async def close(self) -> None:
        if self.http is not None:
            await self.http.close()
        self.http = self.client = None

    async def send(self, address: str, body: dict[str, Any]) -> str | None:
        if self.client is None or self.service is None:
            raise DeliveryError("sms channel not started")
        store = self.service.store
        if await store.opted_out(CHANNEL, address):
            raise DeliveryError("opted out", permanent=True)
        try:
            # A long reply goes as several messages, in order; the last one's status is
            # the reply's (it carries the options).
            for part in split_sms(render_sms(body, self.wording, self.locale)):
                message = await self.client.messages.create_async(
                    to=address,
                    from_=self.from_number,
                    body=part,
                    status_callback=self.status_url,
                )
        except (TwilioRestException, TwilioServiceException) as error:
            # The error's own message may quote the number: only its codes are kept.
            code, status = error.code, error.status
            if code == OPTED_OUT:
                await store.set_opted_out(CHANNEL, address)
                raise DeliveryError("opted out (21610)", permanent=True) from error
            if code in UNREACHABLE:
                await store.mark_unreachable(CHANNEL, address, f"twilio error {code}")
                raise DeliveryError(f"twilio error {code}", permanent=True) from error
            # Rate limits, Twilio's own trouble and refused credentials may pass.
            transient = status == 429 or status >= 500 or status == 401
            raise DeliveryError(
                f"twilio error {code} (http {status})", permanent=not transient
            ) from error
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            raise DeliveryError(f"twilio unreachable: {type(error).__name__}") from error
        sid: str | None = message.sid
        return sid


# -- the channel -----------------------------------------------------------------


def _fields(form: FormData) -> dict[str, str]:
    return {key: value for key, value in form.items() if isinstance(value, str)}


class SmsChannel:
    """The SMS channel's life: the webhook checks, the routes' work, and the sender."""

    def __init__(self, settings: Settings, wording: Wording) -> None:
        assert settings.twilio_auth_token and settings.public_url
        self.settings = settings
        self.public_url = settings.public_url.rstrip("/")
        self.validator = RequestValidator(settings.twilio_auth_token)
        self.sender = SmsSender(settings, wording)
        self.service: Service | None = None

    async def start(self, service: Service) -> None:
        self.service = service
        self.sender.service = service
        await self.sender.open()
        log.info("sms ready")

    async def stop(self) -> None:
        await self.sender.close()

    async def _signed_form(self, request: Request, path: str) -> FormData | None:
        """The form, if Twilio signed it for the public URL it called; else None."""
        signature = request.headers.get("x-twilio-signature", "")
        form = await request.form() if signature else None
        query = request.url.query
        url = self.public_url + path + (f"?{query}" if query else "")
        if (
            form is None
            or not all(isinstance(value, str) for value in form.values())  # never files
            or not self.validator.validate(url, form, signature)
        ):
            # If every request is refused, WAITINGROOM_PUBLIC_URL is probably not the URL
            # Twilio calls, or the auth token is not this account's.
            log.warning(
                "%s refused: no valid X-Twilio-Signature for %s", path, self.public_url + path
            )
            return None
        return form

    async def handle_inbound(self, request: Request) -> Response:
        assert self.service is not None
        form = await self._signed_form(request, INBOUND_PATH)
        if form is None:
            return JSONResponse({"error": "forbidden"}, status_code=403)
        fields = _fields(form)
        if not (fields.get("MessageSid") or fields.get("SmsMessageSid")) or not fields.get("From"):
            return JSONResponse({"error": "not an inbound message"}, status_code=400)
        message = to_message(fields, normalise_number(fields["From"]))
        # Stored (and any opt-out recorded with it) before Twilio hears back. Twilio does
        # not retry a failed inbound webhook, so if storing fails the person is answered
        # in the TwiML itself with the safety net: never nothing.
        try:
            person_id, duplicate = await self.service.receive(message)
        except Exception as error:
            log.error("sms inbound not stored (%s); answering with the safety net", where(error))
            twiml = MessagingResponse()
            if not message.opt_out:
                twiml.message(render_sms(self.service.safety_net.body, self.sender.wording))
            return Response(str(twiml), media_type="text/xml")
        if message.opt_out is not None and not duplicate:
            change = "opt-out" if message.opt_out else "opt-in"
            log.info("sms %s recorded for %s", change, person_id)
        # Replies go through the outbox, so the TwiML answer says nothing.
        return Response(str(MessagingResponse()), media_type="text/xml")

    async def handle_status(self, request: Request) -> Response:
        assert self.service is not None
        form = await self._signed_form(request, STATUS_PATH)
        if form is None:
            return JSONResponse({"error": "forbidden"}, status_code=403)
        fields = _fields(form)
        message_id = fields.get("MessageSid") or fields.get("SmsSid") or ""
        status = fields.get("MessageStatus") or fields.get("SmsStatus") or ""
        if not message_id or not status:
            return JSONResponse({"error": "not a status report"}, status_code=400)
        delivery = classify(status, fields.get("ErrorCode"))
        store = self.service.store
        report = await store.record_delivery(
            CHANNEL,
            message_id,
            status.strip().lower()[:20],
            delivery.outcome,
            error=delivery.error,
            retry_in=delivery.retry_in,
        )
        if report is None:
            log.debug("sms status for a message we do not know")
        elif report.address is not None and (delivery.opted_out or delivery.unreachable):
            if delivery.opted_out:
                await store.set_opted_out(CHANNEL, report.address)
            elif report.changed:
                await store.mark_unreachable(CHANNEL, report.address, delivery.error or status)
        if report is not None and report.changed and delivery.outcome in ("failed", "retry"):
            log.warning("sms outbox %s %s: %s", report.outbox_id, report.status, delivery.error)
        return Response(status_code=200)


def _channel(request: Request) -> SmsChannel | None:
    channel: SmsChannel | None = getattr(request.app.state, "sms", None)
    return channel


def _not_configured() -> Response:
    return JSONResponse(
        {
            "error": "SMS is not configured here: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN"
            " and TWILIO_FROM_NUMBER"
        },
        status_code=503,
    )


async def inbound(request: Request) -> Response:
    channel = _channel(request)
    return _not_configured() if channel is None else await channel.handle_inbound(request)


async def status(request: Request) -> Response:
    channel = _channel(request)
    return _not_configured() if channel is None else await channel.handle_status(request)


routes: Sequence[Route] = [
    Route(INBOUND_PATH, inbound, methods=["POST"]),
    Route(STATUS_PATH, status, methods=["POST"]),
]


register(
    __name__,
    Registration(
        CHANNEL,
        routes,
        SmsChannel,
        lambda settings: bool(settings.twilio_account_sid),
        start_early=True,
    ),
)
