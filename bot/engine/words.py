"""The few words the bot understands in any state, and numbered replies.

These are words people type, not words the bot says, so they live here rather than
in ``messages/``. Matching is by whole words on a cleaned-up copy of short messages:
a long message that happens to contain "menu" is not a request for the menu.
"""

from __future__ import annotations

import re
import unicodedata

from .replies import Option

# Intents beyond the options themselves.
HELP = "help"
STOP = "stop"
FORGET = "forget"

_PHRASES: dict[str, tuple[str, ...]] = {
    Option.URGENT: ("urgent", "emergency", "urgent help", "crisis", "999"),
    HELP: ("help", "info", "what is this", "who are you", "start", "hello", "hi"),
    Option.MENU: ("menu", "options", "main menu", "back"),
    Option.SOMEWHERE: (
        "haven",
        "safe haven",
        "somewhere to go",
        "where can i go",
        "cafe",
        "crisis cafe",
        "somewhere",
        "place",
        "near me",
        "open now",
    ),
    Option.TALK: (
        "talk",
        "talk to someone",
        "peer",
        "peer supporter",
        "supporter",
        "a person",
        "human",
        "someone to talk to",
        "chat",
    ),
    Option.CARER: (
        "carer",
        "caring",
        "i'm a carer",
        "supporting someone",
        "i am supporting someone",
        "worried about someone",
        "family",
        "for someone else",
    ),
    Option.MORE: ("more", "next", "more please", "show more", "others"),
    Option.LEAVE_QUEUE: ("cancel", "leave", "leave the queue", "leave queue", "stop waiting"),
    # Not "end" alone on SMS: Twilio takes END as an opt-out, so the wording says FINISH.
    Option.END_CHAT: (
        "finish",
        "end",
        "end chat",
        "end the chat",
        "finish chat",
        "end conversation",
    ),
    Option.WAIT: ("wait", "waiting", "while you wait", "while i wait"),
    Option.PLAN: ("my plan", "plan", "safety plan", "show my plan"),
    Option.GROUNDING: ("grounding", "breathing", "5 4 3 2 1"),
    # On SMS a bare STOP opts out of every message (Twilio), so check-ins say this instead.
    Option.STOP_CHECKINS: ("stop check ins", "stop checkins", "stop check in", "no check ins"),
    Option.CHECKIN: ("check in", "check ins", "checkin", "check on me"),
    Option.SKIP: ("skip", "skip it", "pass", "next question", "rather not say"),
    Option.FEEDBACK: ("feedback",),
    Option.FB_PARTLY: ("partly", "a bit", "somewhat", "in part"),
    STOP: ("stop", "unsubscribe", "quiet", "no more messages"),
    FORGET: ("forget", "forget me", "delete", "delete me", "delete my data"),
}
_YES = frozenset({"yes", "y", "yeah", "yep", "yes i am", "i am", "ya", "yh", "aye", "sort of"})
_NO = frozenset({"no", "n", "nope", "nah", "not really", "no i'm not", "i'm not", "no im not"})
_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
}
_LONGEST_MEANINGFUL = 6  # words; longer texts are talk, not a command
_NON_WORD = re.compile(r"[^a-z0-9' ]+")


def clean(text: str) -> str:
    """Lower-case, accents folded, punctuation dropped, single spaces."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    folded = folded.replace("\u2019", "'").lower()
    return " ".join(_NON_WORD.sub(" ", folded).split())


def number_choice(text: str) -> int | None:
    """A reply like "1", "2.", "two" or "option 3": the number, 1-based."""
    words = clean(text).removeprefix("option ").removeprefix("reply ").split()
    if len(words) != 1:
        return None
    word = words[0]
    if word.isdigit() and len(word) <= 2:
        return int(word)
    return _NUMBERS.get(word)


# Intents that stop, end, leave or delete something only count when they are the whole
# message: "I can't stop crying" is not "stop", and "I just want it to end" must never
# end a conversation with a supporter.
_WHOLE_MESSAGE_ONLY = frozenset(
    {STOP, FORGET, Option.LEAVE_QUEUE, Option.END_CHAT, Option.SKIP, Option.FB_PARTLY}
)
_COURTESIES = frozenset({"please", "ok", "okay", "now", "thanks", "thank you", "pls"})


def _bare(cleaned: str) -> str:
    """The message without a courtesy at either end: "stop please" is "stop"."""
    words = cleaned.split()
    while words and words[0] in _COURTESIES:
        words = words[1:]
    while words and words[-1] in _COURTESIES:
        words = words[:-1]
    return " ".join(words)


def intent(text: str) -> str | None:
    """The intent behind a short message, if it is one of the words we know."""
    cleaned = clean(text)
    words = cleaned.split()
    if not words or len(words) > _LONGEST_MEANINGFUL:
        return None
    padded = f" {cleaned} "
    bare = _bare(cleaned)
    best: tuple[int, str] | None = None
    for name, phrases in _PHRASES.items():
        whole_only = name in _WHOLE_MESSAGE_ONLY
        for phrase in phrases:
            found = bare == phrase if whole_only else f" {phrase} " in padded
            if found and (best is None or len(phrase) > best[0]):
                best = (len(phrase), str(name))
    return best[1] if best else None


def yes_or_no(text: str) -> bool | None:
    """True for a plain yes, False for a plain no, None for anything else."""
    cleaned = clean(text)
    if cleaned in _YES:
        return True
    if cleaned in _NO:
        return False
    return None
