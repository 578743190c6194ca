"""How a partnership's count compares with the other partnerships that share the same
indicator: rates per 1,000 residents on a funnel plot (``indicators.funnel``).

Only partnerships that agreed to share the indicator (``share_with_peers``, off by
default) are compared or named, and only if this partnership shares it too. Read
across partnerships deliberately, in three queries however many share it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch

from core.periods import financial_year_label
from indicators import funnel
from indicators.models import Indicator
from partnerships.models import Population
from returns.models import ApprovedValue

PER = 1000


@dataclass
class PeerRow:
    name: str
    observed: int
    population: int
    rate: float
    limits: dict
    verdict: funnel.Verdict
    is_us: bool


@dataclass
class PeerComparison:
    year_label: str
    result: funnel.Funnel
    rows: list[PeerRow]
    left_out: list[str]  # sharing, but without the year's four quarters or residents

    @property
    def summary(self) -> str:
        higher = [r.name for r in self.rows if r.verdict == funnel.Verdict.HIGHER]
        lower = [r.name for r in self.rows if r.verdict == funnel.Verdict.LOWER]
        parts = [
            f"{len(self.rows)} partnerships that share this indicator, {self.year_label}, "
            f"rate per {PER:,} residents (all of them together: {self.result.pooled_rate:,.2f})."
        ]
        for names, words in ((higher, "higher"), (lower, "lower")):
            if names:
                verb = "was" if len(names) == 1 else "were"
                parts.append(
                    f"{_and(names)} {verb} {words} than expected for an area of "
                    f"{'its' if len(names) == 1 else 'their'} size (beyond the 99.8% limit: "
                    "very unlikely to be chance)."
                )
        if not higher and not lower:
            parts.append("None was higher or lower than expected for an area of its size.")
        return " ".join(parts)


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def peer_comparison(indicator: Indicator) -> PeerComparison | None:
    if indicator.measure != Indicator.Measure.COUNT or not indicator.share_with_peers:
        return None
    peers = list(
        Indicator.objects.across_partnerships()
        .filter(code=indicator.code, measure=Indicator.Measure.COUNT, share_with_peers=True)
        .select_related("partnership")
        .prefetch_related(
            Prefetch("partnership__populations", queryset=Population.objects.order_by("year"))
        )
    )
    if len(peers) < 2:
        return None
    quarters: dict[int, dict[int, dict[int, object]]] = defaultdict(lambda: defaultdict(dict))
    for indicator_id, year, quarter, value in (
        ApprovedValue.objects.across_partnerships()
        .filter(indicator__in=peers)
        .values_list("indicator_id", "period__year", "period__quarter", "value")
    ):
        quarters[indicator_id][year][quarter] = value
    ours = quarters.get(indicator.pk, {})
    full_years = [year for year, q in ours.items() if len(q) == 4]
    if not full_years:
        return None
    year = max(full_years)
    areas, left_out, by_name = [], [], {}
    for peer in peers:
        values = quarters.get(peer.pk, {}).get(year, {})
        population = peer.partnership.population_in(year)
        name = peer.partnership.name
        if len(values) < 4 or not population:
            left_out.append(name)
            continue
        areas.append(funnel.Area(name, int(sum(values.values())), population))
        by_name[name] = peer
    result = funnel.funnel(areas, per=PER)
    if result is None:
        return None
    rows = [
        PeerRow(
            name=p.area.name,
            observed=p.area.observed,
            population=p.area.population,
            rate=p.rate,
            limits=p.limits,
            verdict=p.verdict,
            is_us=by_name[p.area.name].pk == indicator.pk,
        )
        for p in result.areas
    ]
    return PeerComparison(financial_year_label(year), result, rows, sorted(left_out))
