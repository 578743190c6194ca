"""The scorecard pages, downloads and API, from the outside."""

import csv
import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from partners.models import ApiToken


@pytest.fixture
def member_client(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="member"))
    return client


def rows_of(response):
    return response.context["table"].rows


# --- dashboard ------------------------------------------------------------------------------


def test_dashboard_defaults_to_latest_period_with_approved_data(member_client):
    response = member_client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert response.context["period"].label == "2019-20 Q4"
    page = response.content.decode()
    assert "7,881" in page  # ASB, formatted with its unit
    assert "14.5%" in page  # domestic-flagged share
    assert "398 per 100,000" in page  # first time entrants rate
    assert "+1.5%" in page  # ASB's change on 2018-19


def test_rag_is_text_plus_colour(member_client):
    page = member_client.get(reverse("dashboard")).content.decode()
    for css, text in [
        ("red", "Red"),
        ("amber", "Amber"),
        ("green", "Green"),
        ("not_rated", "Not rated"),
    ]:
        assert f'<span class="scp-rag scp-rag--{css}">{text}</span>' in page


def test_summary_strip_counts_by_priority(member_client):
    response = member_client.get(reverse("dashboard"))
    summary = {e["priority"].name: e["counts"] for e in response.context["summary"]}
    crime = summary["Reduce crime and anti-social behaviour"]
    assert (crime["red"], crime["amber"], crime["green"], crime["not_rated"]) == (3, 2, 2, 1)


def test_caution_marker_and_commentary(member_client):
    page = member_client.get(reverse("dashboard")).content.decode()
    assert "Small numbers (below 50): interpret with caution" in page
    assert "Problem Action Groups now meet" in page


@pytest.mark.parametrize(
    "query, expected_codes",
    [
        ("rag=red", {"VC-01", "KNIFE-01", "REPEAT-01", "DRUGAFF-01", "DVC-01", "FTE-01"}),
        ("owner=HFRS", {"ARSON-01", "SWV-01"}),
        ("direction=no_comparison", {"AEYOUTH-01"}),
        ("owner=HFRS&rag=green", {"ARSON-01", "SWV-01"}),
    ],
)
def test_filters_in_the_query_string(member_client, query, expected_codes):
    response = member_client.get(reverse("dashboard") + "?" + query)
    codes = {row.record.indicator.code for row in rows_of(response)}
    assert codes == expected_codes


def test_an_unknown_filter_value_is_reported_and_the_others_still_apply(member_client):
    green = {
        r.record.indicator.code
        for r in rows_of(member_client.get(reverse("dashboard"), {"rag": "green"}))
    }
    response = member_client.get(reverse("dashboard"), {"owner": "NOPE", "rag": "green"})
    assert response.status_code == 200
    assert {r.record.indicator.code for r in rows_of(response)} == green
    page = response.content.decode()
    assert "There is no partner with the code ‘NOPE’" in page
    assert "govuk-error-message" in page


