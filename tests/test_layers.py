"""Imports flow one way (issue 18): the layer contracts in pyproject.toml
([tool.importlinter]), checked by import-linter on the real import graph. It fails on
an upward import (the store importing the service, a rule importing the store) and on
any cycle between the modules of one package, function-level or TYPE_CHECKING imports
included: a cycle hidden inside a function is still a cycle."""

from __future__ import annotations

from pathlib import Path

from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports

ROOT = Path(__file__).resolve().parents[1]


def test_imports_keep_the_layers_and_no_package_has_a_cycle() -> None:
    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    assert code == EXIT_STATUS_SUCCESS, "see the broken contracts printed above"
