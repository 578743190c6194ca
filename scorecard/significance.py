"""Is a year-on-year change in a count more than chance? Plain Python.

Counts of crimes are modelled as Poisson. Conditional on the total a + b, the count this
year is Binomial(a + b, 1/2) when the underlying rate has not changed, so the exact
two-sided test of the rate ratio is a two-sided binomial test (the "exact Poisson test"
statisticians use for comparing two counts). Small numbers rarely give significant
changes, which is the point: "+16.1% on 31 → 36" is not evidence of a real rise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ALPHA = 0.05


@dataclass(frozen=True)
class Significance:
    p_value: float
    significant: bool

    @property
    def label(self) -> str:
        return "significant" if self.significant else "not significant"


def _log_binomial_pmf(k: int, n: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) - n * math.log(2)


def binomial_two_sided_p(k: int, n: int) -> float:
    """Exact two-sided p-value of k successes in n trials with p = 1/2: the total
    probability of outcomes no more likely than the one observed."""
    if n == 0:
        return 1.0
    observed = _log_binomial_pmf(k, n)
    tolerance = 1e-7  # as R's binom.test, so ties in probability are counted
    total = 0.0
    for i in range(n + 1):
        log_p = _log_binomial_pmf(i, n)
        if log_p <= observed + tolerance:
            total += math.exp(log_p)
    return min(1.0, total)


def poisson_change_significance(current, previous, alpha: float = ALPHA) -> Significance | None:
    """None when the test does not apply (missing, negative or non-whole counts)."""
    if current is None or previous is None:
        return None
    if current < 0 or previous < 0 or current != int(current) or previous != int(previous):
        return None
    a, b = int(current), int(previous)
    p = binomial_two_sided_p(a, a + b)
    return Significance(p_value=p, significant=p < alpha)
