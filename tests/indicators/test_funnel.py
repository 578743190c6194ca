"""Funnel plot limits (Spiegelhalter 2005), case by case."""

import pytest
from scipy.stats import poisson

from indicators import funnel


@pytest.mark.parametrize("mean", [0.7, 4.0, 37.5, 100.0, 2500.0])
@pytest.mark.parametrize("p", [0.001, 0.025, 0.975, 0.999])
def test_the_limit_interpolates_just_below_the_exact_poisson_quantile(mean, p):
    """r is the smallest count with P(X <= r) >= p (scipy's ppf); the interpolated
    limit lies in (r - 1, r]."""
    r = poisson.ppf(p, mean)
    limit = funnel.poisson_limit(p, mean)
    assert r - 1 < limit <= r


def test_the_interpolation_is_spiegelhalters_formula():
    mean, p = 100.0, 0.975
    r = int(poisson.ppf(p, mean))
    at, below = poisson.cdf(r, mean), poisson.cdf(r - 1, mean)
    assert funnel.poisson_limit(p, mean) == pytest.approx(r - (at - p) / (at - below))


def test_limits_narrow_as_the_population_grows_around_the_pooled_rate():
    areas = [funnel.Area(f"A{n}", 10 * n, 10_000 * n) for n in range(1, 6)]
    result = funnel.funnel(areas)
    assert result.pooled_rate == pytest.approx(1.0)
    widths = [c["99.8%"][1] - c["99.8%"][0] for c in result.curve]
    assert widths == sorted(widths, reverse=True)
    for c in result.curve:
        assert c["99.8%"][0] <= c["95%"][0] <= 1.0 <= c["95%"][1] <= c["99.8%"][1]


def test_an_area_far_above_the_pooled_rate_is_higher_than_expected():
    areas = [
        funnel.Area("Southampton", 5_000, 250_000),  # 20 per 1,000
        funnel.Area("Portsmouth", 4_300, 215_000),  # 20
        funnel.Area("Eastleigh", 1_500, 133_000),  # 11.3: well below
        funnel.Area("Winchester", 2_460, 124_000),  # 19.8
        funnel.Area("Havant", 3_600, 126_000),  # 28.6: well above
    ]
    result = funnel.funnel(areas)
    assert result.named(funnel.Verdict.HIGHER) == ["Havant"]
    assert result.named(funnel.Verdict.LOWER) == ["Eastleigh"]
    assert set(result.named(funnel.Verdict.AS_EXPECTED)) >= {"Southampton", "Portsmouth"}


def test_a_small_difference_is_within_the_range_expected():
    areas = [funnel.Area("Big", 1_000, 100_000), funnel.Area("Small", 12, 1_000)]
    result = funnel.funnel(areas)
    assert {p.verdict for p in result.areas} == {funnel.Verdict.AS_EXPECTED}


def test_fewer_than_two_areas_cannot_be_compared():
    assert funnel.funnel([funnel.Area("Alone", 10, 1000)]) is None
    assert funnel.funnel([funnel.Area("A", 10, 1000), funnel.Area("B", 5, 0)]) is None
