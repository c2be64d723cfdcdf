"""The live directory: what people are offered, built from the entries leads keep.

The store holds the working copy; this turns its stored bodies into the engine's
``Directory`` (with the shipped gazetteer), and the shipped YAML into seed bodies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .editing import EntryProblems, body_of, entry_from_body
from .loading import Directory
from .places import Gazetteer


def build(
    bodies: Iterable[tuple[Mapping[str, Any], str]], places: Gazetteer
) -> tuple[Directory, list[str]]:
    """(Directory, problems) from (body, origin) pairs; a body that no longer validates
    (a field the code stopped accepting) is left out and named, never half-shown."""
    entries = []
    files: dict[str, str] = {}
    problems: list[str] = []
    for body, origin in bodies:
        try:
            entry = entry_from_body(body, places)
        except EntryProblems as error:
            problems.append(f"entry '{body.get('id')}': {error}")
            continue
        entries.append(entry)
        files[entry.id] = origin
    return Directory(entries=tuple(entries), places=places, files=files), problems


def seed_bodies(seed: Directory) -> list[tuple[str, dict[str, Any], str]]:
    """(id, body, origin) for every entry of the shipped YAML."""
    return [
        (entry.id, body_of(entry), f"seed:{seed.files.get(entry.id, '?')}")
        for entry in seed.entries
    ]
