"""police.uk's figure for an indicator and quarter, read in a fixed number of queries
however many indicators and quarters a page shows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Sum

from core.periods import FinancialQuarter
from policeuk.crime_types import month_range_label, months_of_quarter
from policeuk.models import Location, Lsoa, PoliceUkCount, PoliceUkMapping, PoliceUkMonth
from policeuk.reconcile import Reconciliation, reconcile
from policeuk.services import area_signature


@dataclass(frozen=True)
class QuarterFigure:
    quarter: FinancialQuarter
    police_uk: int | None  # None: none of the quarter's months is imported
    months: int
    unlocated: int
    imported_at: datetime | None

    @property
    def month_range(self) -> str:
        return month_range_label(months_of_quarter(self.quarter.start))

    @property
    def label(self) -> str:
        """ "police.uk: 1,912 (Jan–Mar 2020, 3 months)"."""
        if self.police_uk is None:
            return f"police.uk: not imported ({self.month_range})"
        months = "1 month" if self.months == 1 else f"{self.months} months"
        return f"police.uk: {self.police_uk:,} ({self.month_range}, {months})"

    def against(self, submitted: Decimal | None, tolerance_pct: Decimal) -> Reconciliation:
        """A submitted (or approved) figure for the quarter against this one."""
        return reconcile(
            submitted=submitted,
            police_uk=self.police_uk,
            months=self.months,
            unlocated=self.unlocated,
            tolerance_pct=tolerance_pct,
        )


def mappings(indicators=None) -> dict[int, PoliceUkMapping]:
    """{indicator id: mapping}, for ``indicators`` or every mapped one (one query)."""
    found = PoliceUkMapping.objects.select_related("indicator")
    if indicators is not None:
        found = found.filter(indicator__in=indicators)
    return {m.indicator_id: m for m in found}


def quarter_figures(
    found: dict[int, PoliceUkMapping], quarters: list[FinancialQuarter]
) -> dict[tuple[int, FinancialQuarter], QuarterFigure]:
    """{(indicator id, quarter): police.uk's figure} for each mapping and quarter (two
    queries, none when nothing is mapped)."""
    if not found or not quarters:
        return {}
    months = {q: months_of_quarter(q.start) for q in quarters}
    wanted = sorted({m for ms in months.values() for m in ms})
    types = sorted({t for m in found.values() for t in m.crime_types})
    counts: dict[tuple[date, str, str], int] = {}
    for month, crime_type, location, total in (
        PoliceUkCount.objects.filter(
            month__in=wanted,
            crime_type__in=types,
            location__in=[Location.IN_AREA, Location.UNLOCATED],
        )
        .values_list("month", "crime_type", "location")
        .annotate(total=Sum("count"))
        .values_list("month", "crime_type", "location", "total")
        .order_by()
    ):
        counts[month, crime_type, location] = total
    imported: dict[date, datetime] = {}
    for month, at in PoliceUkMonth.objects.filter(month__in=wanted).values_list(
        "month", "imported_at"
    ):
        imported[month] = max(at, imported.get(month, at))
    figures = {}
    for indicator_id, mapping in found.items():
        for quarter in quarters:
            present = [m for m in months[quarter] if m in imported]
            figures[indicator_id, quarter] = QuarterFigure(
                quarter=quarter,
                police_uk=(
                    sum(
                        counts.get((m, t, Location.IN_AREA), 0)
                        for m in present
                        for t in mapping.crime_types
                    )
                    if present
                    else None
                ),
                months=len(present),
                unlocated=sum(
                    counts.get((m, t, Location.UNLOCATED), 0)
                    for m in present
                    for t in mapping.crime_types
                ),
                imported_at=max((imported[m] for m in present), default=None),
            )
    return figures


@dataclass(frozen=True)
class ImportedMonth:
    month: date
    forces: list[str]
    rows: int
    imported_at: datetime
    imported_by: str
    stale: bool  # counted against an area that has changed since


def imported_months() -> list[ImportedMonth]:
    """Each month imported, newest first, with when and whether the area has changed
    since (two queries)."""
    signature = area_signature(Lsoa.objects.values_list("code", flat=True))
    grouped: dict[date, list[PoliceUkMonth]] = defaultdict(list)
    for row in PoliceUkMonth.objects.select_related("imported_by").order_by("-month", "force"):
        grouped[row.month].append(row)
    return [
        ImportedMonth(
            month=month,
            forces=[r.force for r in rows],
            rows=sum(r.rows for r in rows),
            imported_at=max(r.imported_at for r in rows),
            imported_by=", ".join(
                sorted(
                    {
                        r.imported_by.get_full_name() or r.imported_by.username
                        for r in rows
                        if r.imported_by
                    }
                )
            ),
            stale=any(r.area_signature != signature for r in rows),
        )
        for month, rows in grouped.items()
    ]
