from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from partners.access import coordinator_required
from partners.models import Partner
from returns.expected import expected_partners
from returns.models import ReportingPeriod
from returns.selectors import return_slots

BOARD_PERIODS = 6


@require_GET
@coordinator_required
def completeness(request):
    periods = list(ReportingPeriod.objects.order_by("-year", "-quarter")[:BOARD_PERIODS])
    partners = list(expected_partners().order_by("name"))
    slots = return_slots(partners, periods, timezone.localdate())
    by_key = {(s.partner.id, s.period.id): s for s in slots}
    grid = [(p, [by_key[(p.id, period.id)] for period in periods]) for p in partners]
    totals = []
    for period in periods:
        column = [by_key[(p.id, period.id)] for p in partners]
        totals.append(
            {
                "period": period,
                "expected": len(column),
                "submitted": sum(
                    1 for s in column if s.quarterly_return and s.quarterly_return.submitted_at
                ),
                "on_time": sum(1 for s in column if s.timeliness == "on_time"),
                "late": sum(1 for s in column if s.timeliness == "late"),
                "missing": sum(1 for s in column if s.timeliness == "missing"),
                "imported": sum(1 for s in column if s.timeliness == "imported"),
            }
        )
    return render(
        request,
        "review/completeness.html",
        {"periods": periods, "grid": grid, "totals": totals},
    )


@require_GET
@coordinator_required
def partner_history(request, partner_code):
    partner = get_object_or_404(Partner, code=partner_code)
    periods = list(ReportingPeriod.objects.order_by("-year", "-quarter"))
    slots = return_slots([partner], periods, timezone.localdate())
    counted = [s for s in slots if s.timeliness in ("on_time", "late", "missing")]
    on_time = sum(1 for s in counted if s.timeliness == "on_time")
    return render(
        request,
        "review/partner_history.html",
        {
            "partner": partner,
            "slots": slots,
            "reporting_rate": round(
                100 * sum(1 for s in counted if s.timeliness != "missing") / len(counted)
            )
            if counted
            else None,
            "timeliness_rate": round(100 * on_time / len(counted)) if counted else None,
        },
    )