@pytest.mark.parametrize(
    "query, field",
    [({"owner": "NOPE"}, "owner"), ({"rag": "purple"}, "rag"), ({"period": "2019 Q9"}, "period")],
)
def test_the_api_answers_400_for_an_unknown_filter_value_or_period(member_client, query, field):
    response = member_client.get("/api/v1/scorecard/", query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert field in response.json()["errors"]


def test_the_default_period_is_the_latest_with_rated_figures(member_client, coordinator):
    """Approving 2020-21 Q1 while 2020-21 has no targets does not move the default."""
    from indicators.models import Target
    from returns import services
    from returns.models import QuarterlyReturn

    Target.objects.filter(year=2020).delete()  # the demo carries 2019-20's forward
    waiting = QuarterlyReturn.objects.get(status="submitted")
    services.quarterly_return_approve(quarterly_return=waiting, by=coordinator)
    response = member_client.get(reverse("dashboard"))
    assert response.context["period"].label == "2019-20 Q4"
    assert 'id="no-targets"' not in response.content.decode()
    chosen = member_client.get(reverse("dashboard"), {"period": "2020-21-Q1"})
    assert "No targets are set for 2020-21 yet" in chosen.content.decode()


def test_an_incomplete_quarter_is_not_the_default_and_says_so_when_chosen(
    member_client, coordinator
):
    """Two partners' returns for 2020-21 Q1 approved is not a scorecard: the default
    stays on the last complete quarter; chosen, the quarter says what is missing, at the
    top and beside each affected row; complete, it becomes the default."""
    from decimal import Decimal

    from indicators.models import Indicator
    from partners.models import Partner
    from returns import services
    from returns.models import QuarterlyReturn, ReportingPeriod

    waiting = QuarterlyReturn.objects.get(status="submitted")
    services.quarterly_return_approve(quarterly_return=waiting, by=coordinator)
    response = member_client.get(reverse("dashboard"))
    assert response.context["period"].label == "2019-20 Q4"
    assert 'id="provisional"' not in response.content.decode()

    chosen = member_client.get(reverse("dashboard"), {"period": "2020-21-Q1"})
    page = chosen.content.decode()
    completeness = chosen.context["selection"].completeness
    missing = len(completeness.missing)
    assert missing == len(completeness.expected) - 1  # only the fire service's approved
    assert f"{missing} of {missing + 1} partners&#x27; returns not yet approved" in page
    assert "Hampshire Constabulary" in page[page.index('id="provisional"') :][:2000]
    assert page.index('id="provisional"') < page.index('class="scp-filters"')  # at the top
    asb = page[page.index("/indicators/ASB-01/") :][:600]
    assert "Provisional" in asb
    arson = page[page.index("/indicators/ARSON-01/") :][:600]
    assert "Provisional" not in arson  # the fire service's return is approved

    period = ReportingPeriod.objects.get(year=2020, quarter=1)
    for partner in completeness.missing:
        indicators = Indicator.objects.filter(owner=partner, active=True)
        services.quarterly_return_import(
            partner=Partner.objects.get(pk=partner.pk),
            period=period,
            entries=[services.ValueEntry(indicator_id=i.id, value=Decimal(10)) for i in indicators],
            by=coordinator,
            approve=True,
        )
    response = member_client.get(reverse("dashboard"))
    assert response.context["period"].label == "2020-21 Q1"
    assert 'id="provisional"' not in response.content.decode()


def test_a_chosen_quarter_with_nothing_approved_says_every_partner_is_outstanding(
    member_client,
):
    """Found looking at the page: a quarter with no approved figure had no banner and a
    headline of "0 of 26 red", as if it had been judged and found well."""
    response = member_client.get(reverse("dashboard"), {"period": "2020-21-Q1"})
    completeness = response.context["selection"].completeness
    assert completeness.missing == completeness.expected and completeness.expected
    page = response.content.decode()
    total = len(completeness.expected)
    assert f"{total} of {total} partners&#x27; returns not yet approved" in page
    assert 'id="headline"' not in page


def test_priority_filter(member_client):
    from indicators.models import Priority

    youth = Priority.objects.get(name="Reducing youth crime")
    response = member_client.get(reverse("dashboard"), {"priority": "reducing-youth-crime"})
    assert {r.record.indicator.priority.pk for r in rows_of(response)} == {youth.pk}


def test_sorting_by_change_and_rag(member_client):
    response = member_client.get(reverse("dashboard"), {"sort": "-change"})
    codes = [r.record.indicator.code for r in rows_of(response)]
    assert codes[0] == "DRUG-01"  # +37.4%, the largest rise
    assert codes[-1] == "AEYOUTH-01"  # no comparison sorts last
    response = member_client.get(reverse("dashboard"), {"sort": "rag"})
    assert rows_of(response)[0].record.assessment.rag == "red"
    assert 'aria-sort="ascending"' in response.content.decode()


def test_earlier_period_can_be_picked(member_client):
    response = member_client.get(reverse("dashboard"), {"period": "2019-20-Q2"})
    assert response.context["period"].label == "2019-20 Q2"
    asb = next(r for r in rows_of(response) if r.record.indicator.code == "ASB-01")
    assert asb.record.assessment.actual == 1891 + 2049


def test_bad_period_is_404(member_client):
    assert member_client.get(reverse("dashboard"), {"period": "2019 Q5"}).status_code == 404


def test_only_approved_values_show(member_client):
    # Hampshire Fire's 2020-21 Q1 return is submitted but not approved in the demo.
    response = member_client.get(reverse("dashboard"), {"period": "2020-21-Q1"})
    arson = next(r for r in rows_of(response) if r.record.indicator.code == "ARSON-01")
    assert arson.record.assessment.actual is None
    assert arson.record.assessment.rag == "grey"


def test_exceptions_page_lists_reds(member_client):
    page = member_client.get(reverse("exceptions")).content.decode()
    assert "Violent crimes" in page and "Red against target" in page
    assert "Other sexual offences" not in page  # green, and no other reason either


def test_anonymous_is_redirected_to_login(client, demo):
    for name in ("dashboard", "exceptions", "download_csv", "download_xlsx"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_user_without_a_role_is_refused(client, demo):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="stranger"))
    assert client.get(reverse("dashboard")).status_code == 403


