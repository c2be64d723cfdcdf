"""Passwords: argon2id (memory-hard), one-time passwords, and what a new one must be."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
MAX_LENGTH = 256
# Letters and digits that cannot be mistaken for each other when read aloud or copied.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"

_hasher = PasswordHasher()  # argon2-cffi's defaults follow RFC 9106's low-memory profile


@cache
def _dummy_hash() -> str:
    """Verifying against this when a name is unknown takes as long as a real check.

    Made at the first unknown name, not at import: a hash costs a fifth of a second, and
    every process that imports the dashboard (each CLI command, each serve) would pay it."""
    return _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str, hasher: PasswordHasher = _hasher) -> str:
    return hasher.hash(password)


def verify(
    stored: str | None, password: str, hasher: PasswordHasher = _hasher
) -> tuple[bool, str | None]:
    """Whether ``password`` matches; and a new hash when the parameters have changed.

    ``stored`` None (no such supporter) still spends the time of a real check."""
    try:
        hasher.verify(stored or _dummy_hash(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False, None
    if stored is None:
        return False, None
    return True, hasher.hash(password) if hasher.check_needs_rehash(stored) else None


def one_time_password() -> str:
    """Four groups of four, about 79 bits: shown once, changed at first login."""
    groups = ("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))
    return "-".join(groups)


def reset() -> tuple[str, str]:
    """A one-time password (shown once, changed at the next login) and its hash."""
    password = one_time_password()
    return password, hash_password(password)


def new_password_problem(password: str, confirm: str, name: str) -> str | None:
    """Why a chosen password is refused (a key the page words), or None if it is fine."""
    if password != confirm:
        return "password_mismatch"
    if len(password) < MIN_LENGTH:
        return "password_short"
    if len(password) > MAX_LENGTH:
        return "password_long"
    if name.lower() in password.lower():
        return "password_has_name"
    return None
