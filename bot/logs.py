"""Redaction at the log handler: whatever any logger writes, at any level, leaves without
message text, phone numbers, chat ids, SQL parameters or credentials.

Our own loggers (``waitingroom.*``) log ids, counts and rule names by design. Libraries
do not: aiosqlite's DEBUG lines carry every SQL parameter (what people said, their
numbers), python-telegram-bot's carry each call's parameters and the bot token in its
URL, Twilio's the numbers in its URLs. So the filter, on every handler:

- keeps the arguments only of loggers known to log nothing personal in them (ours,
  uvicorn's, httpx's request lines); any other library's arguments become ``<redacted>``;
- removes the service's secrets by value, and anything shaped like a bot token, a
  Bearer or Basic credential, a phone number or a chat id, from the whole line;
- writes a traceback's frames but not the exception's message, which may quote data.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterable

REDACTED = "<redacted>"
# Loggers whose arguments are ids, counts, methods and URLs (URLs are then scrubbed).
_KEEP_ARGS = ("waitingroom", "bot.", "uvicorn", "httpx", "asyncio")
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"/bot[^/\s\"']+"), "/bot" + REDACTED),  # Bot API URLs hold the token
    (re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{10,}"), REDACTED),  # a bot token anywhere
    (re.compile(r"\b(Bearer|Basic)\s+\S+", re.IGNORECASE), r"\1 " + REDACTED),
    (re.compile(r"(?:\+|%2B|00)\d[\d \-]{6,16}\d"), REDACTED),  # international numbers
    (re.compile(r"\b0\d{2,4}[ -]?\d{3}[ -]?\d{3,4}\b"), REDACTED),  # UK national numbers
    (re.compile(r"-?\b\d{6,}\b"), REDACTED),  # chat ids and any other long number
)


def _owned(name: str) -> bool:
    return name == "root" or name.startswith(_KEEP_ARGS)


class Redactor(logging.Filter):
    """A handler filter that rewrites each record as described in the module docstring."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        # Longest first, so a secret that contains another is removed whole.
        self.secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_redacted", False):
            return True  # already rewritten for another handler
        if record.args and not _owned(record.name):
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            try:
                record.msg = str(record.msg) % tuple(REDACTED for _ in args)
            except (TypeError, ValueError):
                record.msg = f"{record.msg} {REDACTED}"
        else:
            try:
                record.msg = record.getMessage()
            except Exception:  # a broken format string must not lose the line
                record.msg = f"{record.msg} {REDACTED}"
        record.args = None
        record.msg = self.redact(str(record.msg))
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            frames = "".join(traceback.format_tb(error.__traceback__))
            record.exc_text = self.redact(
                f"Traceback (most recent call last):\n{frames}{type(error).__name__}: {REDACTED}"
            )
            record.exc_info = None
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        record._redacted = True
        return True


def install(redactor: Redactor) -> None:
    """Put ``redactor`` on every handler there is now (root's and uvicorn's included)."""
    handlers = list(logging.getLogger().handlers)
    for logger in list(logging.Logger.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger):
            handlers.extend(logger.handlers)
    for handler in handlers:
        if redactor not in handler.filters:
            handler.addFilter(redactor)
