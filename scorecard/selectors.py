"""Read queries for the scorecard. Each function runs a fixed number of queries, however
many indicators, partners and years there are, and then computes RAG in one pass."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber

from indicators import rag, spc
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
    spc: spc.SpcResult = spc.NO_RESULT

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

    @property
    def is_exception(self) -> bool:
        return bool(self.exception_reasons)

    @property
    def exception_reasons(self) -> list[str]:
        reasons = []
        if self.assessment.rag == rag.Rag.RED:
            reasons.append("Red against target")
        if self.worsening_two_periods:
            reasons.append("Worsening two periods running")
        if self.is_special_cause_concern:
            reasons.append(self.spc.variation.label)
        return reasons


def indicators_for_scorecard():
    """Active indicators in scorecard order. Their targets and series breaks are loaded
    by ``scorecard_rows`` for the years the period needs, not prefetched for all years."""
    return (
        Indicator.objects.filter(active=True)
        .select_related("priority__strategy", "owner")
        .order_by("priority__strategy__start_year", "priority__order", "code")
    )


def attach_rules(indicators, indicator_ids, years) -> None:
    """Targets for ``years`` and every series break, attached to each indicator (two
    queries). ``indicator_ids`` may be a subquery: a list of 200 ids as parameters costs
    Django more to prepare than the query takes to run."""
    from indicators.models import SeriesBreak, Target

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
    """Every indicator's assessment and SPC reading for ``period`` (4 queries in all,
    whatever the number of indicators and years stored)."""
    queryset = indicators if indicators is not None else indicators_for_scorecard()
    indicators = list(queryset)
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


def latest_period_with_approved_data() -> ReportingPeriod | None:
    return (
        ReportingPeriod.objects.filter(approved_values__isnull=False)
        .order_by("-year", "-quarter")
        .first()
    )


def latest_rated_period(periods: list[ReportingPeriod]) -> FinancialQuarter | None:
    """The newest of ``periods`` in a financial year that has targets (1 query), else the
    newest of them."""
    from indicators.models import Target

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
    return (
        Indicator.objects.select_related("priority__strategy", "owner")
        .prefetch_related("targets", "breaks")
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


@dataclass
class EntryContext:
    """What a lead sees beside an input, and what the submit rules need."""

    indicator: Indicator
    last_quarter: Decimal | None
    same_quarter_last_year: Decimal | None
    approved_values: dict  # {FinancialQuarter: value}, for the RAG preview

    def preview(self, period: FinancialQuarter, value: Decimal | None) -> rag.Assessment:
        values = dict(self.approved_values)
        values[period] = value
        return rag.assess(
            self.indicator.rules(), self.indicator.target_rule_for(period.year), values, period
        )

    def target_guide(self, period: FinancialQuarter) -> dict | None:
        """This year's target and, in terms of this quarter's own figure, the value at
        which the scorecard turns red, so a lead knows before submitting."""
        indicator = self.indicator
        rules = indicator.rules()
        rule = indicator.target_rule_for(period.year)
        if rule.type == rag.TargetType.NONE or rules.polarity == rag.Polarity.MONITOR:
            return None
        comparison = rag.measure_for(rules, self.approved_values, period.same_quarter_last_year())
        target = rag.period_target(rules, rule, period, comparison)
        threshold = rag.red_threshold(rules, target)
        if threshold is not None and rules.measure == rag.Measure.COUNT:
            earlier = [self.approved_values.get(q) for q in period.quarters_to_date()[:-1]]
            threshold = None if None in earlier else threshold - sum(earlier, Decimal(0))
        return {
            "rule": rule,
            "period_target": target,
            "red_threshold": threshold,
            "red_word": "above" if rules.polarity == rag.Polarity.LOWER_IS_BETTER else "below",
        }

    def validation_context(self, period: FinancialQuarter, value: Decimal | None):
        from scorecard.validation import Context

        return Context(
            rules=self.indicator.rules(),
            outlier_band_pct=self.indicator.outlier_band_pct,
            same_quarter_last_year=self.same_quarter_last_year,
            rag_preview=self.preview(period, value).rag if value is not None else None,
        )


def entry_contexts(partner, period: FinancialQuarter) -> list[EntryContext]:
    """The partner's active indicators with last quarter's and last year's approved
    values (3 queries)."""
    indicators = list(
        Indicator.objects.filter(owner=partner, active=True)
        .select_related("priority")
        .prefetch_related("targets")
        .order_by("priority__order", "code")
    )
    years = {period.year, period.year - 1, period.previous().year}
    values, _ = approved_values_by_indicator([i.id for i in indicators], years)
    contexts = []
    for indicator in indicators:
        own = values.get(indicator.id, {})
        contexts.append(
            EntryContext(
                indicator=indicator,
                last_quarter=own.get(period.previous()),
                same_quarter_last_year=own.get(period.same_quarter_last_year()),
                approved_values=own,
            )
        )
    return contexts


# --- returns ----------------------------------------------------------------------

RECENT_PERIODS = 6
OVERDUE_IN_DAYS = 28  # beyond four weeks, say since when rather than how many days


@dataclass
class ReturnSlot:
    """A return that is expected of a partner for a period, started or not."""

    partner: object
    period: ReportingPeriod
    quarterly_return: object | None
    today: object

    @property
    def status_key(self) -> str:
        return self.quarterly_return.status if self.quarterly_return else "not_started"

    @property
    def status_label(self) -> str:
        if self.quarterly_return is None:
            return "Not started"
        return self.quarterly_return.get_status_display()

    @property
    def days_left(self) -> int:
        return (self.period.deadline - self.today).days

    @property
    def is_done(self) -> bool:
        return self.status_key in ("submitted", "approved")

    @property
    def is_overdue(self) -> bool:
        """A correction is never overdue: the return was in on time once already."""
        return not self.is_done and self.status_key != "reopened" and self.days_left < 0

    @property
    def deadline_text(self) -> str:
        """'12 days left', 'Due today', '3 days overdue' and, past a few weeks, 'Overdue
        since 28 July 2020' ('2,312 days overdue' says nothing useful)."""
        if self.status_key == "reopened":
            return "Correction requested"
        days = self.days_left
        if days > 1:
            return f"{days} days left"
        if days == 1:
            return "1 day left"
        if days == 0:
            return "Due today"
        if days == -1:
            return "1 day overdue"
        if days >= -OVERDUE_IN_DAYS:
            return f"{-days} days overdue"
        deadline = self.period.deadline
        return f"Overdue since {deadline.day} {deadline:%B %Y}"

    @property
    def timeliness(self) -> str:
        """on_time / late / missing / due (not yet at the deadline) / imported."""
        r = self.quarterly_return
        if r is not None and r.submitted_at is not None:
            return "on_time" if r.submitted_on_time() else "late"
        if r is not None and r.status in ("approved", "reopened"):
            return "imported"  # loaded as history, never submitted through the app
        return "missing" if self.days_left < 0 else "due"


