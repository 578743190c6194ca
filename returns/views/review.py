"""The Stronger Communities team's screens: review queue, approve/return/reopen,
completeness and timeliness, and reporting periods."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from partners.access import coordinator_required
from returns import services
from returns.forms import ReopenForm, ReviewCommentForm
from returns.permissions import get_return_slot_for_user
from returns.selectors import review_lines, review_queue
from returns.views.entry import return_history


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
            "history": return_history(quarterly_return),
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


# --- reporting periods -------------------------------------------------------------
