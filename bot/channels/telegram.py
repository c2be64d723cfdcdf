"""Telegram: python-telegram-bot as a thin adapter over the engine.

Webhook mode when WAITINGROOM_PUBLIC_URL is set (``POST /telegram/webhook``, secret
header checked in constant time), long polling otherwise. Either way an update is
stored, deduplicated by ``update_id``, before Telegram is answered or the offset moves
on, and replies leave through the outbox (``TelegramSender``).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import html
import json
import logging
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.constants import ChatType, MessageLimit, ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import AIORateLimiter, ExtBot

from bot.config import Settings
from bot.engine import Kind
from bot.engine.replies import OPTION_IDS
from bot.service import ChannelMessage, Service
from bot.supervise import where
from bot.wording import Wording

from .base import DeliveryError
from .commands import parse_command
from .links import find as find_links
from .registry import Registration, register
from .telegram_staff import SupporterChats

# Read retry_after as a timedelta (the library checks at each read), without its
# deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "1")

CHANNEL = "telegram"
WEBHOOK_PATH = "/telegram/webhook"
COMMANDS = ("start", "menu", "help", "urgent", "plan", "stop", "forget")
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
MAX_TEXT = MessageLimit.MAX_TEXT_LENGTH  # 4096
PER_CHAT_INTERVAL = 1.0  # seconds
log = logging.getLogger("waitingroom.telegram")


class UnreadableUpdate(Exception):
    """An update the adapter cannot make sense of: refused, never retried as our fault."""


class NotStored(Exception):
    """Storing an update's message failed: Telegram should send it again."""


@dataclass(frozen=True, slots=True)
class GroupNotice:
    """A message in a group or channel: we only say that we talk in private chats."""

    chat_id: int


def to_message(update: Update) -> ChannelMessage | GroupNotice | None:
    """What an update means to the service; None for updates it ignores."""
    message = update.message or update.edited_message
    query = update.callback_query
    chat = update.effective_chat
    if chat is None:
        return None
    if chat.type != ChatType.PRIVATE:
        addressed = message is not None and (message.text or "").startswith("/")
        member = update.my_chat_member
        joined = (
            member is not None
            and member.new_chat_member is not None
            and member.new_chat_member.status in ("member", "administrator")
        )
        return GroupNotice(chat.id) if addressed or joined else None
    address = str(chat.id)
    message_id = str(update.update_id)
    if query is not None:
        data = query.data or ""
        # Callback data is only ever an option id; anything else is stale or forged,
        # and the engine answers it kindly.
        option = data if data in OPTION_IDS else "stale"
        return ChannelMessage(CHANNEL, address, message_id, Kind.OPTION, option=option)
    if message is None:
        return None
    if message.location is not None:
        return ChannelMessage(
            CHANNEL,
            address,
            message_id,
            Kind.LOCATION,
            latitude=message.location.latitude,
            longitude=message.location.longitude,
        )
    text = message.text
    if text is None:
        return ChannelMessage(CHANNEL, address, message_id, Kind.UNSUPPORTED)
    command = parse_command(text)
    if command is not None and command.name in COMMANDS:
        return ChannelMessage(CHANNEL, address, message_id, Kind.COMMAND, command=command.name)
    return ChannelMessage(CHANNEL, address, message_id, Kind.TEXT, text=text)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split at paragraph, then line, then word boundaries to fit Telegram's limit."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        if cut <= limit // 2:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    parts.append(rest)
    return parts


def linked_html(text: str, links: bool = True) -> str:
    """Telegram HTML for plain text: every character escaped, and each phone number,
    number to text and https address (bot/channels/links.py) an ``<a>``."""
    if not links:
        return html.escape(text, quote=False)
    out: list[str] = []
    at = 0
    for link in find_links(text):
        out.append(html.escape(text[at : link.start], quote=False))
        shown = html.escape(text[link.start : link.end], quote=False)
        out.append(f'<a href="{html.escape(link.href, quote=True)}">{shown}</a>')
        at = link.end
    out.append(html.escape(text[at:], quote=False))
    return "".join(out)


