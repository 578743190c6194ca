"""Funnel plots for rates (Spiegelhalter 2005, "Funnel plots for comparing
institutional performance", Statistics in Medicine 24: 1185–1202).

Each area's count ``observed`` over its ``population`` is compared with the pooled rate
of all the areas: under the null hypothesis an area of population n sees a Poisson
count with mean ``pooled × n``. The control limits at 95% and 99.8% are that
distribution's quantiles, interpolated between whole counts as Spiegelhalter's appendix
A.1.2 does for discrete data, and drawn as rates. An area beyond the 99.8% limit is
"higher (or lower) than expected" with little chance that it is noise. Plain Python
(scipy's Poisson distribution function only), no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from statistics import NormalDist

LIMITS = {"95%": 0.95, "99.8%": 0.998}


class Verdict(StrEnum):
    HIGHER = "higher"  # above the 99.8% limit
    HIGHER_95 = "higher_95"  # above the 95% limit only
    AS_EXPECTED = "as_expected"
    LOWER_95 = "lower_95"
    LOWER = "lower"

    @property
    def words(self) -> str:
        return VERDICT_WORDS[self]


VERDICT_WORDS = {
    Verdict.HIGHER: "higher than expected (above the 99.8% limit: very unlikely to be chance)",
    Verdict.HIGHER_95: "possibly higher than expected (above the 95% limit only)",
    Verdict.AS_EXPECTED: "within the range expected for an area of its size",
    Verdict.LOWER_95: "possibly lower than expected (below the 95% limit only)",
    Verdict.LOWER: "lower than expected (below the 99.8% limit: very unlikely to be chance)",
}


def poisson_limit(p: float, mean: float) -> float:
    """The p-quantile of Poisson(mean), interpolated between whole counts: with r the
    smallest count with P(X <= r) >= p, the limit is r - (P(X <= r) - p) /
    (P(X <= r) - P(X <= r - 1))."""
    from scipy.special import pdtr  # loaded on first use, as core.significance does

    if mean <= 0:
        return 0.0
    # Start from the normal approximation: a step or two from the answer.
    r = max(int(mean + NormalDist().inv_cdf(p) * mean**0.5), 0)
    while pdtr(r, mean) < p:
        r += 1
    while r > 0 and pdtr(r - 1, mean) >= p:
        r -= 1
    at, below = pdtr(r, mean), (pdtr(r - 1, mean) if r > 0 else 0.0)
    return r - (at - p) / (at - below) if at > below else float(r)


@dataclass(frozen=True)
class Area:
    name: str
    observed: int
    population: int


@dataclass(frozen=True)
class Placed:
    area: Area
    rate: float  # per ``per`` residents
    limits: dict  # "95%" / "99.8%" → (lower, upper) rates at this area's population
    verdict: Verdict


@dataclass(frozen=True)
class Funnel:
    per: int
    pooled_rate: float
    areas: list[Placed]
    curve: list[dict]  # population → limits, for drawing the funnel

    def named(self, verdict: Verdict) -> list[str]:
        return [p.area.name for p in self.areas if p.verdict == verdict]


def _limits(pooled: float, population: int, per: int) -> dict:
    mean = pooled * population
    out = {}
    for name, level in LIMITS.items():
        tail = (1 - level) / 2
        lower = poisson_limit(tail, mean)
        upper = poisson_limit(1 - tail, mean)
        out[name] = (lower / population * per, upper / population * per)
    return out


def _verdict(rate: float, limits: dict) -> Verdict:
    low95, high95 = limits["95%"]
    low998, high998 = limits["99.8%"]
    if rate > high998:
        return Verdict.HIGHER
    if rate < low998:
        return Verdict.LOWER
    if rate > high95:
        return Verdict.HIGHER_95
    if rate < low95:
        return Verdict.LOWER_95
    return Verdict.AS_EXPECTED


def funnel(areas: list[Area], per: int = 1000, points: int = 40) -> Funnel | None:
    """None when fewer than two areas with a population can be compared."""
    areas = [a for a in areas if a.population > 0]
    if len(areas) < 2:
        return None
    pooled = sum(a.observed for a in areas) / sum(a.population for a in areas)
    placed = []
    for area in areas:
        limits = _limits(pooled, area.population, per)
        rate = area.observed / area.population * per
        placed.append(Placed(area, rate, limits, _verdict(rate, limits)))
    smallest = min(a.population for a in areas)
    largest = max(a.population for a in areas)
    low, high = max(int(smallest * 0.8), 1), int(largest * 1.2)
    step = max((high - low) / (points - 1), 1)
    curve = []
    for i in range(points):
        population = int(low + i * step)
        curve.append({"population": population, **_limits(pooled, population, per)})
    return Funnel(per, pooled * per, sorted(placed, key=lambda p: p.area.name), curve)


def as_decimal(rate: float, places: int = 2) -> Decimal:
    return Decimal(str(round(rate, places)))