def return_slots(partners, periods, today) -> list[ReturnSlot]:
    from scorecard.models import QuarterlyReturn

    partners, periods = list(partners), list(periods)
    existing = {
        (r.partner_id, r.period_id): r
        for r in QuarterlyReturn.objects.filter(
            partner__in=partners, period__in=periods
        ).select_related("partner", "period")
    }
    return [
        ReturnSlot(partner, period, existing.get((partner.id, period.id)), today)
        for period in periods
        for partner in partners
    ]


def periods_for_my_returns():
    """Open periods first, then the most recent closed ones."""
    open_periods = list(ReportingPeriod.objects.filter(is_open=True).order_by("-year", "-quarter"))
    recent = list(
        ReportingPeriod.objects.filter(is_open=False).order_by("-year", "-quarter")[:RECENT_PERIODS]
    )
    return open_periods + recent


@dataclass
class ReviewLine:
    indicator: Indicator
    value: object  # ReturnValue or None
    last_year: Decimal | None
    preview: rag.Assessment
    outlier: bool


def review_lines(quarterly_return, contexts=None) -> list[ReviewLine]:
    from scorecard.validation import Entry, is_outlier

    fq = quarterly_return.period.fq
    contexts = contexts if contexts is not None else entry_contexts(quarterly_return.partner, fq)
    stored = {v.indicator_id: v for v in quarterly_return.values.all()}
    lines = []
    for context in contexts:
        row = stored.get(context.indicator.id)
        value = None if row is None or row.not_available else row.value
        lines.append(
            ReviewLine(
                indicator=context.indicator,
                value=row,
                last_year=context.same_quarter_last_year,
                preview=context.preview(fq, value),
                outlier=is_outlier(Entry(value=value), context.validation_context(fq, value)),
            )
        )
    return lines


def review_queue():
    """Submitted returns, oldest submission first, each with its lines (fixed queries)."""
    from scorecard.models import QuarterlyReturn

    returns = list(
        QuarterlyReturn.objects.filter(status=QuarterlyReturn.Status.SUBMITTED)
        .select_related("partner", "period", "submitted_by")
        .prefetch_related("values")
        .order_by("submitted_at", "id")
    )
    if not returns:
        return []
    partner_ids = {r.partner_id for r in returns}
    indicators = list(
        Indicator.objects.filter(owner_id__in=partner_ids, active=True)
        .select_related("priority")
        .prefetch_related("targets")
        .order_by("priority__order", "code")
    )
    years = set()
    for r in returns:
        fq = r.period.fq
        years |= {fq.year, fq.year - 1, fq.previous().year}
    values, _ = approved_values_by_indicator([i.id for i in indicators], years)
    items = []
    for r in returns:
        fq = r.period.fq
        contexts = [
            EntryContext(
                indicator=i,
                last_quarter=values.get(i.id, {}).get(fq.previous()),
                same_quarter_last_year=values.get(i.id, {}).get(fq.same_quarter_last_year()),
                approved_values=values.get(i.id, {}),
            )
            for i in indicators
            if i.owner_id == r.partner_id
        ]
        items.append((r, review_lines(r, contexts)))
    return items
