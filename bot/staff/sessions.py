"""Dashboard sessions and CSRF tokens as pure rules; the clock is always passed in."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

IDLE_LIMIT = timedelta(minutes=30)
ABSOLUTE_LIMIT = timedelta(hours=12)
# Recording every page view would make every read a write; a minute's slack is harmless.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Session:
    token_hash: str
    supporter_id: str
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the store keeps of a cookie token: a leaked file opens no session."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_session(supporter_id: str, now: datetime) -> tuple[str, Session]:
    """A fresh token (for the cookie) and the session to store under its hash."""
    token = new_token()
    return token, Session(
        token_hash=token_hash(token),
        supporter_id=supporter_id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
        expires_at=now + ABSOLUTE_LIMIT,
    )


def is_live(session: Session, now: datetime) -> bool:
    return now < session.expires_at and now - session.last_seen_at < IDLE_LIMIT


def needs_touch(session: Session, now: datetime) -> bool:
    return now - session.last_seen_at >= TOUCH_EVERY


def csrf_ok(expected: str, given: str | None) -> bool:
    """The synchroniser-token check, in constant time."""
    if not given or not expected:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))