def render(
    body: dict[str, Any], links: bool = True
) -> list[tuple[str, InlineKeyboardMarkup | None]]:
    """A stored reply as Telegram HTML messages; the keyboard goes on the last one.

    Every character of the text is escaped: templates are plain text, and any value
    in them (a name, something the person typed) must never become markup. The only
    markup is the links, from a pure function of the text."""
    chunks = split_text(str(body.get("text", "")), MAX_TEXT - 200)
    pieces: list[str] = []
    for chunk in chunks:
        marked = linked_html(chunk, links)
        if len(marked) > MAX_TEXT:
            # Escaping and links lengthened it: split the escaped text instead, unlinked
            # (a cut must never fall inside a tag).
            pieces.extend(split_text(html.escape(chunk, quote=False)))
        else:
            pieces.append(marked)
    options = body.get("options") or []
    keyboard = (
        InlineKeyboardMarkup(
            [[InlineKeyboardButton(label, callback_data=option)] for option, label in options]
        )
        if options
        else None
    )
    return [(piece, keyboard if i == len(pieces) - 1 else None) for i, piece in enumerate(pieces)]


class TelegramSender:
    """Delivers stored replies through the Bot API, within Telegram's rate limits."""

    channel = CHANNEL

    def __init__(self, bot: ExtBot[Any], service: Service | None = None) -> None:
        self.bot = bot
        self.service = service
        self._last_sent: dict[str, float] = {}

    def ready_in(self, address: str) -> float:
        """Seconds before this chat may take another message (0: now). The outbox asks
        first and holds the chat back instead of waiting in ``send``, so the pace of
        one chat never holds up the first reply to another."""
        loop = asyncio.get_running_loop()
        return max(0.0, self._last_sent.get(address, 0.0) + PER_CHAT_INTERVAL - loop.time())

    async def _pace(self, address: str) -> None:
        """About one message a second per chat, as Telegram asks; the rate limiter
        keeps the whole bot under its overall limit. (Waits only for what did not ask
        ``ready_in`` first: the safety net, the later parts of a long reply.)"""
        loop = asyncio.get_running_loop()
        wait = self.ready_in(address)
        if wait > 0:
            await asyncio.sleep(wait)
        self._last_sent[address] = loop.time()
        if len(self._last_sent) > 10_000:  # forget chats that have gone quiet
            cutoff = loop.time() - PER_CHAT_INTERVAL
            self._last_sent = {a: t for a, t in self._last_sent.items() if t > cutoff}

    async def _send(
        self, address: str, messages: list[tuple[str, InlineKeyboardMarkup | None]]
    ) -> None:
        for text, keyboard in messages:
            await self._pace(address)
            await self.bot.send_message(
                chat_id=int(address),
                text=text,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard,
            )

    async def send(self, address: str, body: dict[str, Any]) -> None:
        try:
            try:
                await self._send(address, render(body))
            except BadRequest as error:
                if "entit" not in error.message.lower() and "url" not in error.message.lower():
                    raise
                # A link Telegram would not take (a tel: scheme on an older server):
                # the words matter more than the links, so send them plain.
                log.warning("links refused by the Bot API; sending the reply unlinked")
                await self._send(address, render(body, links=False))
        except Forbidden as error:
            # Blocked by the person: mark unreachable, never retry.
            if self.service is not None:
                await self.service.store.mark_unreachable(CHANNEL, address, "blocked the bot")
            raise DeliveryError("blocked the bot", permanent=True) from error
        except RetryAfter as error:
            wait = error.retry_after
            seconds = wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)
            # A 429 on sendMessage is this chat's flood limit: the overall 30 a second is
            # kept by the rate limiter (the outbox treats many at once as the bot's).
            raise DeliveryError("rate limited", retry_after=seconds, chat_only=True) from error
        except BadRequest as error:
            raise DeliveryError(f"bad request: {error.message[:80]}", permanent=True) from error
        except (NetworkError, TelegramError) as error:  # timeouts, 5xx
            raise DeliveryError(f"telegram unavailable: {type(error).__name__}") from error


