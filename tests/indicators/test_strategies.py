"""Strategies over time: the scorecard for a period shows exactly the indicators of the
strategy in force then, grouped by that strategy's priorities."""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.management import call_command

from core.periods import FinancialQuarter
from indicators.models import Indicator, Priority, Strategy, StrategyIndicator, strategy_in_force
from reporting.selectors import scorecard_rows
from returns import services
from tests import factories


@dataclass(frozen=True)
class S:
    id: int
    start_year: int
    end_year: int


OLD, NEW, OVERLAP = S(1, 2017, 2020), S(2, 2021, 2025), S(3, 2020, 2022)


@pytest.mark.parametrize(
    ("strategies", "year", "expected"),
    [
        ([OLD, NEW], 2019, OLD),
        ([OLD, NEW], 2020, OLD),
        ([OLD, NEW], 2021, NEW),
        ([OLD, NEW], 2025, NEW),
        # several cover the year: the one that started latest
        ([OLD, OVERLAP, NEW], 2020, OVERLAP),
        ([OLD, OVERLAP, NEW], 2021, NEW),
        # a gap in the set-up: the latest begun before it, else the first
        ([S(1, 2017, 2018), S(2, 2021, 2025)], 2019, S(1, 2017, 2018)),
        ([NEW], 2015, NEW),
        ([], 2019, None),
    ],
)
def test_strategy_in_force(strategies, year, expected):
    assert strategy_in_force(strategies, year) == expected


# --- on the scorecard ----------------------------------------------------------


@pytest.fixture
def two_strategies(db, police):
    old = factories.StrategyFactory(
        name="Safe City Strategy 2017–2020", start_year=2017, end_year=2020
    )
    new = factories.StrategyFactory(
        name="Safe City Strategy 2021–2026", start_year=2021, end_year=2025
    )
    crime = factories.PriorityFactory(strategy=old, name="Reduce crime and anti-social behaviour")
    vawg = factories.PriorityFactory(strategy=new, name="Violence against women and girls", order=1)
    cohesion_old = factories.PriorityFactory(strategy=old, name="Community cohesion", order=2)
    asb = factories.IndicatorFactory(code="ASB-01", name="ASB", owner=police, priority=crime)
    dv = factories.IndicatorFactory(
        code="DV-01", name="Domestic abuse", owner=police, priority=crime
    )
    hate = factories.IndicatorFactory(
        code="HATE-01", name="Hate crime", owner=police, priority=cohesion_old
    )
    # carried forward: ASB and DV continue (DV under a new priority), hate crime is dropped
    new_crime = factories.PriorityFactory(strategy=new, name="Serious violence", order=2)
    StrategyIndicator.objects.create(strategy=new, priority=new_crime, indicator=asb)
    StrategyIndicator.objects.create(strategy=new, priority=vawg, indicator=dv)
    for label, values in [
        ("2020-21 Q1", {asb: 100, dv: 40, hate: 9}),
        ("2021-22 Q1", {asb: 80, dv: 50}),
    ]:
        period = factories.period(label)
        services.quarterly_return_import(
            partner=police,
            period=period,
            entries=[
                services.ValueEntry(indicator_id=i.id, value=Decimal(v)) for i, v in values.items()
            ],
            by=None,
            approve=True,
        )
    return {"old": old, "new": new, "asb": asb, "dv": dv, "hate": hate}


def _priorities(period):
    return {r.indicator.code: r.priority.name for r in scorecard_rows(period)}


def test_old_periods_keep_their_grouping_and_new_periods_use_the_new_one(two_strategies):
    assert _priorities(FinancialQuarter(2020, 1)) == {
        "ASB-01": "Reduce crime and anti-social behaviour",
        "DV-01": "Reduce crime and anti-social behaviour",
        "HATE-01": "Community cohesion",
    }
    assert _priorities(FinancialQuarter(2021, 1)) == {
        "DV-01": "Violence against women and girls",
        "ASB-01": "Serious violence",
    }


def test_new_periods_are_in_the_new_strategys_priority_order(two_strategies):
    codes = [r.indicator.code for r in scorecard_rows(FinancialQuarter(2021, 1))]
    assert codes == ["DV-01", "ASB-01"]


def test_a_dropped_indicator_leaves_the_new_periods_but_keeps_its_history(two_strategies):
    assert "HATE-01" not in _priorities(FinancialQuarter(2021, 2))
    old_rows = {r.indicator.code: r for r in scorecard_rows(FinancialQuarter(2020, 1))}
    assert old_rows["HATE-01"].assessment.actual == Decimal(9)


def test_a_continuing_indicator_compares_with_last_year_across_the_boundary(two_strategies):
    rows = {r.indicator.code: r for r in scorecard_rows(FinancialQuarter(2021, 1))}
    assert rows["ASB-01"].assessment.comparison == Decimal(100)
    assert rows["ASB-01"].assessment.change_pct == Decimal(-20)


def test_retired_indicator_stays_on_the_year_it_reported_in_only(two_strategies):
    asb = two_strategies["asb"]
    asb.active = False
    asb.save()
    assert "ASB-01" in _priorities(FinancialQuarter(2021, 1))  # it has 2021-22 figures
    assert "ASB-01" not in _priorities(FinancialQuarter(2022, 1))


