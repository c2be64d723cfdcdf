"""The reports page and CSV export over HTTP, from a seeded real store."""

from __future__ import annotations

import csv
import io

from .conftest import CAFE_NAME, Server

JUNE = "?from=2026-06-01&to=2026-06-30"


def test_the_page_shows_june_with_small_numbers_hidden(server: Server) -> None:
    response = server.get("/dashboard/reports" + JUNE)
    assert response.status_code == 200
    assert "content-security-policy" in response.headers
    page = response.text
    assert "Monday 1 June 2026 to Tuesday 30 June 2026" in page
    # 15 less the 12 shown would give the 3 carers away
    assert '<dd id="contacts-total"><span class="fewer">withheld</span></dd>' in page
    assert '<dd id="contacts-people">12</dd>' in page
    # three carers by SMS: hidden, in the summary, the table and the chart
    assert '<dd id="contacts-carers"><span class="fewer">fewer than 5</span></dd>' in page
    assert 'data-hidden="yes"' in page
    assert CAFE_NAME in page
    assert '<dd id="queue-median">5.0 min</dd>' in page
    assert '<dd id="urgent-flags">0</dd>' in page
    assert page.count("<svg id=") == 2
    assert "<script" not in page and "style=" not in page  # the CSP allows neither


def test_the_date_filter_changes_the_figures(server: Server) -> None:
    july = server.get("/dashboard/reports?from=2026-07-01&to=2026-07-31").text
    assert '<dd id="contacts-total">7</dd>' in july
    assert CAFE_NAME not in july
    default = server.get("/dashboard/reports").text
    # today's real turns: five web contacts, one urgent flag (hidden)
    assert '<dd id="contacts-total">5</dd>' in default
    assert '<dd id="urgent-flags"><span class="fewer">fewer than 5</span></dd>' in default


def test_bad_ranges_fall_back_to_the_last_28_days(server: Server) -> None:
    for query in (
        "?from=2026-06-30&to=2026-06-01",
        "?from=yesterday",
        "?from=2020-01-01&to=2026-01-01",
    ):
        response = server.get("/dashboard/reports" + query)
        assert response.status_code == 400
        assert 'role="alert"' in response.text
        assert '<dd id="contacts-total">5</dd>' in response.text
    assert server.get("/dashboard/reports.csv?from=nonsense").status_code == 400


def test_the_csv_is_an_attachment_with_the_same_suppression(server: Server) -> None:
    response = server.get("/dashboard/reports.csv" + JUNE)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="waitingroom-report-2026-06-01-to-2026-06-30.csv"'
    )
    table = list(csv.reader(io.StringIO(response.text)))
    assert table[0] == ["figure", "day", "part", "answer", "value"]
    assert ["contacts", "", "", "", "withheld"] in table
    assert ["contacts", "", "web", "", "12"] in table
    assert ["contacts", "2026-06-10", "sms", "", "fewer than 5"] in table
    assert ["contacts", "2026-06-11", "sms", "", "0"] in table
    assert ["contacts_carers", "", "", "", "fewer than 5"] in table
    assert ["signposts", "", CAFE_NAME, "", "6"] in table
    assert ["feedback", "", "listened", "partly", "fewer than 5"] in table
    assert ["feedback", "", "listened", "yes", "6"] in table
    assert ["feedback_yes_percent", "", "listened", "", "withheld"] in table
    assert ["queue_wait_median_seconds", "", "", "", "300"] in table
    values = {row[4] for row in table[1:]}
    assert values.isdisjoint({"1", "2", "3", "4"})
