"""Read queries for the scorecard. Each function runs a fixed number of queries, however
many indicators, partners and years there are, and then computes RAG in one pass."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from core.periods import FinancialQuarter
from indicators import rag, spc
from indicators.models import Indicator, Priority, Target
from partners.models import Partner
from reporting import exceptions
from returns.approved import (
    approved_window,
    attach_priorities,
    attach_rules,
    indicators_for_scorecard,
    strategy_for,
)
from returns.expected import expected_by_period
from returns.models import ApprovedValue, ReportingPeriod
from returns.quality import outliers


@dataclass
class ScorecardRow:
    indicator: Indicator
    assessment: rag.Assessment
    commentary: str = ""
    previous: rag.Assessment | None = None  # the quarter before, for "worsening twice"
    values: dict = field(default_factory=dict, repr=False)
    spc: spc.SpcResult = spc.NO_RESULT
    # Where a row is not from one strategy's scorecard (an indicator's history), the
    # priority it reported under in that period's strategy.
    priority_override: Priority | None = None
    provisional: bool = False  # its owner's return for the quarter is not approved yet

    @property
    def priority(self) -> Priority | None:
        return self.priority_override or self.indicator.priority

    @property
    def is_special_cause_concern(self) -> bool:
        return self.spc.variation is not None and self.spc.variation.kind == "concern"

    @property
    def worsening_two_periods(self) -> bool:
        return (
            self.assessment.direction == rag.Direction.WORSENING
            and self.previous is not None
            and self.previous.direction == rag.Direction.WORSENING
        )

    @cached_property
    def outlier(self) -> outliers.Check:
        """The latest figure against its own history: the same rule as the return form
        and the review queue."""
        period, indicator = self.assessment.period, self.indicator
        return outliers.check_figure(
            self.values.get(period),
            period,
            self.values,
            band_pct=indicator.outlier_band_pct,
            series_start=outliers.series_start(indicator.series_breaks(), period),
            caution_below=indicator.caution_below,
        )

    @property
    def is_outlier(self) -> bool:
        return self.outlier.is_outlier

    @property
    def outlier_reason(self) -> str:
        return self.outlier.reason(self.assessment.period, self.indicator.measure)

    @property
    def is_exception(self) -> bool:
        return bool(self.exception_reasons)

    @property
    def exception_reasons(self) -> list[str]:
        return exceptions.exception_reasons(
            red=self.assessment.rag == rag.Rag.RED,
            worsening_two_periods=self.worsening_two_periods,
            outlier=self.outlier_reason,
            special_cause_concern=self.spc.variation.label if self.is_special_cause_concern else "",
        )

    @property
    def caution_reasons(self) -> list[str]:
        return exceptions.caution_reasons(
            caution=self.assessment.caution, caution_reason=self.assessment.caution_reason
        )


def assess_row(indicator, period: FinancialQuarter, values: dict, commentary: str = ""):
    rules = indicator.rules()
    breaks = indicator.series_breaks()
    target = indicator.target_rule_for(period.year)
    previous_quarter = period.previous()
    return ScorecardRow(
        indicator=indicator,
        assessment=rag.assess(rules, target, values, period, breaks),
        previous=rag.assess(
            rules,
            indicator.target_rule_for(previous_quarter.year),
            values,
            previous_quarter,
            breaks,
        ),
        commentary=commentary,
        values=values,
        spc=spc.analyse(rules, target, values, period, breaks),
    )


def scorecard_rows(period: FinancialQuarter, indicators=None) -> list[ScorecardRow]:
    """Every indicator's assessment and SPC reading for ``period``: by default the
    indicators of the strategy in force then (6 queries in all, whatever the number of
    indicators and years stored)."""
    if indicators is None:
        indicators = indicators_for_scorecard(strategy_for(period), period)
    queryset = indicators
    indicators = list(queryset)
    attach_priorities(indicators)
    ids = queryset.values("id")
    attach_rules(indicators, ids, {period.year, period.previous().year})
    values, commentary = approved_window(ids, period)
    return [
        assess_row(
            indicator,
            period,
            values.get(indicator.id, {}),
            commentary.get(indicator.id, {}).get(period, ""),
        )
        for indicator in indicators
    ]


def latest_rated_period(periods: list[ReportingPeriod]) -> FinancialQuarter | None:
    """The newest of ``periods`` in a financial year that has targets (1 query), else the
    newest of them."""

    if not periods:
        return None
    years = set(
        Target.objects.exclude(target_type="none")
        .filter(year__in={p.year for p in periods})
        .values_list("year", flat=True)
        .distinct()
    )
    rated = next((p for p in periods if p.year in years), periods[0])
    return rated.fq


@dataclass(frozen=True)
class Completeness:
    """Whose returns for a quarter are approved: every partner owning an active
    indicator of the strategy in force is expected."""

    period: FinancialQuarter
    expected: list[Partner]
    missing: list[Partner]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def missing_ids(self) -> set[int]:
        return {p.id for p in self.missing}

    @property
    def message(self) -> str:
        n, total = len(self.missing), len(self.expected)
        return f"{n} of {total} partners' returns not yet approved — figures are provisional"


def completeness_by_period(
    periods: list[ReportingPeriod], strategies=None
) -> dict[FinancialQuarter, Completeness]:
    """Each period's completeness (three queries, two given the strategies, whatever the
    number of periods)."""
    if not periods:
        return {}
    expected = expected_by_period(periods, strategies)
    approved: dict[int, set[int]] = {}
    for period_id, partner_id in (
        ApprovedValue.objects.filter(period__in=[p.pk for p in periods])
        .values_list("period_id", "partner_id")
        .distinct()
    ):
        approved.setdefault(period_id, set()).add(partner_id)
    found = {}
    for period in periods:
        done = approved.get(period.pk, set())
        partners = expected[period.pk]
        found[period.fq] = Completeness(
            period.fq, partners, [p for p in partners if p.id not in done]
        )
    return found


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
        priority = row.priority
        entry = by_priority.setdefault(
            priority.id, {"priority": priority, "counts": dict.fromkeys(RAG_SUMMARY_ORDER, 0)}
        )
        entry["counts"][row.assessment.rag] += 1
    summary = list(by_priority.values())
    for entry in summary:
        entry["cells"] = [entry["counts"][r] for r in RAG_SUMMARY_ORDER]
        entry["total"] = sum(entry["cells"])
        # the stacked bar: one labelled segment per RAG status present
        entry["segments"] = [
            {"rag": r.value, "label": r.label, "count": entry["counts"][r]}
            for r in RAG_SUMMARY_ORDER
            if entry["counts"][r]
        ]
    return summary


@dataclass
class HistoryPoint:
    period: FinancialQuarter
    value: Decimal | None
    commentary: str
    approved_by: str
    approved_at: object
    assessment: rag.Assessment
    spc: spc.SpcResult = spc.NO_RESULT


def indicator_for_page(code: str):
    """One indicator with its targets, breaks and places in strategies; its priority is
    the one in its latest strategy."""
    indicator = (
        Indicator.objects.select_related("owner")
        .prefetch_related("targets", "breaks", "places__priority__strategy")
        .get(code=code)
    )
    place = indicator.latest_place()
    if place is not None:
        indicator.use_priority(place.priority)
    return indicator


def indicator_history(indicator) -> list[HistoryPoint]:
    """Every approved quarter of one indicator, oldest first, each assessed (1 query)."""
    approved = list(
        ApprovedValue.objects.filter(indicator=indicator, partner_id=indicator.owner_id)
        .select_related("period", "approved_by")
        .order_by("period__year", "period__quarter")
    )
    values = {a.period.fq: a.value for a in approved}
    rules = indicator.rules()
    breaks = indicator.series_breaks()
    points = []
    for a in approved:
        fq = a.period.fq
        target = indicator.target_rule_for(fq.year)
        points.append(
            HistoryPoint(
                period=fq,
                value=a.value,
                commentary=a.commentary,
                approved_by=(a.approved_by.get_full_name() or a.approved_by.username)
                if a.approved_by
                else "Imported",
                approved_at=a.approved_at,
                assessment=rag.assess(rules, target, values, fq, breaks),
                spc=spc.analyse(rules, target, values, fq, breaks),
            )
        )
    return points


def history_rows(indicator, history: list[HistoryPoint], priority_for=None) -> list[ScorecardRow]:
    """An indicator's history as scorecard rows, each with what its exceptions need (the
    figures before it, the quarter before's assessment), so a quarter of the history
    reads exactly as it did on that quarter's scorecard."""
    values = {h.period: h.value for h in history}
    by_period = {h.period: h for h in history}
    return [
        ScorecardRow(
            indicator=indicator,
            assessment=h.assessment,
            commentary=h.commentary,
            previous=by_period[h.period.previous()].assessment
            if h.period.previous() in by_period
            else None,
            values=values,
            spc=h.spc,
            priority_override=priority_for(h.period.year) if priority_for else None,
        )
        for h in history
    ]


# --- returns ----------------------------------------------------------------------


# --- annual targets (set-up) ---------------------------------------------------------
