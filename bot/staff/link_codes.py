"""One-time codes that link a supporter's Telegram chat: random, short-lived, stored hashed."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

VALID_FOR = timedelta(minutes=10)
LENGTH = 8
# No 0/O, 1/I/L: the supporter types it into Telegram from the dashboard.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(LENGTH))


def normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode("ascii", "replace")).hexdigest()


@dataclass(frozen=True, slots=True)
class LinkCode:
    """What the store keeps of a code: its hash, whose, until when."""

    supporter_id: str
    code_hash: str
    expires_at: datetime


def issue(supporter_id: str, now: datetime) -> tuple[str, LinkCode]:
    """A new code (shown once, sent to the bot as ``/link CODE``) and what to store."""
    code = new_code()
    return code, LinkCode(supporter_id, code_hash(code), now + VALID_FOR)
