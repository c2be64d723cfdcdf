"""Debian's Chromium for the browser tests, driven by Playwright (never a download)."""

from __future__ import annotations

import shutil

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
EXPECT_TIMEOUT_MS = 20_000
# The machine has no internet: keep Chromium from reaching for it.
ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-gpu",
    "--no-sandbox",
]
