"""What a person asks for beyond a place: a language spoken, a community served.

"somewhere that speaks urdu", "for young black men": the words come from
``directory/asking.yaml``; a service matches through its languages, its communities
served and the groups it is for. Pure, apart from reading that file once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .loading import ASKING_FILE, default_directory_path
from .models import Entry
from .places import fold_words


@dataclass(frozen=True, slots=True)
class Vocabulary:
    languages: Mapping[str, tuple[str, ...]]  # name -> folded words for it
    communities: Mapping[str, tuple[str, ...]]  # key -> folded words for it


@lru_cache(maxsize=4)
def vocabulary(path: Path | None = None) -> Vocabulary:
    """The words in ``asking.yaml`` (default: the shipped one)."""
    file = path or default_directory_path() / ASKING_FILE
    with file.open(encoding="utf-8") as handle:
        raw = yaml.load(handle, Loader=yaml.CSafeLoader) or {}

    def folded(section: Mapping[str, list[str]]) -> dict[str, tuple[str, ...]]:
        return {
            str(key): tuple(fold_words(w) for w in [str(key), *words] if fold_words(w))
            for key, words in (section or {}).items()
        }

    return Vocabulary(folded(raw.get("languages", {})), folded(raw.get("communities", {})))


def _found(text: str, words: Mapping[str, tuple[str, ...]]) -> frozenset[str]:
    padded = f" {fold_words(text.replace('_', ' '))} "
    return frozenset(key for key, said in words.items() if any(f" {w} " in padded for w in said))


@dataclass(frozen=True, slots=True)
class Wants:
    """Languages (their names) and communities (keys) the person asked for."""

    languages: frozenset[str] = frozenset()
    communities: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.languages or self.communities)

    def keys(self) -> tuple[str, ...]:
        """For the conversation state: ``lang:Urdu``, ``young``, ``men``..."""
        return tuple(sorted(f"lang:{n}" for n in self.languages)) + tuple(sorted(self.communities))

    @classmethod
    def from_keys(cls, keys: Iterable[str]) -> Wants:
        keys = list(keys)
        return cls(
            frozenset(k.removeprefix("lang:") for k in keys if k.startswith("lang:")),
            frozenset(k for k in keys if not k.startswith("lang:")),
        )


def wants_in(text: str, words: Vocabulary | None = None) -> Wants:
    """The languages and communities named in what the person typed."""
    words = words or vocabulary()
    communities = _found(text, words.communities)
    # "English" alone says nothing: everyone speaks it here.
    languages = _found(text, words.languages) - {"English"}
    return Wants(languages, communities)


def match(entry: Entry, wants: Wants, words: Vocabulary | None = None) -> int:
    """How many of the things asked for the entry offers (0: none)."""
    if not wants:
        return 0
    words = words or vocabulary()
    spoken = frozenset().union(*(_found(name, words.languages) for name in entry.who.languages))
    served = frozenset().union(
        *(_found(name, words.communities) for name in entry.who.communities),
        *(_found(group.value, words.communities) for group in entry.who.audiences),
    )
    return len(wants.languages & spoken) + len(wants.communities & served)
