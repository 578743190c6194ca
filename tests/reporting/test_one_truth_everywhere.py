"""One truth on every surface (page, PDF text, both workbooks, CSV, API), for the same
indicators of 2019-20 Q4:

- the same change: repeat victims (a percentage) changes by +1.4 percentage points, not
  by its relative 7.7%;
- the same break handling: stalking's comparison crosses the recording change of
  2019-20 Q1, so it is "not comparable", with no percentage, significance or direction;
- the same exception list, from ``reporting.exceptions`` (the rule is tested there), with
  cautions apart."""

import csv
import io
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from core.periods import FinancialQuarter
from indicators.models import Indicator
from meetings import packs
from meetings.models import Meeting
from reporting.selectors import scorecard_rows
from returns.models import ReportingPeriod

PERIOD = {"period": "2019-20-Q4"}
NOT_COMPARABLE = "not comparable (recording changed)"


@pytest.fixture
def exceptions(demo) -> dict[str, list[str]]:
    """The quarter's exceptions, code → reasons, as the one rule gives them."""
    rows = scorecard_rows(FinancialQuarter(2019, 4))
    found = {r.indicator.code: r.exception_reasons for r in rows if r.exception_reasons}
    # enough to tell a list from another: reds, worsening and SPC concerns, not all rows
    assert 5 <= len(found) < len(rows)
    return found


@pytest.fixture
def cautions(demo) -> set[str]:
    rows = scorecard_rows(FinancialQuarter(2019, 4))
    found = {r.indicator.code for r in rows if r.caution_reasons}
    assert found
    return found


def codes_in(text: str) -> set[str]:
    """The indicator codes that appear in ``text``."""
    return {code for code in Indicator.objects.values_list("code", flat=True) if code in text}


@pytest.fixture
def member_client(client, demo, member):
    client.force_login(member)
    return client


def row_text(page: str, code: str) -> str:
    """The text of the dashboard's row for one indicator."""
    start = page.index(f"/indicators/{code}/")
    row = page[page.rindex("<tr", 0, start) : page.index("</tr>", start)]
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


def test_the_exceptions_page(member_client, exceptions, cautions):
    response = member_client.get(reverse("exceptions"), PERIOD)
    listed = {r.indicator.code: r.exception_reasons for r in response.context["rows"]}
    assert listed == exceptions
    assert {r.indicator.code for r in response.context["cautions"]} == cautions
    page = response.content.decode()
    assert "an outlier against their own history" in page  # the one definition's words
    dashboard = member_client.get(reverse("dashboard"), PERIOD).content.decode()
    link = (
        f"Exceptions: {len(exceptions)} indicators red, worsening two periods running, an "
        "outlier against their own history or a special cause concern"
    )
    assert link in dashboard


def test_the_dashboard(member_client):
    page = member_client.get(reverse("dashboard"), PERIOD).content.decode()
    assert "+1.4 pp" in row_text(page, "REPEAT-01")
    assert "7.7" not in row_text(page, "REPEAT-01")
    stalking = row_text(page, "STALK-01")
    assert NOT_COMPARABLE in stalking
    assert "32.6" not in stalking and "significant" not in stalking
    assert "Worsening" not in stalking


def test_the_indicator_page(member_client):
    page = member_client.get(reverse("indicator_detail", args=["STALK-01"])).content.decode()
    assert "not comparable with last year (the recording changed)" in page
    assert "+32.6%" not in page


def test_the_csv_and_the_api(member_client, exceptions):
    text = member_client.get(reverse("download_csv"), PERIOD).content.decode("utf-8-sig")
    rows = {r["indicator"]: r for r in csv.DictReader(io.StringIO(text))}
    assert {c: r["exception_reasons"] for c, r in rows.items() if r["exception_reasons"]} == {
        c: "; ".join(reasons) for c, reasons in exceptions.items()
    }
    assert rows["REPEAT-01"]["change_vs_last_year_pp"] == "1.4"
    assert rows["REPEAT-01"]["change_vs_last_year_pct"] == "7.7"  # the contract stays
    assert (rows["STALK-01"]["change_vs_last_year_pct"], rows["STALK-01"]["direction"]) == (
        "",
        "not_comparable",
    )
    api = member_client.get("/api/v1/scorecard/", PERIOD).json()["results"]
    by_code = {r["indicator"]: r for r in api}
    assert by_code["REPEAT-01"]["change_vs_last_year_pp"] == 1.4
    assert by_code["STALK-01"]["change_vs_last_year_pct"] is None
    assert by_code["STALK-01"]["direction"] == "not_comparable"
    assert {c: r["exception_reasons"] for c, r in by_code.items() if r["exception_reasons"]} == (
        exceptions
    )