def make_bot(settings: Settings) -> ExtBot[Any]:
    assert settings.telegram_bot_token
    base = (settings.telegram_api_url or "https://api.telegram.org/bot").rstrip("/")
    return ExtBot(
        settings.telegram_bot_token,
        base_url=base,
        base_file_url=base.replace("/bot", "/file/bot"),
        rate_limiter=AIORateLimiter(max_retries=0),  # the outbox does the retrying
    )


class TelegramChannel:
    """The Telegram channel's life: set-up, webhook or polling, and the sender."""

    def __init__(self, settings: Settings, wording: Wording) -> None:
        self.settings = settings
        self.wording = wording
        self.bot = make_bot(settings)
        self.sender = TelegramSender(self.bot)
        self.webhook = settings.public_url is not None
        self.secret = settings.telegram_webhook_secret or secrets.token_urlsafe(32)
        self.service: Service | None = None
        self.supporters: SupporterChats | None = None
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        # Updates already answered with the safety net (insertion order: oldest first).
        self._netted: dict[int, None] = {}

    async def start(self, service: Service) -> None:
        self.service = service
        self.sender.service = service
        self.supporters = SupporterChats(service)
        # Telegram being down must not stop the web chat: set up in the background,
        # supervised like every long-running task (restarted if polling dies).
        self._task = service.supervisor.spawn("telegram", self._run)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        with contextlib.suppress(Exception):
            await self.bot.shutdown()

    async def _set_up(self) -> None:
        await self.bot.initialize()  # getMe
        locale = self.settings.file.service.locale
        await self.bot.set_my_commands(
            [BotCommand(name, self.wording.ui(f"command_{name}", locale)) for name in COMMANDS]
        )
        if self.webhook:
            assert self.settings.public_url
            await self.bot.set_webhook(
                url=self.settings.public_url.rstrip("/") + WEBHOOK_PATH,
                secret_token=self.secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            await self.bot.delete_webhook()

    async def _run(self) -> None:
        delay = 1.0
        while True:
            try:
                await self._set_up()
                break
            except TelegramError as error:
                log.warning("telegram set-up failed (%s); retrying", type(error).__name__)
                await asyncio.sleep(delay)
                delay = min(60.0, delay * 2)
        self._ready.set()
        log.info("telegram ready (%s)", "webhook" if self.webhook else "polling")
        if not self.webhook:
            await self._poll()

    async def _poll(self) -> None:
        offset: int | None = None
        delay = 1.0
        while True:
            try:
                updates = await self.bot.get_updates(
                    offset=offset,
                    timeout=20,
                    allowed_updates=ALLOWED_UPDATES,
                    read_timeout=30,
                )
                delay = 1.0
            except TelegramError as error:
                log.warning("telegram polling failed (%s); retrying", type(error).__name__)
                await asyncio.sleep(delay)
                delay = min(60.0, delay * 2)
                continue
            for update in updates:
                # Stored before the offset moves past it: a crash re-reads, never loses.
                # NotStored escapes: the supervisor restarts polling, which reads it again.
                await self.take(update)
                offset = update.update_id + 1

    async def take(self, update: Update) -> str:
        """Accept an update, whatever it holds: "ok", "unreadable" (refused) or "failed"
        (not handled, and the person was sent the safety net instead). Raises NotStored
        when its message could not be stored, so that Telegram sends it again."""
        try:
            await self.accept(update)
        except UnreadableUpdate as error:
            log.warning("telegram update %s not understood (%s)", update.update_id, error)
            self._safety_net(update)
            return "unreadable"
        except NotStored as error:
            log.error(
                "telegram update %s not stored (%s)",
                update.update_id,
                where(error.__cause__ or error),
            )
            self._safety_net(update)
            raise
        except Exception as error:
            # A fault of ours (a parser, the supporter desk): retrying will not help, but
            # the person must still get the emergency numbers.
            log.error("telegram update %s not handled (%s)", update.update_id, where(error))
            self._safety_net(update)
            return "failed"
        return "ok"

    def _safety_net(self, update: Update) -> None:
        """Send the safety net straight to a private chat, once per update."""
        try:
            chat = update.effective_chat
        except Exception:  # an update odd enough not to say where it came from
            return
        if self.service is None or chat is None or chat.type != ChatType.PRIVATE:
            return
        if update.update_id in self._netted:
            return
        self._netted[update.update_id] = None
        while len(self._netted) > 1000:
            del self._netted[next(iter(self._netted))]
        self._later(self._send_safety_net(str(chat.id)))

    async def _send_safety_net(self, address: str) -> None:
        assert self.service is not None
        with contextlib.suppress(DeliveryError):
            await self.sender.send(address, self.service.safety_net.body)

    async def accept(self, update: Update) -> None:
        """Store what an update means, then do the small courtesies it asks for."""
        assert self.service is not None
        if self.supporters is not None and await self.supporters.handle(update):
            return  # a supporter's chat: never the people's inbox
        try:
            meaning = to_message(update)
        except Exception as error:
            raise UnreadableUpdate(type(error).__name__) from error
        if isinstance(meaning, ChannelMessage):
            try:
                await self.service.receive(meaning)
            except Exception as error:
                raise NotStored(type(error).__name__) from error
        elif isinstance(meaning, GroupNotice):
            self._later(self._tell_group(meaning.chat_id))
        if update.callback_query is not None:
            self._later(self._answer_callback(update.callback_query.id))

    def _later(self, work: Any) -> None:
        task = asyncio.create_task(work)
        task.add_done_callback(lambda t: t.exception() if not t.cancelled() else None)

    async def _answer_callback(self, query_id: str) -> None:
        with contextlib.suppress(TelegramError):
            await self.bot.answer_callback_query(query_id)

    async def _tell_group(self, chat_id: int) -> None:
        text = self.wording.ui("private_only", self.settings.file.service.locale)
        with contextlib.suppress(TelegramError):
            await self.bot.send_message(
                chat_id=chat_id, text=html.escape(text), parse_mode=ParseMode.HTML
            )

    async def handle_webhook(self, request: Request) -> Response:
        given = request.headers.get("x-telegram-bot-api-secret-token", "")
        if not self.webhook or not hmac.compare_digest(given.encode(), self.secret.encode()):
            return JSONResponse({"error": "forbidden"}, status_code=403)
        try:
            data = json.loads(await request.body())
            # Anything the library cannot read as an update is not one: a 400, which
            # Telegram does not retry. Only a failure to store gives a 500.
            update = Update.de_json(data, self.bot) if isinstance(data, dict) else None
        except Exception:
            return JSONResponse({"error": "not an update"}, status_code=400)
        if update is None:
            return JSONResponse({"error": "not an update"}, status_code=400)
        # A failure to store gives a 500, so Telegram retries (200 only once stored); a
        # fault of ours in handling it gives 200, since a retry would fail the same way.
        # Either way the person has been sent the safety net.
        try:
            outcome = await self.take(update)
        except NotStored:
            return JSONResponse({"error": "not stored"}, status_code=500)
        if outcome == "unreadable":
            return JSONResponse({"error": "not an update"}, status_code=400)
        return JSONResponse({"ok": True})


async def webhook(request: Request) -> Response:
    channel: TelegramChannel | None = getattr(request.app.state, "telegram", None)
    if channel is None:
        return JSONResponse({"error": "Telegram is not configured here"}, status_code=503)
    return await channel.handle_webhook(request)


routes: Sequence[Route] = [Route(WEBHOOK_PATH, webhook, methods=["POST"])]


register(
    __name__,
    Registration(
        CHANNEL, routes, TelegramChannel, lambda settings: bool(settings.telegram_bot_token)
    ),
)
