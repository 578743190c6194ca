"""Importing police.uk street files: counts only, all or nothing with row-numbered
errors, idempotent per month; the area and the mapping from import_csv; and the
reconciliation police_uk_reconcile writes."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from core.periods import FinancialQuarter
from policeuk import services
from policeuk.archive import ArchiveRefused
from policeuk.models import Location, PoliceUkCount, PoliceUkMapping, PoliceUkMonth, SeenLsoa
from returns import services as return_services
from returns.imports import reporting_period_for
from tests import factories
from tests.policeuk.streets import (
    IN_AREA,
    IN_AREA_2,
    OUTSIDE,
    crime,
    many,
    street_csv,
    write_month,
    write_zip,
)


def lsoa_file(tmp_path, rows, name="lsoas.csv"):
    path = tmp_path / name
    path.write_text("lsoa_code,lsoa_name\n" + "".join(f"{c},{n}\n" for c, n in rows))
    return str(path)


@pytest.fixture
def area(partnership, tmp_path):
    call_command("import_csv", "lsoas", lsoa_file(tmp_path, [IN_AREA, IN_AREA_2]))


@pytest.fixture
def mapped(area, partnership, police, priority, tmp_path):
    burglary = factories.IndicatorFactory(
        code="BURG-01", name="Burglary and robbery", owner=police, priority=priority
    )
    path = tmp_path / "mapping.csv"
    path.write_text(
        "indicator,crime_type\nASB-01,Anti-social behaviour\nBURG-01,Burglary\nBURG-01,Robbery\n"
    )
    call_command("import_csv", "police_uk_mapping", str(path))
    return {"asb": partnership["asb"], "burglary": burglary}


def quarter_files(tmp_path):
    """Jan–Mar 2020: ASB 30+20+10 in the area (and some outside, some unplaced);
    burglary and robbery in the area; February has fewer rows."""
    jan = (
        many("2020-01", "Anti-social behaviour", 30)
        + many("2020-01", "Anti-social behaviour", 7, OUTSIDE)
        + many("2020-01", "Anti-social behaviour", 2, None)
        + many("2020-01", "Burglary", 5, IN_AREA_2)
        + many("2020-01", "Robbery", 3)
        + many("2020-01", "Shoplifting", 11)
    )
    feb = many("2020-02", "Anti-social behaviour", 20) + many("2020-02", "Burglary", 4)
    mar = (
        many("2020-03", "Anti-social behaviour", 10)
        + many("2020-03", "Robbery", 1)
        + many("2020-03", "Robbery", 1, None)
    )
    return [
        write_month(tmp_path, "2020-01", jan),
        write_month(tmp_path, "2020-02", feb),
        write_month(tmp_path, "2020-03", mar),
    ]


def reconcile_csv(period="2019-20 Q4"):
    out = io.StringIO()
    call_command("police_uk_reconcile", "--period", period, "--format", "csv", stdout=out)
    return list(csv.reader(io.StringIO(out.getvalue())))


def approve(indicator, police, label, value):
    return_services.quarterly_return_import(
        partner=police,
        period=reporting_period_for(FinancialQuarter.parse(label)),
        entries=[return_services.ValueEntry(indicator_id=indicator.id, value=Decimal(value))],
        by=None,
        approve=True,
    )


def test_import_keeps_counts_by_month_type_and_place_never_the_rows(mapped, tmp_path):
    call_command("import_police_uk", *map(str, quarter_files(tmp_path)))
    jan = {
        (c.crime_type, c.location): c.count
        for c in PoliceUkCount.objects.filter(month="2020-01-01")
    }
    assert jan == {
        ("Anti-social behaviour", Location.IN_AREA): 30,
        ("Anti-social behaviour", Location.OUTSIDE): 7,
        ("Anti-social behaviour", Location.UNLOCATED): 2,
        ("Burglary", Location.IN_AREA): 5,
        ("Robbery", Location.IN_AREA): 3,
        ("Shoplifting", Location.IN_AREA): 11,
    }
    assert PoliceUkMonth.objects.get(month="2020-02-01").rows == 24
    assert set(SeenLsoa.objects.values_list("code", flat=True)) == {
        IN_AREA[0],
        IN_AREA_2[0],
        OUTSIDE[0],
    }


def test_reconcile_writes_exactly_the_columns_and_sums_months_and_types(mapped, police, tmp_path):
    call_command("import_police_uk", *map(str, quarter_files(tmp_path)))
    approve(mapped["asb"], police, "2019-20 Q4", "63")  # police.uk: 30 + 20 + 10 = 60
    header, *rows = reconcile_csv()
    assert header == [
        "indicator", "period", "submitted", "police_uk", "difference", "difference_pct",
        "within_tolerance", "months", "unlocated",
    ]  # fmt: skip
    assert rows == [
        ["ASB-01", "2019-20 Q4", "63", "60", "3", "5.0", "yes", "3", "2"],
        # burglary 5 + 4 and robbery 3 + 1 in the area; one robbery unplaced; no figure
        ["BURG-01", "2019-20 Q4", "", "13", "", "", "", "3", "1"],
    ]


def test_reconcile_json_has_the_same_fields_typed(mapped, police, tmp_path):
    call_command("import_police_uk", *map(str, quarter_files(tmp_path)))
    approve(mapped["asb"], police, "2019-20 Q4", "70")
    out = io.StringIO()
    call_command("police_uk_reconcile", "--period", "2019-20 Q4", "--format", "json", stdout=out)
    first = json.loads(out.getvalue())[0]
    assert first == {
        "indicator": "ASB-01", "period": "2019-20 Q4", "submitted": 70, "police_uk": 60,
        "difference": 10, "difference_pct": 16.7, "within_tolerance": "no", "months": 3,
        "unlocated": 2,
    }  # fmt: skip


def test_a_submitted_figure_counts_when_none_is_approved(mapped, police, tmp_path):
    call_command("import_police_uk", *map(str, quarter_files(tmp_path)))
    period = reporting_period_for(FinancialQuarter(2019, 4))
    period.is_open = True
    period.save()
    quarterly_return = return_services.quarterly_return_get_or_start(partner=police, period=period)
    return_services.return_values_save(
        quarterly_return=quarterly_return,
        by=None,
        entries=[return_services.ValueEntry(indicator_id=mapped["asb"].id, value=Decimal(59))],
    )
    assert reconcile_csv()[1][2] == ""  # a draft is not a submitted figure
    quarterly_return.status = quarterly_return.Status.SUBMITTED
    quarterly_return.save()
    assert reconcile_csv()[1][2:7] == ["59", "60", "-1", "-1.7", "yes"]


def test_a_quarter_with_two_months_says_so_and_is_not_judged(mapped, police, tmp_path):
    files = quarter_files(tmp_path)
    call_command("import_police_uk", str(files[0]), str(files[1]))
    approve(mapped["asb"], police, "2019-20 Q4", "50")  # police.uk so far: 50
    row = reconcile_csv()[1]
    assert row[3] == "50" and row[6] == "" and row[7] == "2"


def test_reimporting_a_month_replaces_its_counts(mapped, tmp_path):
    call_command("import_police_uk", *map(str, quarter_files(tmp_path)))
    revised = write_month(tmp_path, "2020-01", many("2020-01", "Anti-social behaviour", 33))
    call_command("import_police_uk", str(revised))
    call_command("import_police_uk", str(revised))  # twice: the same
    jan = PoliceUkCount.objects.filter(month="2020-01-01")
    assert [(c.crime_type, c.location, c.count) for c in jan] == [
        ("Anti-social behaviour", "in_area", 33)
    ]
    assert PoliceUkCount.objects.filter(month="2020-02-01").exists()  # other months kept
    assert reconcile_csv()[1][3] == "63"


def test_a_zip_of_month_folders_imports_its_street_files_only(mapped, tmp_path):
    archive = write_zip(
        tmp_path / "download.zip",
        {
            "2020-01": many("2020-01", "Anti-social behaviour", 3),
            "2020-02": many("2020-02", "Anti-social behaviour", 4),
        },
    )
    out = io.StringIO()
    call_command("import_police_uk", str(archive), stdout=out)
    assert "rows: 7, months: 2" in out.getvalue() and "skipped files: 2" in out.getvalue()
    assert PoliceUkMonth.objects.count() == 2


def refused(*paths):
    with pytest.raises(CommandError) as error:
        call_command("import_police_uk", *map(str, paths), stderr=(err := io.StringIO()))
    return str(error.value), err.getvalue()


def test_a_wrong_header_is_refused_and_changes_nothing(mapped, tmp_path):
    good = write_month(tmp_path, "2020-01", many("2020-01", "Anti-social behaviour", 3))
    bad = tmp_path / "2020-02-hampshire-street.csv"
    bad.write_bytes(street_csv([], header=["Crime ID", "Month", "Crime type"]))
    message, errors = refused(good, bad)
    assert "nothing was imported" in message
    assert "2020-02-hampshire-street.csv, line 1: the header is not police.uk's" in errors
    assert not PoliceUkCount.objects.exists() and not PoliceUkMonth.objects.exists()


def test_bad_months_and_crime_types_are_row_numbered(mapped, tmp_path):
    rows = [
        crime("2020-01", "Burglary"),
        crime("2020/01", "Burglary"),  # line 3
        crime("2020-01", "Burglery"),  # line 4
    ]
    path = write_month(tmp_path, "2020-01", rows)
    message, errors = refused(path)
    assert "2 problem(s)" in message
    assert (
        "2020-01-hampshire-street.csv, line 3: Month '2020/01' is not a month like 2020-01"
        in errors
    )
    assert "line 4: Crime type 'Burglery' is not one of police.uk's 14" in errors
    assert not PoliceUkCount.objects.exists()


def test_only_the_first_hundred_errors_are_shown_with_the_count(mapped, tmp_path):
    path = write_month(tmp_path, "2020-01", many("2020-01", "Not a type", 150))
    message, errors = refused(path)
    assert "150 problem(s)" in message
    assert errors.count("is not one of police.uk's 14") == 100
    assert "... and 50 more (the first 100 are shown)" in errors


def test_a_zip_too_large_unpacked_is_refused_before_it_is_unpacked(mapped, tmp_path, monkeypatch):
    archive = write_zip(tmp_path / "big.zip", {"2020-01": many("2020-01", "Burglary", 500)})
    with pytest.raises(ArchiveRefused) as error:
        services.police_uk_import(sources=[archive], max_uncompressed=10_000)
    assert "unpacks to" in str(error.value.errors[0])
    assert not PoliceUkCount.objects.exists()


def test_the_same_month_in_two_files_is_refused(mapped, tmp_path):
    first = write_month(tmp_path, "2020-01", many("2020-01", "Burglary", 2))
    second = write_month(tmp_path, "2020-01", many("2020-01", "Burglary", 2), "hampshire-copy")
    _, errors = refused(first, second)
    assert "2020-01 for Hampshire Constabulary is in 2020-01-hampshire-street.csv too" in errors


def test_lsoas_import_is_all_or_nothing_row_numbered_and_idempotent(partnership, tmp_path):
    path = lsoa_file(tmp_path, [IN_AREA, ("E0101714", "Short code"), IN_AREA])
    with pytest.raises(CommandError):
        call_command("import_csv", "lsoas", path, stderr=(err := io.StringIO()))
    assert "line 3: lsoa_code 'E0101714' is not an LSOA code" in err.getvalue()
    assert "line 4: lsoa_code E01017139 is on line 2 too" in err.getvalue()
    assert services.area_codes() == []
    good = lsoa_file(tmp_path, [IN_AREA, IN_AREA_2])
    call_command("import_csv", "lsoas", good)
    call_command("import_csv", "lsoas", good)
    assert services.area_codes() == [IN_AREA[0], IN_AREA_2[0]]


def test_mapping_import_refuses_unknown_indicators_and_crime_types(partnership, tmp_path):
    path = tmp_path / "mapping.csv"
    path.write_text(
        "indicator,crime_type\nASB-01,Anti-social behaviour\nNOPE-01,Burglary\n"
        "ASB-01,Burglery\nREPEAT-01,Burglary\n"
    )
    with pytest.raises(CommandError):
        call_command("import_csv", "police_uk_mapping", str(path), stderr=(err := io.StringIO()))
    errors = err.getvalue()
    assert "line 3: indicator 'NOPE-01' is not one of this partnership's indicators" in errors
    assert "line 4: crime_type 'Burglery' is not one of police.uk's 14" in errors
    assert "line 5: indicator REPEAT-01 (Repeat victims) is a percentage" in errors
    assert not PoliceUkMapping.objects.exists()


def test_mapping_has_a_default_tolerance_of_five_per_cent(mapped):
    assert PoliceUkMapping.objects.get(indicator=mapped["asb"]).tolerance == Decimal(5)
    assert PoliceUkMapping.objects.get(indicator=mapped["burglary"]).crime_types == [
        "Burglary",
        "Robbery",
    ]


def test_local_authority_name_selects_its_lsoas_from_imported_files(mapped, tmp_path):
    rows = [
        crime("2020-01", "Burglary", ("E01017200", "Southampton 040C")),
        crime("2020-01", "Burglary", ("E01099999", "Southamptonshire 001A")),
        crime("2020-01", "Burglary", OUTSIDE),
    ]
    call_command("import_police_uk", str(write_month(tmp_path, "2020-01", rows)))
    found = services.lsoas_for_local_authority("Southampton")
    assert [s.name for s in found] == ["Southampton 040C"]
