"""Submitted figures against police.uk's: for the return form, the review queue, the
return's page and ``police_uk_reconcile``. police.uk's side is ``policeuk.selectors``;
the rule is ``policeuk.reconcile``; this module brings the partnership's figures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F

from core.formatting import fixed_places, format_change, grouped_number, plain_number
from core.periods import FinancialQuarter
from policeuk import selectors as police_uk
from policeuk.reconcile import Reconciliation
from returns.models import ApprovedValue, QuarterlyReturn, ReturnValue

RECONCILE_COLUMNS = [
    "indicator",
    "period",
    "submitted",
    "police_uk",
    "difference",
    "difference_pct",
    "within_tolerance",
    "months",
    "unlocated",
]


@dataclass(frozen=True)
class PoliceUkCheck:
    figure: police_uk.QuarterFigure
    result: Reconciliation

    @property
    def flagged(self) -> bool:
        return self.result.outside_tolerance

    @property
    def difference_text(self) -> str:
        """ "+9.8% (+172) against police.uk" for the queue and the return's page."""
        result = self.result
        if result.difference is None:
            return ""
        shown = f"{'+' if result.difference > 0 else ''}{grouped_number(result.difference)}"
        if result.difference_pct is None:
            return f"{shown} against police.uk"
        return f"{format_change(result.difference_pct)} ({shown}) against police.uk"

    @property
    def commentary_needed(self) -> str:
        result = self.result
        return (
            f"This figure is {abs(result.difference_pct or 0)}% "
            f"{'above' if result.difference > 0 else 'below'} police.uk's "
            f"{grouped_number(Decimal(result.police_uk))} for {self.figure.month_range}, outside "
            f"the ±{result.tolerance_pct}% tolerance. Add a commentary explaining the difference"
        )


@dataclass(frozen=True)
class PoliceUkSource:
    """police.uk's side, read once for a page: {indicator id: mapping} and police.uk's
    figures by (indicator id, quarter)."""

    mappings: dict
    figures: dict

    @classmethod
    def read(cls, indicator_ids, quarters: list[FinancialQuarter]) -> PoliceUkSource:
        """The mappings of ``indicator_ids`` (None: every mapped one) and their figures
        for ``quarters`` (three queries, one when nothing is mapped)."""
        mappings = police_uk.mappings(None if indicator_ids is None else list(indicator_ids))
        return cls(mappings, police_uk.quarter_figures(mappings, quarters))


def checks_for(
    values: dict[int, Decimal | None],
    fq: FinancialQuarter,
    source: PoliceUkSource | None = None,
) -> dict[int, PoliceUkCheck]:
    """{indicator id: its check} for the mapped indicators among ``values`` (indicator
    id → figure). A page that needs police.uk's side more than once reads ``source``
    once and passes it."""
    if source is None:
        source = PoliceUkSource.read(values, [fq])
    checks = {}
    for indicator_id, mapping in source.mappings.items():
        figure = source.figures.get((indicator_id, fq))
        if indicator_id not in values or figure is None:
            continue
        checks[indicator_id] = PoliceUkCheck(
            figure, figure.against(values[indicator_id], mapping.tolerance)
        )
    return checks


def submitted_figures(fq: FinancialQuarter, indicator_ids) -> dict[int, Decimal | None]:
    """The owner's approved figure for ``fq``, or if none the one in its submitted
    return (two queries)."""
    figures = dict(
        ReturnValue.objects.filter(
            indicator_id__in=indicator_ids,
            quarterly_return__period__year=fq.year,
            quarterly_return__period__quarter=fq.quarter,
            quarterly_return__status=QuarterlyReturn.Status.SUBMITTED,
            quarterly_return__partner_id=F("indicator__owner_id"),
            not_available=False,
        ).values_list("indicator_id", "value")
    )
    figures.update(
        ApprovedValue.objects.filter(
            indicator_id__in=indicator_ids,
            period__year=fq.year,
            period__quarter=fq.quarter,
            partner_id=F("indicator__owner_id"),
        ).values_list("indicator_id", "value")
    )
    return figures


def period_rows(fq: FinancialQuarter) -> list[tuple[object, PoliceUkCheck]]:
    """(indicator, check) for every mapped indicator, by code (four queries)."""
    source = PoliceUkSource.read(None, [fq])
    submitted = submitted_figures(fq, list(source.mappings))
    values = {i: submitted.get(i) for i in source.mappings}
    checks = checks_for(values, fq, source)
    return sorted(
        ((source.mappings[i].indicator, check) for i, check in checks.items()),
        key=lambda pair: pair[0].code,
    )


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def csv_row(indicator, fq: FinancialQuarter, check: PoliceUkCheck) -> dict[str, str]:
    result = check.result
    return {
        "indicator": indicator.code,
        "period": fq.label,
        "submitted": plain_number(result.submitted),
        "police_uk": "" if result.police_uk is None else str(result.police_uk),
        "difference": plain_number(result.difference),
        "difference_pct": fixed_places(result.difference_pct, 1),
        "within_tolerance": _yes_no(result.within_tolerance),
        "months": str(result.months),
        "unlocated": str(result.unlocated),
    }


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def json_row(indicator, fq: FinancialQuarter, check: PoliceUkCheck) -> dict:
    """The same columns, typed: numbers as numbers, blanks as null."""
    result = check.result
    return {
        "indicator": indicator.code,
        "period": fq.label,
        "submitted": _number(result.submitted),
        "police_uk": result.police_uk,
        "difference": _number(result.difference),
        "difference_pct": None if result.difference_pct is None else float(result.difference_pct),
        "within_tolerance": _yes_no(result.within_tolerance) or None,
        "months": result.months,
        "unlocated": result.unlocated,
    }
