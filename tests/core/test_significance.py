"""The significance test against textbook values."""

from decimal import Decimal

import pytest

from core.significance import binomial_two_sided_p, poisson_change_significance


@pytest.mark.parametrize(
    "k, n, expected",
    [
        (7, 10, 352 / 1024),  # P(X>=7)+P(X<=3) = 2 x (120+45+10+1)/1024 = 0.34375
        (9, 10, 22 / 1024),  # 2 x (10+1)/1024 = 0.021484375
        (10, 10, 2 / 1024),
        (5, 10, 1.0),
        (0, 0, 1.0),
        (3, 5, 1.0),  # 2,3 equally likely as 3,2: the whole distribution
    ],
)
def test_binomial_two_sided_p(k, n, expected):
    assert binomial_two_sided_p(k, n) == pytest.approx(expected, rel=1e-9)


def exact_p(k, n):
    """Independent oracle: exact rational arithmetic with integer binomial coefficients."""
    from fractions import Fraction
    from math import comb

    observed = comb(n, k)
    return float(Fraction(sum(comb(n, i) for i in range(n + 1) if comb(n, i) <= observed), 2**n))


def test_small_numbers_rise_is_not_significant():
    # Modern slavery: 31 → 36 (+16.1%) on small numbers.
    result = poisson_change_significance(Decimal(36), Decimal(31))
    assert result.significant is False
    assert result.p_value == pytest.approx(exact_p(36, 67), rel=1e-9)
    assert 0.6 < result.p_value < 0.65
    assert result.label == "not significant"


@pytest.mark.parametrize("k, n", [(36, 67), (103, 193), (40, 60), (120, 200)])
def test_matches_exact_rational_computation(k, n):
    from core.significance import binomial_two_sided_p

    assert binomial_two_sided_p(k, n) == pytest.approx(exact_p(k, n), rel=1e-9)


def test_large_numbers_rise_is_significant():
    # Drug offences: 783 → 1,076 (+37.4%).
    result = poisson_change_significance(Decimal(1076), Decimal(783))
    assert result.significant is True
    assert result.p_value < 1e-10


def test_asb_rise_of_one_and_a_half_percent_is_not_significant():
    # 7,765 → 7,881: p ≈ 0.35, a change well within chance.
    result = poisson_change_significance(7881, 7765)
    assert result.significant is False
    assert 0.3 < result.p_value < 0.4


@pytest.mark.parametrize("current, previous", [(None, 3), (3, None), (Decimal("2.5"), 3), (-1, 3)])
def test_not_applicable(current, previous):
    assert poisson_change_significance(current, previous) is None


def test_large_counts_take_no_longer_than_small_ones():
    """The test runs in time independent of the counts: 2,000 tests of 50,000 against
    48,000 take well under a second (one outcome at a time, each took 56 ms)."""
    import time

    start = time.perf_counter()
    for _ in range(2000):
        result = poisson_change_significance(50000, 48000)
    assert time.perf_counter() - start < 1.0
    assert result.significant is True
    # 2 × P(X ≤ 48,000) for Binomial(98,000, 1/2): z ≈ −6.39, so p ≈ 1.7e-10
    assert 1e-10 < result.p_value < 3e-10


@pytest.mark.parametrize("k, n", [(0, 1), (1, 1), (0, 7), (500, 1001), (1, 2)])
def test_edges_match_exact_rational_computation(k, n):
    assert binomial_two_sided_p(k, n) == pytest.approx(exact_p(k, n), rel=1e-9)
