"""What a person sent, as the engine sees it, whichever channel it came through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    OPTION = "option"  # a button press; ``option`` holds the option id as sent
    COMMAND = "command"  # /start, /menu, ...; ``command`` holds the name without "/"
    LOCATION = "location"
    UNSUPPORTED = "unsupported"  # photo, voice note, sticker, document


@dataclass(frozen=True, slots=True)
class Inbound:
    kind: Kind
    at: datetime
    text: str = ""
    option: str | None = None
    command: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    # The store's id for this message (its inbox row), carried into risk records.
    id: int | None = None
