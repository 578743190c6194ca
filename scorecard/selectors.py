"""Read queries for the scorecard. Each function runs a fixed number of queries, however
many indicators, partners and years there are, and then computes RAG in one pass."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F

from indicators import rag
from indicators.models import Indicator
from scorecard.models import ApprovedValue, ReportingPeriod
from scorecard.periods import FinancialQuarter


@dataclass
class ScorecardRow:
    indicator: Indicator
    assessment: rag.Assessment
    commentary: str = ""
    previous: rag.Assessment | None = None  # the quarter before, for "worsening twice"
    values: dict = field(default_factory=dict, repr=False)

    @property
    def worsening_two_periods(self) -> bool:
        return (
            self.assessment.direction == rag.Direction.WORSENING
            and self.previous is not None
            and self.previous.direction == rag.Direction.WORSENING
        )

    @property
    def is_exception(self) -> bool:
        return self.assessment.rag == rag.Rag.RED or self.worsening_two_periods


def indicators_for_scorecard():
    return (
        Indicator.objects.filter(active=True)
        .select_related("priority__strategy", "owner")
        .prefetch_related("targets")
        .order_by("priority__strategy__start_year", "priority__order", "code")
    )


def approved_values_by_indicator(indicator_ids, years) -> tuple[dict, dict]:
    """{indicator_id: {FinancialQuarter: value}} and the matching commentary, for the
    given financial years. Only figures supplied by the indicator's owner count."""
    values: dict[int, dict] = defaultdict(dict)
    commentary: dict[int, dict] = defaultdict(dict)
    rows = (
        ApprovedValue.objects.filter(
            indicator_id__in=indicator_ids,
            period__year__in=years,
            partner_id=F("indicator__owner_id"),
        )
        .values_list("indicator_id", "period__year", "period__quarter", "value", "commentary")
        .order_by()
    )
    for indicator_id, year, quarter, value, text in rows:
        fq = FinancialQuarter(year, quarter)
        values[indicator_id][fq] = value
        commentary[indicator_id][fq] = text
    return values, commentary


def scorecard_rows(period: FinancialQuarter, indicators=None) -> list[ScorecardRow]:
    """Every indicator's assessment for ``period`` (3 queries in all)."""
    indicators = list(indicators if indicators is not None else indicators_for_scorecard())
    previous_quarter = period.previous()
    years = {period.year, period.year - 1, previous_quarter.year, previous_quarter.year - 1}
    values, commentary = approved_values_by_indicator([i.id for i in indicators], years)
    rows = []
    for indicator in indicators:
        rules = indicator.rules()
        own_values = values.get(indicator.id, {})
        rows.append(
            ScorecardRow(
                indicator=indicator,
                assessment=rag.assess(
                    rules, indicator.target_rule_for(period.year), own_values, period
                ),
                previous=rag.assess(
                    rules,
                    indicator.target_rule_for(previous_quarter.year),
                    own_values,
                    previous_quarter,
                ),
                commentary=commentary.get(indicator.id, {}).get(period, ""),
                values=own_values,
            )
        )
    return rows


def latest_period_with_approved_data() -> ReportingPeriod | None:
    return (
        ReportingPeriod.objects.filter(approved_values__isnull=False)
        .order_by("-year", "-quarter")
        .first()
    )


def value_or_none(value) -> Decimal | None:
    return value if value is None else Decimal(value)


def periods_with_approved_data() -> list[ReportingPeriod]:
    return list(
        ReportingPeriod.objects.filter(approved_values__isnull=False)
        .distinct()
        .order_by("-year", "-quarter")
    )


RAG_SUMMARY_ORDER = [rag.Rag.RED, rag.Rag.AMBER, rag.Rag.GREEN, rag.Rag.GREY, rag.Rag.NOT_RATED]


def rag_summary_by_priority(rows: list[ScorecardRow]) -> list[dict]:
    """[{priority, counts: {Rag: n}, total}] in priority order, plus an 'All' line."""
    by_priority: dict = {}
    for row in rows:
        priority = row.indicator.priority
        entry = by_priority.setdefault(
            priority.id, {"priority": priority, "counts": dict.fromkeys(RAG_SUMMARY_ORDER, 0)}
        )
        entry["counts"][row.assessment.rag] += 1
    summary = list(by_priority.values())
    for entry in summary:
        entry["cells"] = [entry["counts"][r] for r in RAG_SUMMARY_ORDER]
        entry["total"] = sum(entry["cells"])
    return summary


@dataclass
class HistoryPoint:
    period: FinancialQuarter
    value: Decimal | None
    commentary: str
    approved_by: str
    approved_at: object
    assessment: rag.Assessment


def indicator_for_page(code: str):
    return (
        Indicator.objects.select_related("priority__strategy", "owner")
        .prefetch_related("targets")
        .get(code=code)
    )


def indicator_history(indicator) -> list[HistoryPoint]:
    """Every approved quarter of one indicator, oldest first, each assessed (1 query)."""
    approved = list(
        ApprovedValue.objects.filter(indicator=indicator, partner_id=indicator.owner_id)
        .select_related("period", "approved_by")
        .order_by("period__year", "period__quarter")
    )
    values = {a.period.fq: a.value for a in approved}
    rules = indicator.rules()
    points = []
    for a in approved:
        fq = a.period.fq
        points.append(
            HistoryPoint(
                period=fq,
                value=a.value,
                commentary=a.commentary,
                approved_by=(a.approved_by.get_full_name() or a.approved_by.username)
                if a.approved_by
                else "Imported",
                approved_at=a.approved_at,
                assessment=rag.assess(rules, indicator.target_rule_for(fq.year), values, fq),
            )
        )
    return points
