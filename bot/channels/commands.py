"""Reading a Telegram-style command ("/name@bot arg ..."), for every parser that needs one.

One function, total over any text: whatever a person or a supporter types, it returns
a command or None and never raises (a "/ " once broke Telegram; see issue 13).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Command:
    name: str  # lower case, without the "@bot" suffix
    args: tuple[str, ...] = ()


def parse_command(text: str) -> Command | None:
    """The command in ``text``, or None when it is not one: a slash, then at once a name.

    "/ next", "/", "/@bot" are not commands (Telegram does not make them one either)."""
    if not text.startswith("/") or len(text) < 2 or text[1].isspace():
        return None
    first, *args = text[1:].split()
    name = first.split("@", 1)[0].lower()
    if not name:
        return None
    return Command(name, tuple(args))
