from __future__ import annotations

from collections import defaultdict

from django.db.models import Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber

from core.periods import FinancialQuarter
from indicators import rag, spc
from indicators.models import (
    Indicator,
    Priority,
    SeriesBreak,
    Strategy,
    Target,
    strategy_in_force,
)
from returns.models import ApprovedValue


def strategy_for(period: FinancialQuarter | None, strategies=None) -> Strategy | None:
    """The strategy in force for ``period`` (the newest strategy when there is none);
    from ``strategies`` when the caller has them loaded already."""
    if strategies is None:
        strategies = Strategy.objects.all()
    if period is None:
        return max(strategies, key=lambda s: (s.start_year, s.id), default=None)
    return strategy_in_force(strategies, period.year)


def indicators_for_scorecard(strategy: Strategy | None, period: FinancialQuarter | None = None):
    """Exactly the indicators of ``strategy``, in its priority order, each annotated with
    the priority it reports under there (``attach_priorities`` turns that into the
    object). A retired indicator stays on the periods of its last year with figures.
    Targets and series breaks are loaded by ``scorecard_rows`` for the years the period
    needs, not prefetched for all years."""
    if strategy is None:
        return Indicator.objects.none()
    in_use = Q(active=True)
    if period is not None:
        in_use |= Exists(
            ApprovedValue.objects.filter(indicator=OuterRef("pk"), period__year=period.year)
        )
    return (
        Indicator.objects.filter(in_use, places__strategy=strategy)
        .annotate(placed_priority_id=F("places__priority_id"))
        .select_related("owner")
        .order_by("places__priority__order", "places__priority__name", "code")
    )


def attach_priorities(indicators) -> None:
    """Gives each indicator of an ``indicators_for_scorecard`` list its priority object
    (1 query)."""
    priorities = Priority.objects.in_bulk({i.placed_priority_id for i in indicators})
    for indicator in indicators:
        indicator.use_priority(priorities[indicator.placed_priority_id])


def attach_rules(indicators, indicator_ids, years) -> None:
    """Targets for ``years`` and every series break, attached to each indicator (two
    queries). ``indicator_ids`` may be a subquery: a list of 200 ids as parameters costs
    Django more to prepare than the query takes to run."""

    targets: dict[int, dict] = defaultdict(dict)
    for indicator_id, year, kind, value in Target.objects.filter(
        indicator_id__in=indicator_ids, year__in=sorted(years)
    ).values_list("indicator_id", "year", "target_type", "value"):
        targets[indicator_id][year] = rag.TargetRule(type=rag.TargetType(kind), value=value)
    breaks: dict[int, list] = defaultdict(list)
    for indicator_id, year, quarter, reason in (
        SeriesBreak.objects.filter(indicator_id__in=indicator_ids)
        .order_by("year", "quarter")
        .values_list("indicator_id", "year", "quarter", "reason")
    ):
        breaks[indicator_id].append(rag.SeriesBreak(FinancialQuarter(year, quarter), reason))
    for indicator in indicators:
        indicator.use_rules(targets=targets.get(indicator.id, {}), breaks=breaks[indicator.id])


def _by_indicator(rows) -> tuple[dict, dict]:
    """(indicator, year, quarter, value, commentary) rows → {indicator_id: {quarter:
    value}} and the same for commentary, one FinancialQuarter object per quarter."""
    values: dict[int, dict] = defaultdict(dict)
    commentary: dict[int, dict] = defaultdict(dict)
    quarters: dict[tuple, FinancialQuarter] = {}
    for indicator_id, year, quarter, value, text in rows:
        fq = quarters.get((year, quarter))
        if fq is None:
            fq = quarters[(year, quarter)] = FinancialQuarter(year, quarter)
        values[indicator_id][fq] = value
        commentary[indicator_id][fq] = text
    return values, commentary


def approved_values_by_indicator(indicator_ids, years) -> tuple[dict, dict]:
    """{indicator_id: {FinancialQuarter: value}} and the matching commentary, for the
    given financial years. Only figures supplied by the indicator's owner count."""
    rows = (
        ApprovedValue.objects.filter(
            indicator_id__in=indicator_ids,
            period__year__in=years,
            partner_id=F("indicator__owner_id"),
        )
        .values_list("indicator_id", "period__year", "period__quarter", "value", "commentary")
        .order_by()
    )
    return _by_indicator(rows)


def approved_window(indicator_ids, period: FinancialQuarter, points: int = spc.MAX_POINTS):
    """The latest ``points`` approved values of each indicator up to ``period``, and their
    commentary, in one query whatever the number of years stored. They hold everything
    the RAG rules need as well (this year and last year to date, for this quarter and the
    one before) because those quarters are the most recent eight."""
    rows = (
        ApprovedValue.objects.filter(
            Q(period__year__lt=period.year)
            | Q(period__year=period.year, period__quarter__lte=period.quarter),
            indicator_id__in=indicator_ids,
            partner_id=F("indicator__owner_id"),
        )
        .annotate(
            recency=Window(
                RowNumber(),
                partition_by=[F("indicator_id")],
                order_by=[F("period__year").desc(), F("period__quarter").desc()],
            )
        )
        .filter(recency__lte=points)
        .values_list("indicator_id", "period__year", "period__quarter", "value", "commentary")
        .order_by()
    )
    return _by_indicator(rows)