# --- indicator page ---------------------------------------------------------------------------


def test_indicator_page_has_definition_targets_charts_and_history(member_client):
    page = member_client.get(reverse("indicator_detail", args=["ASB-01"])).content.decode()
    assert "7,881 in 2019-20 Q4 (year to date), up 1.5% on the same period of 2018-19." in page
    assert "Hampshire Constabulary ASB incidents" in page  # data source
    assert "-2% change on last year" in page
    assert 'data-chart="chart-quarterly"' in page and 'id="chart-quarterly"' in page
    assert "vendor/plotly/plotly.min.js" in page
    # Every script and stylesheet comes from our own static files, never a CDN.
    assert re.findall(r'<(?:script|link)[^>]+(?:src|href)="(?:https?:)?//', page) == []
    assert "Sam Carter" in page  # who approved each value


def test_indicator_page_unknown_code_is_404(member_client):
    assert member_client.get(reverse("indicator_detail", args=["NOPE"])).status_code == 404


# --- downloads --------------------------------------------------------------------------------


def test_csv_download_header_first_filtered_and_sorted_as_on_the_page(member_client):
    response = member_client.get(reverse("download_csv"), {"rag": "green", "sort": "-change"})
    assert response["Content-Type"].startswith("text/csv")
    assert "2019-20-Q4-filtered" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert text.startswith("indicator,name,priority,period,actual,target,rag,")
    records = list(csv.DictReader(io.StringIO(text)))
    assert {r["rag"] for r in records} == {"green"}
    assert "ARSON-01" in {r["indicator"] for r in records}
    changes = [float(r["change_vs_last_year_pct"]) for r in records if r["change_vs_last_year_pct"]]
    assert len(changes) > 3
    assert changes == sorted(changes, reverse=True)


def test_downloads_escape_formula_injection(member_client):
    from indicators.models import Indicator

    Indicator.objects.filter(code="ARSON-01").update(name="=1+2")
    text = member_client.get(reverse("download_csv")).content.decode("utf-8-sig")
    assert "'=1+2" in text
    # In the workbook the name is a text cell, which a spreadsheet never evaluates: it
    # reads as typed, with no apostrophe shown.
    book = load_workbook(io.BytesIO(member_client.get(reverse("download_xlsx")).content))
    cell = next(row[1] for row in book["Scorecard"].iter_rows() if row[1].value == "=1+2")
    assert cell.data_type == "s"


