"""A bare python-telegram-bot echo bot, the yardstick for ``bench/load.py``.

    .venv/bin/python bench/echo_bot.py PORT BOT_API_URL

PTB's own custom-webhook pattern (its ``examples/customwebhookbot/starlettebot.py``):
Starlette on uvicorn puts each update on ``Application.update_queue`` and answers 200 at
once; a handler sends the text straight back. The same rate limiter as the service's
(Telegram's 30 messages a second), and nothing stored: what PTB costs on its own.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncIterator

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import AIORateLimiter, Application, ContextTypes, MessageHandler, filters

TOKEN = "123456:TEST-token"


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say the same words back."""
    message = update.effective_message
    if message is not None and message.text:
        await context.bot.send_message(chat_id=message.chat_id, text=message.text)


def main(port: int, api_url: str) -> None:
    application = (
        Application.builder()
        .token(TOKEN)
        .base_url(api_url)
        .updater(None)
        .rate_limiter(AIORateLimiter(max_retries=0))
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))

    async def webhook(request: Request) -> Response:
        await application.update_queue.put(Update.de_json(await request.json(), application.bot))
        return Response()

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with application:
            await application.start()
            yield
            await application.stop()

    app = Starlette(
        routes=[
            Route("/telegram/webhook", webhook, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
