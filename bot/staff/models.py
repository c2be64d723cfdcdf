"""Supporters as data: roles, tags, names and the limits a lead can set."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

MIN_CAP, MAX_CAP, DEFAULT_CAP = 1, 10, 2
MAX_DISPLAY_NAME = 40
MAX_TAGS = 20
_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")
# A plain tag ("carer") or a kind and a value ("language:pl", "community:south_asian").
_TAG = re.compile(r"[a-z][a-z0-9_]{0,29}(:[a-z0-9][a-z0-9_-]{0,29})?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class Role(StrEnum):
    SUPPORTER = "supporter"
    LEAD = "lead"


class InvalidField(ValueError):
    """A value a supporter or lead typed is not allowed; ``field`` names it."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


@dataclass(frozen=True, slots=True)
class Supporter:
    id: str
    name: str
    display_name: str
    role: Role
    caseload_cap: int
    tags: tuple[str, ...]
    on_shift: bool
    break_until: datetime | None
    telegram_chat_id: str | None
    disabled_at: datetime | None
    created_at: datetime
    password_changed_at: datetime | None
    must_change_password: bool

    @property
    def is_lead(self) -> bool:
        return self.role is Role.LEAD

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    def on_break(self, now: datetime) -> bool:
        return self.break_until is not None and self.break_until > now

    def available(self, now: datetime) -> bool:
        """On shift, not on a break and not disabled: the queue may offer them people."""
        return self.active and self.on_shift and not self.on_break(now)


def login_name(value: str) -> str:
    name = value.strip().lower()
    if not _NAME.fullmatch(name):
        raise InvalidField("name")
    return name


def display_name(value: str) -> str:
    name = " ".join(value.split())
    if not name or len(name) > MAX_DISPLAY_NAME or _CONTROL.search(name):
        raise InvalidField("display_name")
    return name


def caseload_cap(value: int | str) -> int:
    try:
        cap = int(value)
    except (TypeError, ValueError) as error:
        raise InvalidField("caseload_cap") from error
    if not MIN_CAP <= cap <= MAX_CAP:
        raise InvalidField("caseload_cap")
    return cap


def role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError as error:
        raise InvalidField("role") from error


def tags(values: Iterable[str] | str) -> tuple[str, ...]:
    """Tags from a list or a comma-separated string: lower case, unique, in order."""
    items = values.split(",") if isinstance(values, str) else values
    seen: dict[str, None] = {}
    for item in items:
        tag = item.strip().lower()
        if not tag:
            continue
        if not _TAG.fullmatch(tag):
            raise InvalidField("tags")
        seen[tag] = None
    if len(seen) > MAX_TAGS:
        raise InvalidField("tags")
    return tuple(seen)