def test_excel_download_is_ready_to_use(member_client):
    response = member_client.get(reverse("download_xlsx"), {"sort": "rag"})
    assert "spreadsheetml" in response["Content-Type"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Scorecard", "About"]
    sheet = book["Scorecard"]
    assert sheet.oddFooter.left.text == "OFFICIAL – SENSITIVE"  # on paper too
    rows = list(sheet.iter_rows(values_only=True))
    columns = rows[0]
    # the page's words, not the CSV's machine names
    assert columns[:3] == ("Indicator", "Name", "Priority")
    assert {"Change on last year", "Significance", "Unit", "Variation (SPC)"} <= set(columns)
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(columns)).column_letter}{len(rows)}"
    by_code = {r[0]: dict(zip(columns, r, strict=True)) for r in rows[1:]}
    asb = by_code["ASB-01"]
    assert asb["Actual"] == 7881 and isinstance(asb["Actual"], (int, float))
    assert asb["Change on last year"] == pytest.approx(1.5)
    assert by_code["REPEAT-01"]["Change on last year"] == pytest.approx(1.4)  # points
    assert by_code["REPEAT-01"]["Variation (SPC)"] == "Special cause concern (high)"
    assert by_code["FTE-01"]["Unit"].startswith("per 100,000")
    line = next(n for n, r in enumerate(rows) if r[0] == "ASB-01") + 1
    change = sheet.cell(line, columns.index("Change on last year") + 1)
    assert change.number_format == '+0.0"%";-0.0"%";0.0"%"'
    repeat_line = next(n for n, r in enumerate(rows) if r[0] == "REPEAT-01") + 1
    repeat_change = sheet.cell(repeat_line, columns.index("Change on last year") + 1)
    assert repeat_change.number_format == '+0.0" pp";-0.0" pp";0.0" pp"'
    actual = sheet.cell(line, columns.index("Actual") + 1)
    assert actual.number_format == "#,##0"
    assert sheet.cell(line, columns.index("Target") + 1).number_format == "#,##0"
    assert sheet.cell(repeat_line, columns.index("Actual") + 1).number_format == "0.0"
    rag = sheet.cell(line, columns.index("RAG") + 1)
    assert rag.value == "Amber" and rag.fill.fgColor.rgb.endswith("FFDD00")
    red_line = next(n for n, r in enumerate(rows) if r[columns.index("RAG")] == "Red") + 1
    assert sheet.cell(red_line, columns.index("RAG") + 1).fill.fgColor.rgb.endswith("D4351C")
    # sorted by RAG as on the page: reds first
    rags = [r[columns.index("RAG")] for r in rows[1:]]
    assert rags[0] == "Red" and rags.index("Green") > rags.index("Amber")
    about = dict(book["About"].iter_rows(values_only=True))
    assert about["Period"] == "2019-20 Q4"
    assert "grey = No data" in about["RAG legend"]


# --- API ------------------------------------------------------------------------------------


def test_api_scorecard_with_session(member_client):
    data = member_client.get("/api/v1/scorecard/?period=2019-20-Q4").json()
    assert data["period"] == "2019-20 Q4"
    asb = next(r for r in data["results"] if r["indicator"] == "ASB-01")
    assert asb["actual"] == 7881
    assert asb["change_vs_last_year_pct"] == 1.5
    assert asb["rag"] == "amber"
    assert set(asb) >= {
        "indicator",
        "name",
        "priority",
        "period",
        "actual",
        "target",
        "rag",
        "direction",
        "change_vs_last_year_pct",
        "caution",
    }


