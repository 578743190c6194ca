from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.periods import FinancialQuarter, PeriodError, default_deadline
from partners.access import coordinator_required
from partners.roles import active_leads
from returns import periods as period_services
from returns import services
from returns.expected import expected_partners
from returns.forms import DeadlineForm, ReportingPeriodForm
from returns.models import ReportingPeriod


@require_http_methods(["GET", "POST"])
@coordinator_required
def periods(request):
    if request.method == "POST":
        form = ReportingPeriodForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                period = period_services.reporting_period_create(
                    year=data["year"],
                    quarter=data["quarter"],
                    deadline=data["deadline"],
                    by=request.user,
                )
            except IntegrityError:
                form.add_error("quarter", "That period already exists")
            else:
                messages.success(
                    request, f"{period.label} was created. Open it when partners should start."
                )
                return redirect("periods")
    else:
        latest = ReportingPeriod.objects.order_by("-year", "-quarter").first()
        fq = latest.fq.next() if latest else FinancialQuarter.containing(timezone.localdate())
        form = ReportingPeriodForm(
            initial={"year": fq.year, "quarter": fq.quarter, "deadline": default_deadline(fq)}
        )
    return render(
        request,
        "review/periods.html",
        {
            "periods": ReportingPeriod.objects.order_by("-year", "-quarter"),
            "offered_open": OFFERED_OPEN,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


OFFERED_OPEN = 4  # "Open" is offered for the latest periods only; older ones are history


def _confirmation(period, action) -> dict:
    """What opening or closing will do, said before it is done (opening emails every
    expected partner's leads)."""
    partners = list(expected_partners(period))
    leads = {lead.pk for partner in partners for lead in active_leads(partner)}
    drafts = period.returns.filter(status__in=["draft", "returned"]).count()
    return {
        "period": period,
        "action": action,
        "partner_count": len(partners),
        "lead_count": len(leads),
        "draft_count": drafts,
    }


@require_http_methods(["GET", "POST"])
@coordinator_required
def period_edit(request, period_slug):
    try:
        fq = FinancialQuarter.parse(period_slug)
    except PeriodError:
        raise Http404("No such period") from None
    period = get_object_or_404(ReportingPeriod, year=fq.year, quarter=fq.quarter)
    form = DeadlineForm(request.POST or None, instance=period)
    if request.method == "POST":
        action = request.POST.get("action", "deadline")
        if action in ("open", "close") and request.POST.get("confirm") != "yes":
            return render(request, "review/period_confirm.html", _confirmation(period, action))
        try:
            if action == "open":
                period_services.reporting_period_open(period=period, by=request.user)
                messages.success(
                    request, f"{period.label} is open; partner leads have been emailed."
                )
                return redirect("periods")
            if action == "close":
                period_services.reporting_period_close(period=period, by=request.user)
                messages.success(request, f"{period.label} is closed to new returns.")
                return redirect("periods")
            if form.is_valid():
                period_services.reporting_period_set_deadline(
                    period=period, deadline=form.cleaned_data["deadline"], by=request.user
                )
                messages.success(
                    request, f"The {period.label} deadline is now {period.deadline:%-d %B %Y}."
                )
                return redirect("periods")
        except services.InvalidTransition as error:
            messages.error(request, str(error))
            return redirect("periods")
    return render(
        request,
        "review/period_edit.html",
        {"period": period, "form": form},
        status=400 if form.errors else 200,
    )
