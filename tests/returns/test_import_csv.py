"""import_csv: every kind of bad row fails the file, says which line, and changes nothing."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from core.models import AuditEntry
from indicators.models import Indicator, Priority, Strategy, Target
from partners.models import Partner
from returns.models import ApprovedValue, QuarterlyReturn, ReturnValue

INDICATOR_HEADER = (
    "code,name,priority,owner,measure,polarity,target_type,target,tolerance_pct,"
    "caution_below,stable_band_pct,strategy,year\n"
)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(*args):
    call_command("import_csv", *args)


def snapshot():
    return {
        "partners": sorted(Partner.objects.values_list("code", "name")),
        "indicators": sorted(Indicator.objects.values_list("code", "name", "owner__code")),
        "targets": sorted(Target.objects.values_list("indicator__code", "year", "value")),
        "returns": sorted(
            QuarterlyReturn.objects.values_list(
                "partner__code", "period__year", "period__quarter", "status"
            )
        ),
        "values": sorted(ReturnValue.objects.values_list("indicator__code", "value")),
        "approved": sorted(ApprovedValue.objects.values_list("indicator__code", "value")),
        "audit": AuditEntry.objects.count(),
    }


def assert_fails_with(capsys, args, *messages):
    with pytest.raises(CommandError, match="nothing was imported"):
        run(*args)
    err = capsys.readouterr().err
    for message in messages:
        assert message in err, err
    return err


@pytest.fixture
def base(db, tmp_path):
    run("partners", write(tmp_path, "p.csv", "code,name\nHC,Hampshire Constabulary\nHFRS,Fire\n"))
    run(
        "indicators",
        write(
            tmp_path,
            "i.csv",
            INDICATOR_HEADER
            + "ASB-01,ASB incidents,Reduce crime,HC,count,lower_is_better,change_vs_last_year,-2,,,,Safe City Strategy 2017–2020,2019-20\n"
            + "ARSON-01,Arson,Reduce crime,HFRS,count,lower_is_better,value,300,5,,,Safe City Strategy 2017–2020,2019-20\n"
            + "PCT-01,Repeat victims,Reduce crime,HC,percentage,lower_is_better,value,18,,,,Safe City Strategy 2017–2020,2019-20\n",
        ),
    )


# --- partners -------------------------------------------------------------------


def test_import_partners_creates_and_is_idempotent(db, tmp_path):
    path = write(tmp_path, "p.csv", "code,name\nHC,Hampshire Constabulary\nSCC,Council\n")
    run("partners", path)
    run("partners", path)
    assert sorted(Partner.objects.values_list("code", flat=True)) == ["HC", "SCC"]


def test_import_partners_bad_rows_change_nothing(db, tmp_path, capsys):
    Partner.objects.create(code="HC", name="Old name")
    before = snapshot()
    path = write(tmp_path, "p.csv", "code,name\nHC,New name\nbad code!,X\nHC,Again\nSCC,\n")
    assert_fails_with(
        capsys,
        ["partners", path],
        "line 3:",
        "line 4: duplicate of line 2",
        "line 5: name is required",
    )
    assert snapshot() == before


def test_missing_column_is_reported(db, tmp_path, capsys):
    assert_fails_with(
        capsys, ["partners", write(tmp_path, "p.csv", "code\nHC\n")], "missing column(s): name"
    )


# --- indicators ------------------------------------------------------------------


def test_import_indicators_creates_strategy_priority_and_defaults(base):
    asb = Indicator.objects.get(code="ASB-01")
    assert asb.owner.code == "HC"
    place = asb.places.get()
    assert place.priority.name == "Reduce crime"
    assert place.strategy.name == "Safe City Strategy 2017–2020"
    assert asb.tolerance_pct == Decimal(5)
    assert asb.stable_band_pct == Decimal("1.0")
    assert asb.caution_below is None
    target = Target.objects.get(indicator=asb)
    assert (target.year, target.target_type, target.value) == (
        2019,
        "change_vs_last_year",
        Decimal(-2),
    )
    assert Strategy.objects.count() == 1
    assert Priority.objects.count() == 1


def test_reimporting_indicators_updates_in_place(base, tmp_path):
    run(
        "indicators",
        write(
            tmp_path,
            "i2.csv",
            INDICATOR_HEADER
            + "ASB-01,ASB incidents reported,Reduce crime,HC,count,lower_is_better,value,7500,,,,Safe City Strategy 2017–2020,2019-20\n"
            + "ASB-01,ASB incidents reported,Reduce crime,HC,count,lower_is_better,value,7400,,,,Safe City Strategy 2017–2020,2020-21\n",
        ),
    )
    assert Indicator.objects.count() == 3
    assert Indicator.objects.get(code="ASB-01").name == "ASB incidents reported"
    assert list(Target.objects.filter(indicator__code="ASB-01").values_list("year", "value")) == [
        (2019, Decimal(7500)),
        (2020, Decimal(7400)),
    ]
    strategy = Strategy.objects.get()
    assert (strategy.start_year, strategy.end_year) == (2019, 2020)


@pytest.mark.parametrize(
    "row, message",
    [
        (
            "X-1,Name,Reduce crime,NOPE,count,lower_is_better,,,,,,S,2019-20",
            "owner 'NOPE' is not a known partner",
        ),
        (
            "X-1,Name,Reduce crime,HC,litres,lower_is_better,,,,,,S,2019-20",
            "measure 'litres' must be one of",
        ),
        ("X-1,Name,Reduce crime,HC,count,sideways,,,,,,S,2019-20", "polarity 'sideways'"),
        (
            "X-1,Name,Reduce crime,HC,count,lower_is_better,value,,,,,S,2019-20",
            "target is required",
        ),
        (
            "X-1,Name,Reduce crime,HC,count,lower_is_better,value,ten,,,,S,2019-20",
            "target 'ten' is not a number",
        ),
        (
            "X-1,Name,Reduce crime,HC,count,lower_is_better,value,nan,,,,S,2019-20",
            "target 'nan' is not a number",
        ),
        (
            "X-1,Name,Reduce crime,HC,count,lower_is_better,,,-5,,,S,2019-20",
            "tolerance_pct cannot be negative",
        ),
        ("X-1,Name,Reduce crime,HC,count,lower_is_better,,,,,,S,2019", "not a financial year"),
        ("X-1,Name,Reduce crime,HC,count,lower_is_better,,,,,,S,", "year is required"),
        ("X-1,,Reduce crime,HC,count,lower_is_better,,,,,,S,2019-20", "name is required"),
        ("X-1,Name,,HC,count,lower_is_better,,,,,,S,2019-20", "priority is required"),
        ("X-1,Name,P,HC,count,lower_is_better,,,,,,,2019-20", "strategy is required"),
        ("X 1,Name,P,HC,count,lower_is_better,,,,,,S,2019-20", "code 'X 1'"),
    ],
)
def test_bad_indicator_rows_change_nothing(base, tmp_path, capsys, row, message):
    before = snapshot()
    good = "Y-1,Fine,Reduce crime,HC,count,lower_is_better,,,,,,S,2019-20\n"
    path = write(tmp_path, "bad.csv", INDICATOR_HEADER + good + row + "\n")
    assert_fails_with(capsys, ["indicators", path], "line 3: ", message)
    assert snapshot() == before


def test_duplicate_indicator_row(base, tmp_path, capsys):
    row = "Y-1,Fine,Reduce crime,HC,count,lower_is_better,,,,,,S,2019-20\n"
    path = write(tmp_path, "dup.csv", INDICATOR_HEADER + row + row)
    assert_fails_with(capsys, ["indicators", path], "line 3: duplicate of line 2")


# --- returns ---------------------------------------------------------------------


RETURNS_HEADER = "partner,indicator,period,value,commentary\n"


def test_import_returns_with_approve_publishes_and_audits(base, tmp_path, coordinator):
    path = write(
        tmp_path,
        "r.csv",
        RETURNS_HEADER
        + 'HC,ASB-01,2019-20 Q1,"1,891",Up in the city centre\n'
        + "HC,PCT-01,2019-20 Q1,18.5,\n"
        + "HFRS,ARSON-01,2019-20 Q1,50,\n",
    )
    call_command("import_csv", "returns", path, "--approve", "--by", "coordinator")
    assert QuarterlyReturn.objects.filter(status="approved").count() == 2
    asb = ApprovedValue.objects.get(indicator__code="ASB-01")
    assert asb.value == Decimal(1891)
    assert asb.commentary == "Up in the city centre"
    assert asb.approved_by == coordinator
    assert AuditEntry.objects.filter(action="approved", actor=coordinator).count() == 2
    assert AuditEntry.objects.filter(action="imported", field="value").count() == 3

    # Re-importing the same file is idempotent: no new rows, no new value changes.
    audit_before = AuditEntry.objects.filter(action="imported").count()
    call_command("import_csv", "returns", path, "--approve", "--by", "coordinator")
    assert ApprovedValue.objects.count() == 3
    assert ReturnValue.objects.count() == 3
    assert AuditEntry.objects.filter(action="imported").count() == audit_before


def test_import_returns_without_approve_leaves_a_draft_off_the_scorecard(base, tmp_path):
    run("returns", write(tmp_path, "r.csv", RETURNS_HEADER + "HC,ASB-01,2019-20 Q1,10,\n"))
    assert QuarterlyReturn.objects.get().status == "draft"
    assert ApprovedValue.objects.count() == 0


def test_import_returns_refuses_to_overwrite_an_approved_return_without_approve(
    base, tmp_path, capsys
):
    run(
        "returns",
        write(tmp_path, "r.csv", RETURNS_HEADER + "HC,ASB-01,2019-20 Q1,10,\n"),
        "--approve",
    )
    before = snapshot()
    path = write(tmp_path, "r2.csv", RETURNS_HEADER + "HC,ASB-01,2019-20 Q1,99,\n")
    assert_fails_with(
        capsys,
        ["returns", path],
        "line 2: ASB-01 (ASB incidents): the HC return for 2019-20 Q1 is approved",
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    "row, message",
    [
        ("NOPE,ASB-01,2019-20 Q1,10,", "partner 'NOPE' is not a known partner code"),
        ("HC,NOPE-01,2019-20 Q1,10,", "indicator 'NOPE-01' is not a known indicator code"),
        ("HC,ARSON-01,2019-20 Q1,10,", "indicator ARSON-01 is not owned by HC"),
        ("HC,ASB-01,2019 Q5,10,", "'2019 Q5' is not a period"),
        ("HC,ASB-01,2019-20 Q1,ten,", "value 'ten' is not a number"),
        ("HC,ASB-01,2019-20 Q1,,", "value is required"),
        ("HC,ASB-01,2019-20 Q1,-3,", "A count cannot be negative"),
        ("HC,ASB-01,2019-20 Q1,2.5,", "A count must be a whole number"),
        ("HC,PCT-01,2019-20 Q1,101,", "Enter a percentage between 0 and 100"),
        ("HC,ASB-01,2019-20 Q1,10,,extra", "6 cells but 5 columns"),
    ],
)
def test_bad_return_rows_change_nothing(base, tmp_path, capsys, row, message):
    run(
        "returns",
        write(tmp_path, "ok.csv", RETURNS_HEADER + "HC,ASB-01,2018-19 Q4,5,\n"),
        "--approve",
    )
    before = snapshot()
    good = "HC,ASB-01,2019-20 Q2,10,fine\n"
    path = write(tmp_path, "bad.csv", RETURNS_HEADER + good + row + "\n")
    assert_fails_with(capsys, ["returns", path, "--approve"], "line 3: ", message)
    assert snapshot() == before


def test_duplicate_return_row(base, tmp_path, capsys):
    row = "HC,ASB-01,2019-20 Q1,10,\n"
    path = write(tmp_path, "dup.csv", RETURNS_HEADER + row + row)
    assert_fails_with(
        capsys, ["returns", path], "line 3: ASB-01 (ASB incidents): duplicate of line 2"
    )
    assert ReturnValue.objects.count() == 0


def test_every_bad_row_is_listed(base, tmp_path, capsys):
    path = write(
        tmp_path,
        "many.csv",
        RETURNS_HEADER
        + "HC,ASB-01,2019-20 Q1,x,\nHC,ASB-01,2019-20 Q2,10,\nHC,NOPE,2019-20 Q3,1,\n",
    )
    err = assert_fails_with(capsys, ["returns", path], "line 2:", "line 4:")
    assert "line 3" not in err


def test_import_accepts_xlsx(base, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["partner", "indicator", "period", "value", "commentary"])
    sheet.append(["HC", "ASB-01", "2019-20 Q1", 1891, "From Excel"])
    sheet.append(["HC", "PCT-01", "2019-20 Q1", 18.5, None])
    path = tmp_path / "r.xlsx"
    book.save(path)
    run("returns", str(path), "--approve")
    assert ApprovedValue.objects.get(indicator__code="ASB-01").value == Decimal(1891)
    assert ApprovedValue.objects.get(indicator__code="PCT-01").value == Decimal("18.5")


def test_unknown_file_and_user_are_clear_errors(base, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("partners", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="No user called 'ghost'"):
        run("returns", write(tmp_path, "r.csv", RETURNS_HEADER), "--by", "ghost")
    with pytest.raises(CommandError, match="--approve only applies to returns"):
        run("partners", write(tmp_path, "p.csv", "code,name\n"), "--approve")


def test_non_utf8_file_is_refused(db, tmp_path, capsys):
    path = tmp_path / "latin.csv"
    path.write_bytes("code,name\nHC,Caf\xe9\n".encode("latin-1"))
    assert_fails_with(capsys, ["partners", str(path)], "not UTF-8")