def test_api_with_token_and_without(client, demo):
    from django.contrib.auth import get_user_model

    _, key = ApiToken.issue(user=get_user_model().objects.get(username="member"), name="Power BI")
    response = client.get("/api/v1/scorecard/?period=2019-20-Q4", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200 and response.json()["count"] == 26
    assert client.get("/api/v1/scorecard/").status_code == 401
    assert client.get("/api/v1/scorecard/", HTTP_AUTHORIZATION="Token wrong").status_code == 401
    assert client.get("/api/v1/indicators/ASB-01/").status_code == 401


def test_api_indicator(member_client):
    data = member_client.get("/api/v1/indicators/ALC-01/").json()
    assert data["indicator"] == "ALC-01"
    q4 = next(p for p in data["periods"] if p["period"] == "2019-20 Q4")
    assert (q4["actual"], q4["change_vs_last_year_pct"]) == (2615, -1.2)
    assert data["targets"][0]["target_type"] == "change_vs_last_year"
    assert member_client.get("/api/v1/indicators/NOPE/").status_code == 404


def test_api_is_read_only(member_client):
    assert member_client.post("/api/v1/scorecard/").status_code == 405


def test_create_api_token_command(demo):
    out = io.StringIO()
    call_command(
        "create_api_token",
        "--partnership",
        "southampton",
        "member",
        "--name",
        "HC Power BI",
        stdout=out,
    )
    key = out.getvalue().strip()
    assert ApiToken.objects.get(key_hash=ApiToken.hash(key)).name == "HC Power BI"


def test_json_api_response_is_valid_json_without_nan(member_client):
    text = member_client.get("/api/v1/scorecard/?period=2019-20-Q4").content.decode()
    assert "NaN" not in text
    json.loads(text)


def test_header_shows_the_partnership_the_user_and_their_role(member_client):
    page = member_client.get(reverse("dashboard")).content.decode()
    assert "Southampton Safe City Partnership" in page
    assert "Cllr Pat Green" in page and "Cllr Pat Green (" not in page
    assert '<span class="scp-role">SCP member</span>' in page
    assert 'href="#main-content"' in page  # skip link
    assert "print.css" in page and 'media="print"' in page


def _chart(page, chart_id):
    import json

    start = page.index(f'id="{chart_id}" type="application/json">')
    return json.loads(page[page.index(">", start) + 1 : page.index("</script>", start)])


def test_charts_colour_years_show_rag_by_shape_and_do_not_join_years(member_client):
    page = member_client.get(reverse("indicator_detail", args=["ASB-01"])).content.decode()
    quarterly = _chart(page, "chart-quarterly")
    colours = {t["name"]: t["line"]["color"] for t in quarterly["data"]}
    assert len(set(colours.values())) == len(colours)  # each year its own colour
    assert quarterly["layout"]["yaxis"]["title"]["text"] == "Incidents"
    assert quarterly["layout"]["yaxis"]["tickformat"] == ","
    latest = next(t for t in quarterly["data"] if t["name"] == "2019-20")
    assert latest["marker"]["symbol"][-1] == "triangle-up"  # amber, by shape
    assert latest["marker"]["color"] == colours["2019-20"]  # not recoloured by RAG
    ytd = _chart(page, "chart-target")
    actuals = [t for t in ytd["data"] if not t["name"].startswith("Target")]
    for trace in actuals:  # one line per year: no trace spans two financial years
        assert {label[:7] for label in trace["x"]} == {trace["name"]}
    # the year's colour is the same in both charts
    assert {t["name"]: t["line"]["color"] for t in actuals} == colours
    assert any(t["name"] == "Target 2019-20" for t in ytd["data"])


def test_each_chart_has_its_own_one_summary(member_client):
    page = member_client.get(reverse("indicator_detail", args=["ASB-01"])).content.decode()
    headline = "7,881 in 2019-20 Q4 (year to date), up 1.5% on the same period of 2018-19."
    assert page.count(headline) == 1
    assert "Each quarter&#x27;s own figure, one line per financial year, 2016-17 to 2019-20" in page
    assert "7,881 year to date in 2019-20 Q4 against a target of 7,610: amber." in page


def test_rag_summary_bars_write_their_counts(member_client):
    page = member_client.get(reverse("dashboard")).content.decode()
    bars = page.split('class="scp-ragbars"')[1].split("</div>\n</div>")[0]
    assert "Reduce crime and anti-social behaviour" in bars
    assert 'scp-ragbar__seg--red" style="flex-grow: 3">3 Red</span>' in bars


def test_a_change_in_a_percentage_reads_in_percentage_points(member_client):
    """As in the annual review: 18.2% → 19.6% is +1.4 pp, not +7.7%."""
    response = member_client.get(reverse("dashboard"), {"period": "2019-20-Q4"})
    row = next(r for r in rows_of(response) if r.record.indicator.code == "REPEAT-01")
    page = response.content.decode()
    assert "+1.4 pp" in page
    assert row.record.assessment.change_pct.quantize(1) == 8  # the rule still uses the ratio


def test_dashboard_workbook_prints_and_keeps_text_as_text(member_client, demo):
    """Print titles, landscape, fit to width and a title; a commentary starting with "-"
    comes back from the workbook as typed (a text cell is never a formula) and from the
    CSV with the guard's apostrophe."""
    import csv
    import io

    from openpyxl import load_workbook

    from returns.models import ApprovedValue

    ApprovedValue.objects.filter(
        indicator__code="ASB-01", period__year=2019, period__quarter=4
    ).update(commentary="-1+1 fewer calls than forecast")
    query = {"period": "2019-20-Q4"}
    book = load_workbook(io.BytesIO(member_client.get(reverse("download_xlsx"), query).content))
    sheet = book["Scorecard"]
    assert book.properties.title == "Southampton Safe City Partnership scorecard, 2019-20 Q4"
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape"
    # fitToWidth left out of the file means 1, OOXML's default (CT_PageSetup)
    fit_width = 1 if sheet.page_setup.fitToWidth is None else sheet.page_setup.fitToWidth
    assert fit_width == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    header = [c.value for c in sheet[1]]
    asb = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "ASB-01")
    assert asb[header.index("Commentary")] == "-1+1 fewer calls than forecast"
    text = member_client.get(reverse("download_csv"), query).content.decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["indicator"] == "ASB-01")
    assert row["commentary"] == "'-1+1 fewer calls than forecast"