def test_an_indicators_history_in_the_api_lists_the_exceptions_of_its_scorecard(
    member_client, exceptions
):
    code, reasons = next((c, r) for c, r in exceptions.items() if len(r) > 1)
    periods = member_client.get(f"/api/v1/indicators/{code}/").json()["periods"]
    q4 = next(p for p in periods if p["period"] == "2019-20 Q4")
    assert q4["exception_reasons"] == reasons


def test_the_dashboard_workbook(member_client, exceptions):
    content = member_client.get(reverse("download_xlsx"), PERIOD).content
    sheet = load_workbook(io.BytesIO(content))["Scorecard"]
    rows = list(sheet.iter_rows(values_only=True))
    by_code = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_code["REPEAT-01"]["Change on last year"] == pytest.approx(1.4)
    stalking = by_code["STALK-01"]
    assert stalking["Change on last year"] is None and stalking["Significance"] is None
    assert stalking["Direction"] == "Not comparable (recording changed)"
    attention = {c: r["Needs attention"] for c, r in by_code.items() if r["Needs attention"]}
    assert attention == {c: "; ".join(reasons) for c, reasons in exceptions.items()}


@pytest.fixture
def pack(demo, coordinator, django_capture_on_commit_callbacks):
    meeting = Meeting.objects.create(
        title="SCP meeting – August 2020",
        date=date(2020, 8, 20),
        period=ReportingPeriod.objects.get(year=2019, quarter=4),
        created_by=coordinator,
    )
    with django_capture_on_commit_callbacks(execute=True):
        issued = packs.meeting_pack_issue(meeting=meeting, by=coordinator)
    issued.refresh_from_db()
    return issued


def test_the_pack_pdf_and_its_workbook(pack, exceptions, cautions):
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(pack.pdf))).pages)
    words = " ".join(text.split())
    assert "+1.4 pp" in words
    assert NOT_COMPARABLE in words.lower()
    assert "+32.6%" not in words
    # The exceptions section (after the contents list) and its cautions heading.
    section = words[words.index("Exceptions Indicators that are red") :]
    listed, rest = section.split("Interpret with caution", 1)
    assert codes_in(listed) == set(exceptions)
    assert codes_in(rest[: rest.index("Actions from previous meetings")]) == cautions
    book = load_workbook(io.BytesIO(bytes(pack.xlsx)))
    found = {
        r[0]: r for ws in book.worksheets[1:-1] for r in ws.iter_rows(min_row=2, values_only=True)
    }
    header = next(book.worksheets[1].iter_rows(max_row=1, values_only=True))
    repeat = dict(zip(header, found["REPEAT-01"], strict=True))
    stalking = dict(zip(header, found["STALK-01"], strict=True))
    assert repeat["Change on last year"] == pytest.approx(1.4)
    assert stalking["Change on last year"] is None
    assert stalking["Direction"] == "Not comparable (recording changed)"
    assert not stalking["Significance"]
    needs_attention = {c: r[header.index("Needs attention")] for c, r in found.items()}
    assert {c: text for c, text in needs_attention.items() if text} == {
        c: "; ".join(reasons) for c, reasons in exceptions.items()
    }


def test_the_command_export(demo):
    out = io.StringIO()
    call_command(
        "export_scorecard", "--period", "2019-20 Q4", "--partnership", "southampton", stdout=out
    )
    rows = {r["indicator"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert rows["STALK-01"]["direction"] == "not_comparable"


def test_counts_derived_figures_are_whole_numbers_and_a_rate_keeps_its_place(member_client):
    asb = member_client.get(reverse("indicator_detail", args=["ASB-01"])).content.decode()
    assert re.search(r"Average [\d,]+; expected range -?[\d,]+ to [\d,]+ \(", asb)
    assert "against a target of 7,610" in asb  # 7,609.7 incidents is not a count
    summary = re.search(r"the average of (\d[\d,]*(?:\.\d+)?)", asb)
    assert summary.group(1) == "1,936"  # 1,935.75 in the API
    rate = member_client.get(reverse("indicator_detail", args=["ALCADM-01"])).content.decode()
    assert re.search(r"Average [\d,]+\.\d per 100,000", rate)


def test_the_quarterly_chart_is_scaled_to_its_years_not_from_zero(demo):
    from reporting import figures
    from reporting.selectors import indicator_for_page, indicator_history

    indicator = indicator_for_page("ASB-01")
    history = indicator_history(indicator)
    low, high = figures.quarterly_by_year(indicator, history)["layout"]["yaxis"]["range"]
    values = [float(h.value) for h in history]
    assert low > 0 and low < min(values) and high > max(values)
    assert (max(values) - min(values)) / (high - low) > 0.5  # the lines fill the height
