"""Geometry for the reports' stacked bar charts, drawn as inline SVG by the templates.

A hidden figure (1 to 4) is drawn at 4, the most it could be, and marked ``hidden``
so the template draws it pale and dashed: the bar never gives the true number away.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .suppression import THRESHOLD, Shown


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    series: int
    hidden: bool
    shown: Shown


@dataclass(frozen=True, slots=True)
class Bar:
    key: Any  # a date for days, a statement id for feedback
    rects: tuple[Rect, ...]
    label_x: float
    label_y: float
    labelled: bool


@dataclass(frozen=True, slots=True)
class Tick:
    value: int
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    left: float
    top: float
    plot_width: float
    plot_height: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    horizontal: bool


def _drawn(value: Shown) -> float:
    if value.hidden:
        return THRESHOLD - 1
    return float(value.value or 0)


def nice_ceiling(peak: float) -> int:
    """The smallest 1, 2 or 5 times a power of ten at or above ``peak`` (at least 5)."""
    if peak <= THRESHOLD:
        return THRESHOLD
    power = 10 ** math.floor(math.log10(peak))
    for step in (1, 2, 5, 10):
        if step * power >= peak:
            return int(step * power)
    return int(10 * power)  # pragma: no cover - the loop always returns


def _ticks(scale: int) -> tuple[int, ...]:
    return (0, scale // 2, scale) if scale % 2 == 0 else (0, scale)


def columns(
    groups: Sequence[tuple[Any, Sequence[Shown]]], width: int = 720, height: int = 260
) -> Chart:
    """Upright stacked bars, one per group (a day), one segment per series (a channel)."""
    left, right, top, bottom = 44.0, 8.0, 12.0, 40.0
    plot_w, plot_h = width - left - right, height - top - bottom
    scale = nice_ceiling(max((sum(map(_drawn, v)) for _, v in groups), default=0))
    slot = plot_w / max(len(groups), 1)
    bar_w = slot * 0.7
    every = 1 if len(groups) <= 14 else 7
    bars = []
    for i, (key, values) in enumerate(groups):
        x = left + i * slot + (slot - bar_w) / 2
        base = top + plot_h
        rects = []
        for series, value in enumerate(values):
            size = _drawn(value) / scale * plot_h
            if size > 0:
                base -= size
                rects.append(
                    Rect(
                        round(x, 1),
                        round(base, 1),
                        round(bar_w, 1),
                        round(size, 1),
                        series,
                        value.hidden,
                        value,
                    )
                )
        bars.append(
            Bar(key, tuple(rects), round(x + bar_w / 2, 1), top + plot_h + 16, i % every == 0)
        )
    ticks = tuple(Tick(v, left, round(top + plot_h - v / scale * plot_h, 1)) for v in _ticks(scale))
    return Chart(width, height, left, top, plot_w, plot_h, tuple(bars), ticks, horizontal=False)


def rows(groups: Sequence[tuple[Any, Sequence[Shown]]], width: int = 720, row: int = 34) -> Chart:
    """Sideways stacked bars, one per group (a statement), one segment per answer."""
    left, right, top, bottom = 200.0, 16.0, 8.0, 28.0
    plot_w = width - left - right
    plot_h = row * max(len(groups), 1)
    scale = nice_ceiling(max((sum(map(_drawn, v)) for _, v in groups), default=0))
    bars = []
    for i, (key, values) in enumerate(groups):
        y = top + i * row + row * 0.15
        along = left
        rects = []
        for series, value in enumerate(values):
            size = _drawn(value) / scale * plot_w
            if size > 0:
                rects.append(
                    Rect(
                        round(along, 1),
                        round(y, 1),
                        round(size, 1),
                        round(row * 0.7, 1),
                        series,
                        value.hidden,
                        value,
                    )
                )
                along += size
        bars.append(Bar(key, tuple(rects), left - 8, round(y + row * 0.45, 1), True))
    ticks = tuple(Tick(v, round(left + v / scale * plot_w, 1), top + plot_h) for v in _ticks(scale))
    height = int(top + plot_h + bottom)
    return Chart(width, height, left, top, plot_w, plot_h, tuple(bars), ticks, horizontal=True)
