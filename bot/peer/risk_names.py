"""The names the desk shows for what the risk check raised, instead of its raw ids.

Pure: the names are reviewed data (``messages/<locale>/dashboard/risk_names.yaml``, read
by ``bot.wording``); this only looks ids up. An id the risk check raises is one of: a
category, a rule id, ``concept:<combination>``, ``lang:<code>:<level>``,
``framed:<frame>+<frame>``, or one of the few fixed ids (``learned``, ``internal-error``,
``lang:routine-frame``). An id with no name is shown as itself (better than hiding what
raised the risk); tests/staff/test_risk_names.py keeps that from happening.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Names = Mapping[str, Any]


def _section(names: Names, key: str) -> Mapping[str, str]:
    found = names.get(key)
    return found if isinstance(found, Mapping) else {}


def name_of(names: Names, raised: str) -> str | None:
    """The reviewed name of one id, or None when the file has none."""
    for key in ("categories", "rules", "other"):
        if raised in _section(names, key):
            return str(_section(names, key)[raised])
    patterns = _section(names, "patterns")
    if raised.startswith("concept:"):
        found = _section(names, "concepts").get(raised.removeprefix("concept:"))
        return None if found is None else str(found)
    if raised.startswith("lang:") and raised.count(":") == 2:
        _, code, level = raised.split(":")
        language = _section(names, "languages").get(code)
        level_name = _section(names, "levels").get(level)
        if language is None or level_name is None or "language" not in patterns:
            return None
        return patterns["language"].replace("{language}", language).replace("{level}", level_name)
    if raised.startswith("framed:") and "framed" in patterns:
        frames = [
            _section(names, "frames").get(f) for f in raised.removeprefix("framed:").split("+")
        ]
        if not frames or None in frames:
            return None
        return patterns["framed"].replace("{frames}", ", ".join(str(f) for f in frames))
    return None


def named(names: Names, raised: Iterable[str]) -> list[str]:
    """Names for these ids, in order, each once; an unnamed id as itself."""
    out: list[str] = []
    for one in raised:
        name = name_of(names, one) or one
        if name not in out:
            out.append(name)
    return out


def language_name(names: Names, code: str) -> str:
    return str(_section(names, "languages").get(code, code))
