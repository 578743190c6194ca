from functools import wraps

from django.core.exceptions import PermissionDenied

from partners.models import Partner
from partners.roles import Role, has_role, is_coordinator, user_roles


def is_lead_of(user, partner: Partner) -> bool:
    """A partner lead of ``partner`` now: the lead role and the partner, both read from
    the database once per request (``request.user`` is loaded afresh for each), so a
    lead moved to another role or off the partner loses its returns and actions at once."""
    if not (has_role(user, Role.PARTNER_LEAD) or user.is_superuser):
        return False
    led = getattr(user, "_led_partner_ids", None)
    if led is None:
        led = set(Partner.objects.filter(leads=user).values_list("id", flat=True))
        user._led_partner_ids = led
    return partner.id in led


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
