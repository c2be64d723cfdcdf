"""Fixtures for directory tests: the shipped directory, and small folders made on the spot."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.directory import Directory, load_directory

Entries = dict[str, list[dict[str, Any]]]
MakeFolder = Callable[..., Path]


@pytest.fixture(scope="session")
def shipped() -> Directory:
    return load_directory()


def entry(entry_id: str = "test-line", **fields: Any) -> dict[str, Any]:
    """A valid national 24/7 line; keyword arguments replace or add fields."""
    base: dict[str, Any] = {
        "id": entry_id,
        "name": entry_id.replace("-", " ").title(),
        "kind": "crisis_line",
        "status": "active",
        "for": {"audiences": ["everyone"]},
        "area": {"national": True},
        "hours": "24/7",
        "access": "self_referral",
        "source": "test fixture",
        "verified_on": date(2026, 11, 1),
    }
    base.update(fields)
    return base


@pytest.fixture
def make_entry() -> Callable[..., dict[str, Any]]:
    return entry


@pytest.fixture
def make_folder(tmp_path: Path) -> MakeFolder:
    """Write ``{file name: [entries]}`` (or raw text) into a fresh folder and return it."""

    def make(files: dict[str, list[dict[str, Any]] | str], *, lifeline: bool = True) -> Path:
        folder = tmp_path / "directory"
        folder.mkdir(exist_ok=True)
        if lifeline:  # search must always have a national 24/7 line to offer
            files = {"lifeline.yaml": [entry("lifeline")], **files}
        for name, content in files.items():
            text = content if isinstance(content, str) else yaml.safe_dump({"entries": content})
            (folder / name).write_text(text, encoding="utf-8")
        return folder

    return make
