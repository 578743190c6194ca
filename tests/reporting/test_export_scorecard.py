"""export_scorecard after load_demo reproduces the 2019/20 annual review."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from demo import data as demo_data
from reporting.outputs.exports import EXPORT_COLUMNS

# Year-on-year changes the annual review states (paragraphs 7, 8, 9, 18).
ANNUAL_REVIEW = {
    "ASB-01": ("7881", "1.5"),
    "VC-01": (None, "7.4"),
    "DVC-01": (None, "9.7"),
    "RAPE-01": (None, "13.7"),
    "HATE-01": (None, "8.0"),
    "DRUG-01": (None, "37.4"),
    "DRUGAFF-01": (None, "20.1"),
    # the review's +32.6% for stalking crosses the recording change of 2019-20 Q1
    "MDS-01": (None, "16.1"),
    "CTC-01": (None, "14.4"),
    "MSV-01": (None, "-3.5"),
    "ARSON-01": (None, "-35.6"),
    "BURG-01": (None, "-12.1"),
    "OSO-01": (None, "-2.7"),
    "KNIFE-01": (None, "-4.4"),
    "ALC-01": ("2615", "-1.2"),
    "DOMSHARE-01": ("14.5", None),
    "DVVIOL-01": ("32.3", None),
    "REPEAT-01": ("19.6", None),
}


def export(period="2019-20 Q4", fmt="csv"):
    out = io.StringIO()
    call_command(
        "export_scorecard",
        "--partnership",
        "southampton",
        "--period",
        period,
        "--format",
        fmt,
        stdout=out,
    )
    return out.getvalue()


def test_export_reproduces_the_annual_review(demo):
    rows = {r["indicator"]: r for r in csv.DictReader(io.StringIO(export()))}
    for code, (actual, change) in ANNUAL_REVIEW.items():
        if actual is not None:
            assert rows[code]["actual"] == actual, code
        if change is not None:
            assert rows[code]["change_vs_last_year_pct"] == change, code
    assert rows["ALC-01"]["comparison"] == "2647"  # 32 fewer crimes
    stalking = rows["STALK-01"]
    assert (stalking["change_vs_last_year_pct"], stalking["direction"]) == ("", "not_comparable")
    # a percentage's change beside the relative one, in points, as the pages show it
    assert rows["REPEAT-01"]["change_vs_last_year_pp"] == "1.4"
    assert rows["ASB-01"]["change_vs_last_year_pp"] == ""
    assert rows["ASB-01"]["comparison"] == "7765"


def test_export_columns_are_the_contract(demo):
    header = export().splitlines()[0].split(",")
    assert header[: len(EXPORT_COLUMNS)] == [
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
    ]


def test_export_values_use_the_documented_vocabulary(demo):
    rows = list(csv.DictReader(io.StringIO(export())))
    assert len(rows) == len(demo_data.INDICATORS)
    assert {r["rag"] for r in rows} <= {"red", "amber", "green", "grey", "not_rated"}
    assert {r["caution"] for r in rows} == {"yes", "no"}
    by_code = {r["indicator"]: r for r in rows}
    assert by_code["MDS-01"]["caution"] == "yes"
    assert by_code["CTC-01"]["caution"] == "yes"
    assert by_code["HATE-01"]["rag"] == "not_rated"
    assert by_code["HATE-01"]["direction"] == "up"
    assert by_code["AEYOUTH-01"]["direction"] == "no_comparison"
    assert by_code["AEYOUTH-01"]["change_vs_last_year_pct"] == ""  # blank, never None/nan
    assert by_code["VC-01"]["rag"] == "red"
    assert by_code["ASB-01"]["rag"] == "amber"
    assert by_code["ARSON-01"]["rag"] == "green"
    assert "None" not in export() and "nan" not in export().lower().replace("financial", "")


def test_period_with_no_data_is_grey(demo):
    rows = list(csv.DictReader(io.StringIO(export("2020-21 Q1"))))
    assert {r["rag"] for r in rows} == {"grey"}
    assert {r["actual"] for r in rows} == {""}


def test_json_format_has_the_same_fields_typed(demo):
    records = {r["indicator"]: r for r in json.loads(export(fmt="json"))}
    assert records["ASB-01"]["actual"] == 7881
    assert records["ALC-01"]["change_vs_last_year_pct"] == -1.2
    assert records["AEYOUTH-01"]["change_vs_last_year_pct"] is None
    assert set(EXPORT_COLUMNS) <= set(records["ASB-01"])


def test_bad_period_is_a_clear_error(demo):
    with pytest.raises(CommandError, match="not a period"):
        export("2019 Q5")


def test_text_cells_are_escaped_against_formula_injection(demo):
    from indicators.models import Indicator

    Indicator.objects.filter(code="ASB-01").update(name='=HYPERLINK("http://evil")')
    rows = {r["indicator"]: r for r in csv.DictReader(io.StringIO(export()))}
    assert rows["ASB-01"]["name"] == '\'=HYPERLINK("http://evil")'
    assert rows["ALC-01"]["change_vs_last_year_pct"] == "-1.2"  # numbers are not escaped


def test_load_demo_is_idempotent(demo):
    first = export()
    call_command("load_demo", stdout=io.StringIO())
    assert export() == first
