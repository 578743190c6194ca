"""The Stronger Communities team's screens: review queue, approve/return/reopen,
completeness and timeliness, and reporting periods."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partners.models import Partner
from scorecard import notifications, services
from scorecard.forms import DeadlineForm, ReopenForm, ReportingPeriodForm, ReviewCommentForm
from scorecard.models import ReportingPeriod
from scorecard.periods import FinancialQuarter, PeriodError, default_deadline
from scorecard.permissions import coordinator_required, get_return_slot_for_user
from scorecard.selectors import return_slots, review_lines, review_queue
from scorecard.views.returns import _history


@require_GET
@coordinator_required
def queue(request):
    return render(request, "review/queue.html", {"items": review_queue()})


def _review_page(
    request, partner_code, period_slug, *, comment_form=None, reopen_form=None, status=200
):
    partner, period, quarterly_return = get_return_slot_for_user(
        request.user, partner_code, period_slug
    )
    if quarterly_return is None:
        messages.info(request, f"{partner.name} has not started its {period.label} return.")
        return redirect("completeness")
    return render(
        request,
        "review/review_return.html",
        {
            "partner": partner,
            "period": period,
            "quarterly_return": quarterly_return,
            "lines": review_lines(quarterly_return),
            "history": _history(quarterly_return),
            "comment_form": comment_form or ReviewCommentForm(),
            "reopen_form": reopen_form or ReopenForm(),
            "own_submission": quarterly_return.submitted_by_id == request.user.id,
        },
        status=status,
    )


@require_GET
@coordinator_required
def review_return(request, partner_code, period_slug):
    return _review_page(request, partner_code, period_slug)


def _shown_revision(request) -> int:
    """The version of the return the reviewer's page showed (-1 if the form had none,
    which no return has, so the action is refused as stale)."""
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return -1


def _act(request, partner_code, period_slug, action, success):
    _, _, quarterly_return = get_return_slot_for_user(request.user, partner_code, period_slug)
    if quarterly_return is None:
        messages.error(request, "That return has not been started.")
        return redirect("review_queue")
    try:
        action(quarterly_return)
    except (services.InvalidTransition, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success.format(r=quarterly_return))
    return redirect("review_return", partner_code, period_slug)


@require_POST
@coordinator_required
def approve(request, partner_code, period_slug):
    return _act(
        request,
        partner_code,
        period_slug,
        lambda r: services.quarterly_return_approve(
            quarterly_return=r, by=request.user, revision=_shown_revision(request)
        ),
        "Approved: {r.partner.name}'s {r.period.label} figures are now on the scorecard.",
    )


def _act_with_text(request, partner_code, period_slug, form, form_name, action, success):
    """Return-for-changes and reopen: a required comment, then the transition."""
    if not form.is_valid():
        return _review_page(request, partner_code, period_slug, **{form_name: form}, status=400)
    text = next(iter(form.cleaned_data.values()))
    return _act(request, partner_code, period_slug, lambda r: action(r, text), success)


@require_POST
@coordinator_required
def send_back(request, partner_code, period_slug):
    return _act_with_text(
        request,
        partner_code,
        period_slug,
        ReviewCommentForm(request.POST),
        "comment_form",
        lambda r, comment: services.quarterly_return_send_back(
            quarterly_return=r, by=request.user, comment=comment, revision=_shown_revision(request)
        ),
        "Returned to {r.partner.name} with your comment.",
    )


@require_POST
@coordinator_required
def reopen(request, partner_code, period_slug):
    return _act_with_text(
        request,
        partner_code,
        period_slug,
        ReopenForm(request.POST),
        "reopen_form",
        lambda r, reason: services.quarterly_return_reopen(
            quarterly_return=r, by=request.user, reason=reason, revision=_shown_revision(request)
        ),
        "Reopened for correction. The scorecard keeps the approved figures until the "
        "corrected return is approved.",
    )


# --- completeness and timeliness ------------------------------------------------

BOARD_PERIODS = 6


@require_GET
@coordinator_required
def completeness(request):
    periods = list(ReportingPeriod.objects.order_by("-year", "-quarter")[:BOARD_PERIODS])
    partners = list(notifications.expected_partners().order_by("name"))
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


# --- reporting periods -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@coordinator_required
def periods(request):
    if request.method == "POST":
        form = ReportingPeriodForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                period = services.reporting_period_create(
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
        {"periods": ReportingPeriod.objects.order_by("-year", "-quarter"), "form": form},
        status=400 if form.errors else 200,
    )


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
        try:
            if action == "open":
                services.reporting_period_open(period=period, by=request.user)
                messages.success(
                    request, f"{period.label} is open; partner leads have been emailed."
                )
                return redirect("periods")
            if action == "close":
                services.reporting_period_close(period=period, by=request.user)
                messages.success(request, f"{period.label} is closed to new returns.")
                return redirect("periods")
            if form.is_valid():
                services.reporting_period_set_deadline(
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
