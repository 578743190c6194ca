"""Complementary suppression (meetings.disclosure): each derivation an attacker was
seen to use, its mirror images, and an exhaustive search of sums and differences of
everything a snapshot publishes for one indicator."""

import itertools
from decimal import Decimal

import pytest

from meetings.disclosure import Figures, quarter_cell, suppress

D = Decimal
T = 5  # counts 1-4 are small


def figures(this_year, last_year, quarter, **extra):
    quarters = {(2019, q): D(v) for q, v in enumerate(this_year, start=1)}
    quarters |= {(2018, q): D(v) for q, v in enumerate(last_year, start=1)}
    actual = sum((D(v) for v in this_year[:quarter]), D(0))
    comparison = sum((D(v) for v in last_year[:quarter]), D(0))
    return Figures(
        measure="count",
        quarters=quarters,
        period=(2019, quarter),
        actual=actual,
        comparison=comparison,
        **extra,
    )


@pytest.mark.parametrize(
    "name, this_year, last_year, quarter, extra, must_hide",
    [
        # year to date − the other published quarters (MDS-01 2019-20 Q3: 3)
        ("ytd minus quarters", [40, 31, 3], [35, 30, 33], 3, {}, {"q:2019:3", "actual"}),
        # the same with the small quarter first or in the middle
        ("ytd, small first", [3, 40, 31], [35, 30, 33], 3, {}, {"q:2019:1", "actual"}),
        ("ytd, small middle", [40, 3, 31], [35, 30, 33], 3, {}, {"q:2019:2", "actual"}),
        # last year's total − its quarters (the comparison), e.g. KNIFE-01 2018-19 Q4: 3
        ("comparison minus quarters", [40, 31, 33, 36], [35, 30, 33, 3], 4, {},
         {"q:2018:4", "comparison", "change"}),
        # a % change target is the comparison × a factor: 0.9 × last year
        ("target over its factor", [40, 31], [35, 2], 2,
         {"target": D("33.3"), "target_quarter": D("1.8"), "target_from_last_year": True},
         {"q:2018:2", "comparison", "target", "target_quarter"}),
        # the chart's quarterly target: last year's same quarter × the factor
        ("quarter target", [40, 31], [2, 30], 2,
         {"target": D("28.8"), "target_quarter": D("27"), "target_from_last_year": True},
         {"q:2018:1", "comparison", "target", "target_quarter"}),
        # a change on last year worked back with a published comparison
        ("change from comparison", [3], [30], 1, {}, {"actual", "change", "q:2019:1"}),
        ("change from actual", [30], [3], 1, {}, {"comparison", "change", "q:2018:1"}),
        # SPC limits are worked out from every point
        ("spc", [40, 3], [35, 30], 2, {}, {"spc"}),
    ],
)  # fmt: skip
def test_each_derivation_is_closed(name, this_year, last_year, quarter, extra, must_hide):
    assert must_hide <= suppress(figures(this_year, last_year, quarter, **extra), T), name


def test_a_value_target_does_not_depend_on_the_data_and_stays():
    hidden = suppress(figures([40, 3], [35, 30], 2, target=D(70), target_quarter=D("17.5")), T)
    assert "target" not in hidden and "target_quarter" not in hidden


def test_nothing_small_nothing_hidden_and_zero_tells_nothing():
    assert suppress(figures([40, 0, 31], [35, 30, 33], 3), T) == set()


def test_rates_and_percentages_are_not_counts():
    rate = figures([2, 3], [1, 4], 2)
    rate.measure = "rate"
    assert suppress(rate, T) == set()


def published_numbers(fig, hidden, factor):
    """Everything the snapshot would publish, and the targets divided by their factor
    (an attacker who knows the target is 'last year less 10%')."""
    numbers = {
        quarter_cell(*q): v for q, v in fig.quarters.items() if quarter_cell(*q) not in hidden
    }
    for name in ("actual", "comparison", "target", "target_quarter"):
        value = getattr(fig, name)
        if value is not None and name not in hidden:
            numbers[name] = value
            if name.startswith("target") and fig.target_from_last_year:
                numbers[f"{name}/factor"] = value / factor
    return numbers


@pytest.mark.parametrize(
    "this_year, last_year, quarter",
    [
        ([1207, 2451, 3], [1313, 2290, 1188], 3),
        ([1207, 2, 3119], [1313, 2290, 1188], 3),
        ([1207, 2451, 3119, 2205], [1313, 2290, 1188, 4], 4),
        ([4, 2451], [1313, 1], 2),
    ],
)
def test_no_sum_or_difference_of_published_figures_gives_a_suppressed_one_back(
    this_year, last_year, quarter
):
    factor = D("0.9")
    comparison = sum((D(v) for v in last_year[:quarter]), D(0))
    same_quarter = D(last_year[quarter - 1])
    fig = figures(
        this_year,
        last_year,
        quarter,
        target=comparison * factor,
        target_quarter=same_quarter * factor,
        target_from_last_year=True,
    )
    hidden = suppress(fig, T)
    secrets = {v for q, v in fig.quarters.items() if quarter_cell(*q) in hidden and 0 < v < T} | {
        getattr(fig, n) for n in ("actual", "comparison") if n in hidden
    }
    assert secrets  # each case has something to protect
    numbers = list(published_numbers(fig, hidden, factor).values())
    for signs in itertools.product((-1, 0, 1), repeat=len(numbers)):
        if any(signs):
            total = sum((s * n for s, n in zip(signs, numbers, strict=True)), D(0))
            assert total not in secrets, (signs, total)
