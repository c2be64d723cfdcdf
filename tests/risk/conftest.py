"""Shared by the risk tests: the golden and hold-out message sets, and their summary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).parent
# Lines the golden tests report (accuracy, precision), printed after the run.
SUMMARY: list[str] = []


@dataclass(frozen=True)
class Case:
    section: str
    level: str
    messages: tuple[str, ...]
    categories: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"[{self.section}] {' || '.join(self.messages)!r}"


def cases(name: str = "golden.yaml") -> list[Case]:
    data = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    out = []
    for section, entries in data.items():
        for entry in entries:
            level, text, *rest = entry
            messages = tuple(text) if isinstance(text, list) else (text,)
            out.append(Case(section, level, messages, tuple(rest[0]) if rest else ()))
    return out


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SUMMARY:
        terminalreporter.write_sep("-", "risk check figures")
        for line in SUMMARY:
            terminalreporter.write_line(line)
