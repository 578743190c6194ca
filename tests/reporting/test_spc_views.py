"""SPC where people and other systems see it: import of series breaks, exports, the API,
the dashboard, exceptions, the indicator page and the coordinators' break form."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.models import AuditEntry
from core.periods import FinancialQuarter
from indicators.models import SeriesBreak
from returns import imports
from tests import factories

SPC_COLUMNS = ["variation", "assurance", "spc_mean", "spc_lower", "spc_upper", "spc_points"]


def chart_json(page, chart_id):
    start = page.index(f'id="{chart_id}" type="application/json">')
    return json.loads(page[page.index(">", start) + 1 : page.index("</script>", start)])


def export_rows(period="2019-20 Q4"):
    out = io.StringIO()
    call_command("export_scorecard", "--partnership", "southampton", "--period", period, stdout=out)
    return {r["indicator"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}


def write(tmp_path, text):
    path = tmp_path / "breaks.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- import ---------------------------------------------------------------------


def test_series_breaks_import_round_trip_shows_in_the_export(demo, tmp_path):
    before = export_rows()["ASB-01"]
    assert before["variation"] == "common_cause"
    assert before["spc_points"] == "16"
    path = write(tmp_path, "indicator,period,reason\nASB-01,2019-20 Q1,New recording system\n")
    call_command(
        "import_csv", "--partnership", "southampton", "series_breaks", path, stdout=io.StringIO()
    )
    after = export_rows()["ASB-01"]
    # The window now starts at the break: four quarters, too few for SPC.
    assert after["variation"] == "too_few_points"
    assert after["spc_points"] == "4"
    assert after["spc_mean"] == after["spc_upper"] == after["assurance"] == ""
    assert after["caution"] == "yes"
    assert after["caution_reason"] == "Series break in 2019-20 Q1: New recording system"


def test_series_breaks_reimport_is_idempotent(demo, tmp_path):
    path = write(tmp_path, "indicator,period,reason\nASB-01,2018-19 Q3,Rules changed\n")
    call_command(
        "import_csv", "--partnership", "southampton", "series_breaks", path, stdout=io.StringIO()
    )
    audit = AuditEntry.objects.count()
    out = io.StringIO()
    call_command("import_csv", "--partnership", "southampton", "series_breaks", path, stdout=out)
    assert "changed: 0" in out.getvalue()
    assert SeriesBreak.objects.filter(indicator__code="ASB-01").count() == 1
    assert AuditEntry.objects.count() == audit


def test_series_breaks_bad_rows_are_numbered_and_nothing_changes(demo, tmp_path, capsys):
    path = write(
        tmp_path,
        "indicator,period,reason\n"
        "ASB-01,2019-20 Q1,Fine\n"
        "NOPE-01,2019-20 Q1,Unknown indicator\n"
        "ASB-01,2019-20 Q5,Bad quarter\n"
        "VC-01,2019-20 Q2,\n"
        "ASB-01,2019-20 Q1,Duplicate\n",
    )
    before = SeriesBreak.objects.count()
    with pytest.raises(CommandError, match="4 problem"):
        call_command(
            "import_csv",
            "--partnership",
            "southampton",
            "series_breaks",
            path,
            stdout=io.StringIO(),
        )
    errors = capsys.readouterr().err
    assert "line 3: no indicator with code 'NOPE-01'" in errors
    assert "line 4:" in errors and "line 5: reason is required" in errors
    assert "line 6: duplicate of line 2" in errors
    assert SeriesBreak.objects.count() == before


def test_series_breaks_import_needs_its_columns(db, tmp_path):
    path = write(tmp_path, "indicator,quarter\nASB-01,2019-20 Q1\n")
    with pytest.raises(imports.ImportFailed) as failure:
        imports.import_series_breaks(imports.read_table(path))
    assert "missing column(s): period, reason" in str(failure.value.errors[0])


# --- exports and API -------------------------------------------------------------


def test_export_has_the_spc_columns_with_two_places(demo):
    rows = export_rows()
    assert list(rows["ASB-01"])[-8:-2] == SPC_COLUMNS  # then the pp change, the exceptions
    repeat = rows["REPEAT-01"]  # repeat victims: rising steadily since 2016-17
    assert repeat["variation"] == "concern_high"
    assert repeat["spc_points"] == "16"
    for column in ("spc_mean", "spc_lower", "spc_upper"):
        assert len(repeat[column].split(".")[1]) == 2
    # The demo records the stalking series break at 2019-20 Q1 (annual review).
    stalking = rows["STALK-01"]
    assert stalking["variation"] == "too_few_points"
    assert stalking["spc_points"] == "4"
    assert "Series break in 2019-20 Q1" in stalking["caution_reason"]


def test_period_without_an_approved_value_has_blank_spc(demo):
    # 2020-21 Q1 is open: nothing approved yet, so no SPC reading for anyone.
    rows = export_rows("2020-21 Q1")
    assert {r["variation"] for r in rows.values()} == {""}
    assert {r["spc_points"] for r in rows.values()} == {""}


def test_api_scorecard_and_indicator_carry_spc(client, member, demo):
    client.force_login(member)
    data = client.get("/api/v1/scorecard/?period=2019-20-Q4").json()
    repeat = next(r for r in data["results"] if r["indicator"] == "REPEAT-01")
    assert repeat["variation"] == "concern_high"
    assert isinstance(repeat["spc_mean"], float)
    assert repeat["spc_points"] == 16
    stalking = next(r for r in data["results"] if r["indicator"] == "STALK-01")
    assert stalking["assurance"] is None and stalking["spc_mean"] is None
    detail = client.get("/api/v1/indicators/REPEAT-01/").json()
    by_period = {p["period"]: p for p in detail["periods"]}
    assert by_period["2016-17 Q1"]["variation"] == "too_few_points"
    assert by_period["2016-17 Q1"]["spc_points"] == 1
    assert by_period["2019-20 Q4"]["variation"] == "concern_high"


# --- pages ----------------------------------------------------------------------


def test_dashboard_shows_variation_and_assurance_icons_with_text(client, member, demo):
    client.force_login(member)
    page = client.get(reverse("dashboard")).content.decode()
    assert '<th scope="col" class="govuk-table__header"' in page
    assert (
        ">Variation<" in page and ">Assur\u00adance<" in page
    )  # soft-hyphenated for narrow columns
    assert 'class="scp-spc scp-spc--concern"' in page
    assert '<span class="govuk-visually-hidden">Special cause concern (high)</span>' in page
    assert "Reading the variation and assurance icons" in page


def test_dashboard_filters_by_variation(client, member, demo):
    client.force_login(member)
    rows = client.get("/api/v1/scorecard/", {"variation": "concern"}).json()["results"]
    assert rows, "the demo has special cause concerns in 2019-20 Q4"
    assert {r["variation"] for r in rows} <= {"concern_high", "concern_low"}
    everything = client.get("/api/v1/scorecard/").json()["results"]
    assert len(everything) > len(rows)
    page = client.get(reverse("dashboard"), {"variation": "concern"}).content.decode()
    assert "Repeat victims" in page or "REPEAT-01" in page
    assert "ASB-01" not in page  # common cause


@pytest.fixture
def rising_unrated(police, priority, coordinator):
    """A rated indicator with no target whose figures rise 12 quarters in a row."""
    indicator = factories.IndicatorFactory(
        code="RISE-01", name="Rising without a target", owner=police, priority=priority
    )
    rows = []
    quarter = FinancialQuarter(2017, 1)
    for n in range(12):
        rows.append(["HC", "RISE-01", quarter.label, str(100 + n * 3), ""])
        quarter = quarter.next()
    buffer = io.StringIO()
    csv.writer(buffer).writerows([imports.RETURN_COLUMNS, *rows])
    table = imports.read_table(io.BytesIO(buffer.getvalue().encode()), "r.csv")
    imports.import_returns(table, approve=True, by=coordinator)
    return indicator


def test_exceptions_list_special_cause_concerns_that_are_not_red(client, member, rising_unrated):
    client.force_login(member)
    page = client.get(reverse("exceptions"), {"period": "2019-20-Q4"}).content.decode()
    assert "Rising without a target" in page
    assert "Special cause concern (high)" in page
    assert "Not rated" in page  # no target, so it is not here for being red


def test_indicator_page_has_xmr_chart_summary_and_table(client, member, demo):
    client.force_login(member)
    page = client.get(reverse("indicator_detail", args=["REPEAT-01"])).content.decode()
    assert 'id="chart-xmr"' in page
    assert "The latest quarter is special cause concern" in page
    assert 'id="spc-table"' in page
    assert "Record a series break" not in page  # members only read
    chart = chart_json(page, "chart-xmr")
    names = {trace.get("name") for trace in chart["data"]}
    assert {"Average", "Upper process limit", "Lower process limit"} <= names
    assert "Special cause concern" in names


def test_indicator_page_shows_the_break_line_and_reason(client, member, demo):
    client.force_login(member)
    page = client.get(reverse("indicator_detail", args=["STALK-01"])).content.decode()
    assert "From 2019-20 Q1: Home Office counting rules changed" in page
    chart = chart_json(page, "chart-xmr")
    annotations = [a["text"] for a in chart["layout"].get("annotations", [])]
    assert any(text.startswith("Series break: Home Office") for text in annotations)


def test_coordinator_adds_and_removes_a_break_and_it_is_audited(client, coordinator, demo):
    client.force_login(coordinator)
    url = reverse("series_break_add", args=["ASB-01"])
    response = client.post(url, {"period": "2018-19 Q2", "reason": "Force-wide system change"})
    assert response.status_code == 302
    item = SeriesBreak.objects.get(indicator__code="ASB-01")
    assert (item.year, item.quarter) == (2018, 2)
    entry = AuditEntry.objects.filter(action="definition_changed").first()
    assert entry.actor == coordinator
    assert entry.new_value == "2018-19 Q2: Force-wide system change"
    response = client.post(reverse("series_break_remove", args=["ASB-01", item.pk]))
    assert response.status_code == 302
    assert not SeriesBreak.objects.filter(indicator__code="ASB-01").exists()
    removed = AuditEntry.objects.filter(action="definition_changed").first()
    assert removed.old_value == "2018-19 Q2: Force-wide system change"
    assert removed.comment == "removed"


def test_break_form_errors_are_shown_beside_the_field(client, coordinator, demo):
    client.force_login(coordinator)
    url = reverse("series_break_add", args=["ASB-01"])
    response = client.post(url, {"period": "last spring", "reason": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a quarter like 2019-20 Q1" in page
    assert "Enter the reason for the break" in page
    assert 'href="#id_period"' in page  # the error summary links to the field
    assert not SeriesBreak.objects.filter(indicator__code="ASB-01").exists()


@pytest.mark.parametrize("user", ["member", "police_lead"])
def test_only_coordinators_change_breaks(client, demo, request, user):
    client.force_login(request.getfixturevalue(user))
    item = SeriesBreak.objects.get(indicator__code="STALK-01")
    add = client.post(
        reverse("series_break_add", args=["ASB-01"]), {"period": "2019-20 Q1", "reason": "x"}
    )
    remove = client.post(reverse("series_break_remove", args=["STALK-01", item.pk]))
    assert (add.status_code, remove.status_code) == (403, 403)
    assert SeriesBreak.objects.filter(indicator__code="STALK-01").exists()
    assert not SeriesBreak.objects.filter(indicator__code="ASB-01").exists()


def test_pack_snapshot_carries_the_spc_reading(demo, coordinator):
    from datetime import date

    from meetings import packs
    from meetings.charts import xmr_chart_svg
    from meetings.models import Meeting
    from returns.models import ReportingPeriod

    meeting = Meeting.objects.create(
        title="SCP",
        date=date(2020, 8, 20),
        period=ReportingPeriod.objects.get(year=2019, quarter=4),
        created_by=coordinator,
    )
    snapshot = packs.build_snapshot(meeting)
    repeat = next(i for i in snapshot["indicators"] if i["code"] == "REPEAT-01")
    assert repeat["variation"] == "concern_high"
    assert "Special cause concern (high)" in repeat["exception_reasons"]
    assert len(repeat["spc_series"]) == 16
    svg = xmr_chart_svg(repeat)
    assert svg.startswith("<svg") and "Special cause concern" in svg
    assert Decimal(repeat["spc_upper"]) > Decimal(repeat["spc_mean"])
