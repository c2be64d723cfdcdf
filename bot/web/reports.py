"""The reports page and its CSV export, for leads, under ``/dashboard``.

These endpoints build no access control of their own: the dashboard's lead-only guard
wraps ``routes`` when they are mounted. Everything shown is anonymous and passes
through small-number suppression in ``bot.reports``.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from bot.reports import (
    MAX_DAYS,
    REPORT_KINDS,
    Report,
    bounds,
    build_report,
    columns,
    csv_rows,
    default_range,
    rows,
)
from bot.service import Service
from bot.store.figures import risk_rows

WORDS = "reports_words.j2"
# Spreadsheets run a cell that starts with one of these as a formula.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _range(request: Request, service: Service) -> tuple[date, date, str]:
    """The local days asked for, or the last 28 with the reason the ask was refused."""
    zone = service.settings.zone
    first, last = default_range(service.clock(), zone)
    query = request.query_params
    if "from" not in query and "to" not in query:
        return first, last, ""
    try:
        asked_first = date.fromisoformat(query.get("from") or first.isoformat())
        asked_last = date.fromisoformat(query.get("to") or last.isoformat())
    except ValueError:
        return first, last, "unreadable"
    if asked_first > asked_last:
        return first, last, "backwards"
    if (asked_last - asked_first).days + 1 > MAX_DAYS:
        return first, last, "too_long"
    return asked_first, asked_last, ""


async def _report(service: Service, first: date, last: date) -> Report:
    since, until = bounds(first, last, service.settings.zone)
    counts = await service.store.counts(since, until, REPORT_KINDS)
    risks = await risk_rows(service.store.db, since, until)
    directory = service.directory
    names = {entry.id: entry.name for entry in directory.entries} if directory else {}
    ladder = service.settings.file.peer_support.escalation
    rungs = {str(index): step for index, step in enumerate(ladder)}  # as bot/peer/desk.py
    return build_report(counts, risks, first, last, service.settings.zone, names, rungs)


async def reports_page(request: Request) -> Response:
    service: Service = request.app.state.service
    first, last, problem = _range(request, service)
    report = await _report(service, first, last)
    page = service.wording.dashboard(
        "reports.html",
        service.settings.file.service.locale,
        report=report,
        service=service.settings.file.service,
        time_zone=service.settings.file.service.time_zone,
        problem=problem,
        max_days=MAX_DAYS,
        # For the page's navigation and sign-out, as on every dashboard page.
        me=getattr(request.state, "supporter", None),
        csrf=getattr(getattr(request.state, "session", None), "csrf_token", ""),
        csv_url="reports.csv?" + urlencode({"from": first.isoformat(), "to": last.isoformat()}),
        contacts_chart=columns([(day.day, day.by_channel) for day in report.days]),
        feedback_chart=rows([(item.statement, item.answers) for item in report.feedback]),
    )
    return HTMLResponse(page, status_code=400 if problem else 200)


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA) else text


async def reports_csv(request: Request) -> Response:
    service: Service = request.app.state.service
    first, last, problem = _range(request, service)
    if problem:
        return Response(status_code=400)
    report = await _report(service, first, last)
    words = service.wording.dashboard_words(WORDS, service.settings.file.service.locale)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(words.csv_header)
    writer.writerows(
        [_cell(cell) for cell in row]
        for row in csv_rows(report, words.fewer_than_5, words.withheld)
    )
    filename = f"waitingroom-report-{first.isoformat()}-to-{last.isoformat()}.csv"
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


routes = [
    Route("/dashboard/reports", reports_page, methods=["GET"]),
    Route("/dashboard/reports.csv", reports_csv, methods=["GET"]),
]
