"""Who may see and change which return. Every view fetches returns through here."""

from django.http import Http404

from core.periods import FinancialQuarter, PeriodError
from partners.access import is_lead_of
from partners.models import Partner
from partners.roles import Role, has_role, is_coordinator
from returns.models import QuarterlyReturn, ReportingPeriod


def can_view_all_returns(user) -> bool:
    return is_coordinator(user)


def can_enter_figures(user, partner: Partner) -> bool:
    return (has_role(user, Role.PARTNER_LEAD) or user.is_superuser) and is_lead_of(user, partner)


def returns_visible_to(user):
    qs = QuarterlyReturn.objects.select_related("partner", "period")
    if can_view_all_returns(user):
        return qs
    return qs.filter(partner__leads=user)


def get_return_slot_for_user(user, partner_code: str, period_slug: str):
    """(partner, period, return or None) if the user may see that partner's return for
    that period, else 404 — the same answer whether or not it exists."""

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