def test_dashboard_period_picker_moves_across_strategies(two_strategies, client, member):
    client.force_login(member)
    old = client.get("/scorecard/", {"period": "2020-21-Q1"}).content.decode()
    new = client.get("/scorecard/", {"period": "2021-22-Q1"}).content.decode()
    assert "Hate crime" in old and "Community cohesion" in old
    assert "Hate crime" not in new
    assert "Violence against women and girls" in new


def test_a_priority_of_another_strategy_is_reported_as_unknown(two_strategies, client, member):
    client.force_login(member)
    response = client.get("/scorecard/", {"period": "2021-22-Q1", "priority": "community-cohesion"})
    assert "There is no priority ‘community-cohesion’" in response.content.decode()


# --- import and export -----------------------------------------------------------

HEADER = (
    "code,name,priority,owner,measure,polarity,target_type,target,tolerance_pct,"
    "caution_below,stable_band_pct,strategy,year\n"
)
OLD_ROWS = (
    "ASB-01,ASB incidents,Reduce crime,HC,count,lower_is_better,value,400,,,,Safe City Strategy 2017–2020,2019-20\n"
    "HATE-01,Hate crime,Community cohesion,HC,count,higher_is_better,value,30,,,,Safe City Strategy 2017–2020,2019-20\n"
)
NEW_ROWS = "ASB-01,ASB incidents,Serious violence,HC,count,lower_is_better,value,380,,,,Safe City Strategy 2021–2026,2021-22\n"


def _import(tmp_path, text):
    path = tmp_path / "indicators.csv"
    path.write_text(HEADER + text, encoding="utf-8")
    call_command(
        "import_csv", "--partnership", "southampton", "indicators", str(path), stdout=io.StringIO()
    )


def _export(period):
    out = io.StringIO()
    call_command("export_scorecard", "--partnership", "southampton", "--period", period, stdout=out)
    return out.getvalue()


@pytest.fixture
def imported(db, police, tmp_path):
    _import(tmp_path, OLD_ROWS)
    asb = Indicator.objects.get(code="ASB-01")
    for label, value in [("2019-20 Q1", 90), ("2021-22 Q1", 70)]:
        services.quarterly_return_import(
            partner=police,
            period=factories.period(label),
            entries=[services.ValueEntry(indicator_id=asb.id, value=Decimal(value))],
            by=None,
            approve=True,
        )


def test_import_for_another_strategy_adds_a_place_and_leaves_the_old_one(imported, tmp_path):
    before = _export("2019-20 Q1")
    _import(tmp_path, NEW_ROWS)
    asb = Indicator.objects.get(code="ASB-01")
    places = {
        p.strategy.name: p.priority.name for p in asb.places.select_related("strategy", "priority")
    }
    assert places == {
        "Safe City Strategy 2017–2020": "Reduce crime",
        "Safe City Strategy 2021–2026": "Serious violence",
    }
    assert sorted(asb.targets.values_list("year", "value")) == [
        (2019, Decimal(400)),
        (2021, Decimal(380)),
    ]
    assert _export("2019-20 Q1") == before


def test_reimporting_both_strategies_is_idempotent(imported, tmp_path):
    _import(tmp_path, OLD_ROWS + NEW_ROWS)
    counts = (
        Indicator.objects.count(),
        StrategyIndicator.objects.count(),
        Priority.objects.count(),
        Strategy.objects.count(),
    )
    _import(tmp_path, OLD_ROWS + NEW_ROWS)
    assert counts == (
        Indicator.objects.count(),
        StrategyIndicator.objects.count(),
        Priority.objects.count(),
        Strategy.objects.count(),
    )
    assert counts == (2, 3, 3, 2)


def test_export_priority_is_the_one_in_force_for_the_period(imported, tmp_path):
    _import(tmp_path, NEW_ROWS)
    new = _export("2021-22 Q1").splitlines()
    asb_old = next(csv.DictReader(io.StringIO(_export("2019-20 Q1"))))
    asb_new = next(csv.DictReader(io.StringIO(_export("2021-22 Q1"))))
    assert (asb_old["priority"], asb_old["actual"]) == ("Reduce crime", "90")
    assert (asb_new["priority"], asb_new["actual"]) == ("Serious violence", "70")
    assert not any(line.startswith("HATE-01") for line in new)


def test_a_partner_whose_indicators_were_all_dropped_is_not_chased(two_strategies, fire):
    from indicators.models import Indicator
    from returns.expected import expected_partners

    arson = Indicator.objects.create(code="ARSON-01", name="Arson", owner=fire)
    old = two_strategies["old"]
    StrategyIndicator.objects.create(strategy=old, priority=old.priorities.first(), indicator=arson)
    old_period = factories.period("2020-21 Q2")
    new_period = factories.period("2021-22 Q2")
    assert set(expected_partners(old_period).values_list("code", flat=True)) == {"HC", "HFRS"}
    assert set(expected_partners(new_period).values_list("code", flat=True)) == {"HC"}
    # The dashboard's and the pack's completeness ask the same rule, in bulk.
    from returns.expected import expected_by_period

    bulk = expected_by_period([old_period, new_period])
    assert [p.code for p in bulk[old_period.pk]] == ["HC", "HFRS"]  # by name
    assert [p.code for p in bulk[new_period.pk]] == ["HC"]
    # Deactivating fire's indicator leaves no one to chase in either form.
    arson.active = False
    arson.save()
    assert set(expected_partners(old_period).values_list("code", flat=True)) == {"HC"}
    assert [p.code for p in expected_by_period([old_period])[old_period.pk]] == ["HC"]
