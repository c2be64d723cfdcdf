"""bench/load.py at a tiny size, so the harness cannot rot. Its figures are not checked:
no test depends on the machine's speed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TINY = [
    "--rate",
    "20",
    "--seconds",
    "0.3",
    "--stored",
    "5",
    "--capacity",
    "4",
    "--rounds",
    "1",
    "--concurrency",
    "4",
    "--supporters",
    "1",
    "--people",
    "2",
]


@pytest.mark.timeout(240)
def test_the_load_harness_runs_and_prints_its_figures() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py"), *TINY],
        capture_output=True,
        text=True,
        timeout=200,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for figure in (
        "bare PTB",
        "ratio",
        "webhook to stored",
        "webhook to reply sent",
        "peak RSS",
        "supporter hello to the person",
    ):
        assert figure in done.stdout
    assert "0 not acknowledged, 0 unanswered" in done.stdout
    assert "took 2 of 2 people" in done.stdout
