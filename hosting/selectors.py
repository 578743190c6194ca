"""The hosting operator's overview of every partnership, in one query."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from core.models import AuditEntry
from meetings.models import MeetingPack
from partnerships.models import Partnership, PartnershipPartner
from returns.models import QuarterlyReturn, ReportingPeriod


@dataclass
class PartnershipLine:
    partnership: Partnership
    period_label: str
    approved: int
    expected: int
    packs: int
    last_activity: object

    @property
    def complete(self) -> bool:
        return self.expected > 0 and self.approved >= self.expected


def _count(queryset, key: str):
    counted = queryset.values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def overview() -> list[PartnershipLine]:
    """Completeness of each partnership's current quarter (its latest open one, or its
    latest), the packs it has issued and when anyone last did anything in it: read
    across partnerships deliberately, for the operator only."""
    current = (
        ReportingPeriod.objects.across_partnerships()
        .filter(partnership=OuterRef("pk"))
        .order_by("-is_open", "-year", "-quarter")
    )
    rows = Partnership.objects.annotate(
        period_year=Subquery(current.values("year")[:1]),
        period_quarter=Subquery(current.values("quarter")[:1]),
        period_id=Subquery(current.values("pk")[:1]),
        expected=_count(
            PartnershipPartner.objects.filter(partnership=OuterRef("pk"), partner__active=True),
            "partnership",
        ),
        approved=_count(
            QuarterlyReturn.objects.across_partnerships().filter(
                period_id=OuterRef("period_id"), status=QuarterlyReturn.Status.APPROVED
            ),
            "period",
        ),
        packs=_count(
            MeetingPack.objects.across_partnerships().filter(
                partnership=OuterRef("pk"), status=MeetingPack.Status.READY
            ),
            "partnership",
        ),
        last_activity=Subquery(
            AuditEntry.objects.across_partnerships()
            .filter(partnership=OuterRef("pk"))
            .order_by("-at")
            .values("at")[:1]
        ),
    ).order_by("name")
    return [
        PartnershipLine(
            partnership=row,
            period_label=ReportingPeriod(year=row.period_year, quarter=row.period_quarter).label
            if row.period_year
            else "",
            approved=row.approved,
            expected=row.expected,
            packs=row.packs,
            last_activity=row.last_activity,
        )
        for row in rows
    ]
