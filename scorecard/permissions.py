"""Who may see and change which return. Every view fetches returns through here."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partners.models import Partner
from partners.roles import Role, has_role, is_coordinator, user_roles
from scorecard.models import QuarterlyReturn


def can_view_all_returns(user) -> bool:
    return is_coordinator(user)


def is_lead_of(user, partner: Partner) -> bool:
    led = getattr(user, "_led_partner_ids", None)
    if led is None:
        led = set(Partner.objects.filter(leads=user).values_list("id", flat=True))
        user._led_partner_ids = led
    return partner.id in led


def can_enter_figures(user, partner: Partner) -> bool:
    return (has_role(user, Role.PARTNER_LEAD) or user.is_superuser) and is_lead_of(user, partner)


def returns_visible_to(user):
    qs = QuarterlyReturn.objects.select_related("partner", "period")
    if can_view_all_returns(user):
        return qs
    return qs.filter(partner__leads=user)


def get_return_for_user(user, pk) -> QuarterlyReturn:
    """The return, or 404 — also when it exists but belongs to another agency, so an
    outsider cannot even learn that it exists."""
    try:
        return returns_visible_to(user).get(pk=pk)
    except (QuarterlyReturn.DoesNotExist, ValueError, TypeError):
        raise Http404("No such return") from None


def can_view_scorecard(user) -> bool:
    """Every role sees the scorecard (approved figures only); an account with no role
    sees nothing until an administrator gives it one."""
    return bool(user_roles(user))


def scorecard_viewer_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_view_scorecard(request.user):
            raise PermissionDenied("Your account has no role in the partnership yet")
        return view(request, *args, **kwargs)

    return wrapped


def coordinator_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_coordinator(request.user):
            raise PermissionDenied("Only the Stronger Communities team can do this")
        return view(request, *args, **kwargs)

    return wrapped


def get_return_slot_for_user(user, partner_code: str, period_slug: str):
    """(partner, period, return or None) if the user may see that partner's return for
    that period, else 404 — the same answer whether or not it exists."""
    from scorecard.models import ReportingPeriod
    from scorecard.periods import FinancialQuarter, PeriodError

    try:
        fq = FinancialQuarter.parse(period_slug)
    except PeriodError:
        raise Http404("No such period") from None
    partner = Partner.objects.filter(code=partner_code).first()
    if partner is None or not (can_view_all_returns(user) or is_lead_of(user, partner)):
        raise Http404("No such return")
    period = ReportingPeriod.objects.for_quarter(fq).first()
    if period is None:
        raise Http404("No such period")
    quarterly_return = (
        QuarterlyReturn.objects.filter(partner=partner, period=period)
        .select_related("partner", "period", "submitted_by", "reviewed_by")
        .first()
    )
    return partner, period, quarterly_return
