"""The intents the bot understands anywhere, and numbered replies: a thin face on
``bot.engine.meaning``, which reads every answer from the data in ``messages/``."""

from __future__ import annotations

import re
import unicodedata

from . import meaning

# Intents beyond the options themselves.
HELP = "help"
STOP = "stop"
FORGET = "forget"

_NON_WORD = re.compile(r"[^a-z0-9' ]+")


def clean(text: str) -> str:
    """Lower-case, accents folded, punctuation dropped, single spaces."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    folded = folded.replace("\u2019", "'").lower()
    return " ".join(_NON_WORD.sub(" ", folded).split())


def number_choice(text: str) -> int | None:
    """A reply like "1", "2.", "two" or "option 3": the number, 1-based."""
    return meaning.number(text, meaning.answers().numbers)


def intent(text: str) -> str | None:
    """What a message asks for when no question is being answered (stop, end, leave and
    forget only as the whole message)."""
    return meaning.read("", text).meaning
