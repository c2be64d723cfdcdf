"""Reports for leads: anonymous figures, small numbers hidden, charts as inline SVG.

Pure functions only: the web layer reads the rows from the store and hands them here.
"""

from .charts import Chart, columns, rows
from .export import csv_rows
from .report import (
    ANSWERS,
    CHANNELS,
    MAX_DAYS,
    REPORT_KINDS,
    STATEMENTS,
    Day,
    Feedback,
    Named,
    Report,
    Waits,
    bounds,
    build_report,
    default_range,
    local_day,
)
from .suppression import THRESHOLD, WITHHELD, Shown, count, derived, share, total

__all__ = [
    "ANSWERS",
    "CHANNELS",
    "MAX_DAYS",
    "REPORT_KINDS",
    "STATEMENTS",
    "THRESHOLD",
    "WITHHELD",
    "Chart",
    "Day",
    "Feedback",
    "Named",
    "Report",
    "Shown",
    "Waits",
    "bounds",
    "build_report",
    "columns",
    "count",
    "csv_rows",
    "default_range",
    "derived",
    "local_day",
    "rows",
    "share",
    "total",
]
