"""Reading the directory folder: every ``*.yaml`` file of entries, and ``places.yaml``.

Loading checks everything a lead can get wrong and reports every problem at once,
each naming the file, the entry and the field. Nothing is read after loading.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .hours import ALWAYS
from .models import Entry, Group, Kind, Status
from .places import Gazetteer

PLACES_FILE = "places.yaml"
# Words people use to ask for a language or community (bot/directory/asking.py).
ASKING_FILE = "asking.yaml"


class DirectoryError(Exception):
    """The directory could not be loaded; ``problems`` has one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Directory:
    """Every entry, loaded and checked, and the gazetteer used to place people."""

    entries: tuple[Entry, ...]
    places: Gazetteer = field(default_factory=Gazetteer)
    files: Mapping[str, str] = field(default_factory=dict)  # entry id -> file it came from
    _by_id: Mapping[str, Entry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {entry.id: entry for entry in self.entries})

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    def location_of(self, entry: Entry) -> tuple[float, float] | None:
        """Exact coordinates, else the approximate centre of the entry's town."""
        if entry.location is not None:
            return entry.location
        if entry.place is not None and entry.place.town is not None:
            town = self.places.place(entry.place.town)
            if town is not None:
                return (town.lat, town.lon)
        return None


def default_directory_path() -> Path:
    """``<repo>/directory``, next to the ``bot`` package."""
    return Path(__file__).resolve().parents[2] / "directory"


class _UniqueKeyLoader(yaml.CSafeLoader):
    """Safe YAML, except that a key given twice is an error rather than a silent overwrite."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_UniqueKeyLoader)


def _field(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(entry)"


def _message(error: Mapping[str, Any]) -> str:
    text = str(error["msg"])
    return text.removeprefix("Value error, ")


def load_gazetteer(path: Path) -> Gazetteer:
    try:
        raw = _read_yaml(path)
    except (OSError, yaml.YAMLError) as error:
        raise DirectoryError([f"{path.name}: cannot read: {error}"]) from None
    try:
        return Gazetteer.model_validate(raw or {})
    except ValidationError as error:
        raise DirectoryError(
            [f"{path.name}: field '{_field(e['loc'])}': {_message(e)}" for e in error.errors()]
        ) from None


def _entries_in(path: Path, problems: list[str]) -> list[Any]:
    try:
        raw = _read_yaml(path)
    except (OSError, yaml.YAMLError) as error:
        problems.append(f"{path.name}: cannot read: {error}")
        return []
    if raw is None:
        return []
    if not isinstance(raw, dict) or set(raw) != {"entries"} or not isinstance(raw["entries"], list):
        problems.append(f"{path.name}: expected a mapping with one key, 'entries', holding a list")
        return []
    return raw["entries"]


def _check_entries(
    path: Path, raws: list[Any], gazetteer: Gazetteer, problems: list[str]
) -> list[Entry]:
    entries = []
    for number, raw in enumerate(raws, start=1):
        entry_id = raw.get("id") if isinstance(raw, dict) else None
        label = f"entry '{entry_id}'" if isinstance(entry_id, str) else f"entry #{number} (no id)"
        if not isinstance(raw, dict):
            problems.append(f"{path.name}: {label}: expected a mapping of fields")
            continue
        try:
            entries.append(Entry.model_validate(raw, context={"gazetteer": gazetteer}))
        except ValidationError as error:
            problems.extend(
                f"{path.name}: {label}: field '{_field(e['loc'])}': {_message(e)}"
                for e in error.errors()
            )
    return entries


def always_something(entries: Iterable[Entry]) -> bool:
    """Is there a national line open to everyone, at all hours, that search can return?"""
    return any(
        e.status == Status.ACTIVE
        and e.kind != Kind.EMERGENCY
        and e.area.national
        and Group.EVERYONE in e.who.audiences
        and e.who.ages is None
        and e.hours == ALWAYS
        for e in entries
    )


def load_directory(path: Path | None = None) -> Directory:
    """Load and check a directory folder (default: the shipped one).

    The gazetteer is ``places.yaml`` in the folder, or the shipped one when the
    folder has none (handy for a lead's test folder).
    """
    folder = path if path is not None else default_directory_path()
    if not folder.is_dir():
        raise DirectoryError([f"{folder}: not a folder"])
    places_path = folder / PLACES_FILE
    if not places_path.exists():
        places_path = default_directory_path() / PLACES_FILE
    gazetteer = load_gazetteer(places_path)

    problems: list[str] = []
    entries: list[Entry] = []
    files: dict[str, str] = {}
    for file in sorted(folder.glob("*.yaml")):
        if file.name in (PLACES_FILE, ASKING_FILE):
            continue
        for entry in _check_entries(file, _entries_in(file, problems), gazetteer, problems):
            if entry.id in files:
                problems.append(
                    f"{file.name}: entry '{entry.id}': field 'id': "
                    f"already used in {files[entry.id]}"
                )
                continue
            files[entry.id] = file.name
            entries.append(entry)
    if not problems and not always_something(entries):
        problems.append(
            f"{folder.name}: no active national line for everyone open 24/7 "
            "(such as Samaritans): search must always have something to offer"
        )
    if problems:
        raise DirectoryError(problems)
    return Directory(entries=tuple(entries), places=gazetteer, files=files)
