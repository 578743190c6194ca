"""Read-only JSON API for other systems. Same data and permissions as the pages;
authenticated by the browser session or an ``Authorization: Token <key>`` header."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.tenancy import scoped_to
from indicators.models import Indicator
from partners.access import can_view_scorecard
from partners.models import ApiToken
from partnerships.resolution import QUERY_PARAMETER, partnerships_for
from reporting.outputs import exports
from reporting.outputs import openapi as openapi_document
from reporting.selection import select_scorecard
from reporting.selectors import history_rows, indicator_for_page, indicator_history


def _token(request):
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "token" or not key.strip():
        return None
    token = (
        ApiToken.objects.select_related("user", "partnership")
        .filter(key_hash=ApiToken.hash(key.strip()), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def _token_partnership(request, token):
    """A token for one partnership reads only it; an unbound token, those its owner
    may read (``?partnership=<slug>`` picks one, else the first)."""
    allowed = [token.partnership] if token.partnership else partnerships_for(token.user)
    asked = request.GET.get(QUERY_PARAMETER)
    for partnership in allowed:
        if partnership.slug == asked or not asked:
            return partnership
    return None


def api_view(view):
    @login_not_required
    @require_GET
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated:
            return _answer(view, request, *args, **kwargs)
        token = _token(request)
        if token is None:
            response = JsonResponse({"detail": "Authentication required"}, status=401)
            response["WWW-Authenticate"] = "Token"
            return response
        request.user = token.user
        partnership = _token_partnership(request, token)
        if partnership is None:
            return JsonResponse({"detail": "No such partnership for this token"}, status=404)
        with scoped_to(partnership):
            return _answer(view, request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _answer(view, request, *args, **kwargs):
    if not can_view_scorecard(request.user):
        return JsonResponse({"detail": "Your account has no role in the partnership"}, status=403)
    return view(request, *args, **kwargs)


@login_not_required
@require_GET
def openapi(request):
    """The OpenAPI 3.1 document of this API and of the public JSON."""
    return JsonResponse(openapi_document.document(), json_dumps_params={"indent": 2})


@api_view
def scorecard(request):
    """/api/v1/scorecard/?period=2019-20-Q4 (plus the dashboard's filters)."""
    selection = select_scorecard(request)
    if selection.errors:
        return JsonResponse(
            {"detail": "Unknown filter value or period", "errors": selection.errors}, status=400
        )
    records = exports.export_records(selection.rows, selection.period) if selection.period else []
    return JsonResponse(
        {
            "period": selection.period.label if selection.period else None,
            "generated_at": timezone.now().isoformat(),
            "count": len(records),
            "results": [exports.json_record(r) for r in records],
        }
    )


def _priority_in(indicator, year):
    place = indicator.place_for_year(year)
    return place.priority if place else None


@api_view
def indicator(request, code):
    try:
        item = indicator_for_page(code)
    except Indicator.DoesNotExist:
        return JsonResponse({"detail": "No such indicator"}, status=404)
    rows = history_rows(item, indicator_history(item), lambda year: _priority_in(item, year))
    periods = [
        exports.json_record(exports.export_record(row, row.assessment.period)) for row in rows
    ]
    return JsonResponse(
        {
            "indicator": item.code,
            "name": item.name,
            "description": item.description,
            "priority": item.priority.name if item.places.all() else "",
            "strategies": [
                {"strategy": p.strategy.name, "priority": p.priority.name}
                for p in sorted(item.places.all(), key=lambda p: p.strategy.start_year)
            ],
            "owner": item.owner.code,
            "measure": item.measure,
            "polarity": item.polarity,
            "unit": item.unit_label,
            "data_source": item.data_source,
            "caveats": item.caveats,
            "targets": [
                {
                    "year": t.financial_year,
                    "target_type": t.target_type,
                    "value": float(t.value) if t.value is not None else None,
                }
                for t in sorted(item.targets.all(), key=lambda t: t.year)
            ],
            "periods": periods,
        }
    )
