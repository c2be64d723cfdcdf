"""bench/instances.py at a tiny size, so the harness cannot rot. Its figures are not
checked: no test depends on the machine's speed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..databases import server

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(300)
def test_the_instances_harness_runs_and_prints_its_figures() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "instances.py"),
            "--count",
            "4",
            "--concurrency",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
        cwd=ROOT,
        env=os.environ | {"WAITINGROOM_TEST_PG": server()},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for figure in ("webhooks acknowledged /s", "turns taken /s", "ratio"):
        assert figure in done.stdout
    assert "not acknowledged: 0 (one), 0 (two)" in done.stdout
