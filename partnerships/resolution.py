"""Which partnership a request, command or task works in.

A request works in the partnership the person chose (remembered in the session), or
the one named by ``?partnership=<slug>`` (a link from the combined *My returns*, say:
following it switches), or their first. Someone in one partnership never sees any of
this, and an installation with no partnership yet gets the default one the first time
it is needed, so a single partnership's URLs, commands and bookmarks work unchanged.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.functional import SimpleLazyObject

from core.tenancy import Deferred, current_partnership_id, reset_partnership, set_partnership
from partnerships.models import OPERATOR, Membership, Partnership

SESSION_KEY = "partnership"
QUERY_PARAMETER = "partnership"


def default_partnership() -> Partnership:
    """The installation's only (or first) partnership, made from the settings if there
    is none yet."""
    first = Partnership.objects.order_by("pk").first()
    if first is not None:
        return first
    wanted = settings.DEFAULT_PARTNERSHIP
    try:
        with transaction.atomic():
            return Partnership.objects.create(**wanted)
    except IntegrityError:  # another process made it first
        return Partnership.objects.get(slug=wanted["slug"])


def by_slug(slug: str | None) -> Partnership:
    """For commands: the named partnership, or the only one when none is named."""
    if slug:
        try:
            return Partnership.objects.get(slug=slug)
        except Partnership.DoesNotExist:
            known = ", ".join(Partnership.objects.values_list("slug", flat=True)) or "none"
            raise LookupError(f"There is no partnership '{slug}' (there are: {known})") from None
    count = Partnership.objects.count()
    if count > 1:
        known = ", ".join(Partnership.objects.values_list("slug", flat=True))
        raise LookupError(f"Say which partnership with --partnership (one of: {known})")
    return default_partnership()


def is_operator(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(m.role == OPERATOR for m in memberships(user))


def memberships(user) -> list[Membership]:
    """The person's memberships with their partnerships: one query a request (the
    middleware reads it to pick the partnership, the views to check the role)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("partnership"))
        user._memberships = cached
    return cached


def partnerships_for(user) -> list[Partnership]:
    """The partnerships the person may enter: their memberships, or every one for the
    hosting operator and administrators. Read once a request (the middleware, the
    header's switcher and the API all ask)."""
    cached = getattr(user, "_partnerships_for", None)
    if cached is None:
        if is_operator(user):
            cached = list(Partnership.objects.all())
        else:
            cached = sorted(
                {m.partnership for m in memberships(user) if m.partnership_id},
                key=lambda p: p.name,
            )
        user._partnerships_for = cached
    return cached


def choose(request):
    """The request's partnership (deferred for someone not signed in: most of their
    pages need none)."""
    user = request.user
    if not user.is_authenticated:
        return Deferred(_only_one)
    allowed = {p.slug: p for p in partnerships_for(user)}
    asked = request.GET.get(QUERY_PARAMETER)
    if asked:
        if asked not in allowed:
            raise Http404("No such partnership")
        request.session[SESSION_KEY] = asked
        return allowed[asked]
    remembered = request.session.get(SESSION_KEY)
    if remembered in allowed:
        return allowed[remembered]
    if allowed:  # the oldest of theirs (in the demo, Southampton)
        return min(allowed.values(), key=lambda p: p.pk)
    return _only_one()  # no role yet: the views say so, in the only partnership


def partnership_now() -> Partnership | None:
    """The current partnership as an object (for its name on a page or an email)."""
    pid = current_partnership_id()
    return Partnership.objects.filter(pk=pid).first() if pid else None


def _only_one() -> Partnership | None:
    """A single-partnership installation answers every page as that partnership."""
    first_two = list(Partnership.objects.order_by("pk")[:2])
    if not first_two:
        return default_partnership()
    return first_two[0] if len(first_two) == 1 else None


class PartnershipMiddleware:
    """Sets the request's partnership for every query the view runs (and clears it
    after), and puts it on ``request.partnership`` for the templates."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(settings.PARTNERSHIP_FREE_PATHS):
            request.partnership = None
            return self.get_response(request)
        partnership = choose(request)
        request.partnership = (
            SimpleLazyObject(partnership_now) if isinstance(partnership, Deferred) else partnership
        )
        tokens = set_partnership(partnership)
        try:
            return self.get_response(request)
        finally:
            reset_partnership(tokens)


def add_member(*, partnership, user, role) -> Membership:
    """A person's role in a partnership; adding them twice is an error, not a second
    role."""
    if Membership.objects.filter(partnership=partnership, user=user).exists():
        raise ValueError(f"{user.get_full_name() or user.username} is already in {partnership}")
    return Membership.objects.create(partnership=partnership, user=user, role=role)


def site_link(path: str) -> str:
    """An absolute link for an email that opens in the partnership it is about, even
    for someone whose last visit was to another of their partnerships."""
    partnership = partnership_now()
    query = f"?{QUERY_PARAMETER}={partnership.slug}" if partnership else ""
    return settings.SITE_URL.rstrip("/") + path + query