def test_the_headline_sums_up_the_scorecard_with_a_link_to_each_list(member_client):
    response = member_client.get(reverse("dashboard"), {"period": "2019-20-Q4"})
    page = response.content.decode()
    rows = response.context["selection"].rows
    reds = sum(1 for r in rows if r.assessment.rag.value == "red")
    worsening = sum(1 for r in rows if r.assessment.direction.value == "worsening")
    line = page[page.index('id="headline"') :][:1500]
    # at the top: under the title, before the filters a reader may never open
    assert page.index("<h1") < page.index('id="headline"') < page.index('class="scp-filters"')
    assert f">{reds} of {len(rows)} red</a>" in line
    assert f">{worsening} worsening</a>" in line
    assert "?period=2019-20-Q4&amp;rag=red" in line
    assert ">0 actions overdue</a>" in line  # the demo's action is due in six weeks
    listed = member_client.get(reverse("dashboard"), {"period": "2019-20-Q4", "rag": "red"})
    assert len(listed.context["selection"].rows) == reds
    assert 'id="headline"' not in listed.content.decode()  # not a sum of a filtered part
    # the filter form sends every filter, empty for "Any": that is the whole scorecard
    empty = {"period": "2019-20-Q4", "priority": "", "owner": "", "rag": "", "direction": ""}
    assert 'id="headline"' in member_client.get(reverse("dashboard"), empty).content.decode()


def test_each_row_has_a_sparkline_of_the_last_eight_quarters(member_client):
    page = member_client.get(reverse("dashboard"), {"period": "2019-20-Q4"}).content.decode()
    asb = page[page.index("/indicators/ASB-01/") :][:2500]
    assert 'class="scp-sparkline"' in asb
    spoken = asb[asb.index("Last 8 quarters: ") :].split("<")[0]
    figures = spoken.removeprefix("Last 8 quarters: ").split(", ")
    assert len(figures) == 8  # 2018-19 Q1 to 2019-20 Q4
    assert figures[-1] == "1,892"  # 2019-20 Q4's approved figure, the last


def test_open_actions_show_on_the_rows_they_address(member_client):
    page = member_client.get(reverse("dashboard"), {"period": "2019-20-Q4"}).content.decode()
    dvc = page[page.index("/indicators/DVC-01/") :][:3000]
    assert "1 open action" in dvc  # the demo's IDVA action addresses DVC-01 and HRDA-01
    asb = page[page.index("/indicators/ASB-01/") :][:3000].split("</tr>")[0]
    assert "open action" not in asb
