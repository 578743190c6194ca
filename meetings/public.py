"""The published scorecard: public, no sign-in, no session, cached. Reads one stored
snapshot (``publishing``); never shows commentary, unpublished indicators, names or
small counts."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from core.tenancy import scoped_to
from meetings import open_data, publishing
from partnerships.models import Partnership
from reporting.outputs import exports

PUBLIC = [login_not_required, require_GET, cache_control(public=True, max_age=300)]
CSV_METADATA_LINK = '<{url}>; rel="describedby"; type="application/csvm+json"'


def _urls(slug: str | None) -> dict:
    """The downloads beside the page at ``/public/<slug>/`` (or ``/public/``)."""
    names = ("page", "csv", "json", "csv_metadata")
    if slug is None:
        return {
            n: reverse("public_scorecard" if n == "page" else f"public_scorecard_{n}")
            for n in names
        }
    return {n: reverse(f"public_partnership_{n}", args=[slug]) for n in names}


def _described_by_its_dictionary(response, slug):
    """The CSVW metadata, linked by an HTTP header from the page and the CSV."""
    response["Link"] = CSV_METADATA_LINK.format(url=_urls(slug)["csv_metadata"])
    return response


def public_view(view):
    for decorator in reversed(PUBLIC):
        view = decorator(view)
    return view


def _published(slug):
    where = publishing.public_keys(slug)
    snapshot = publishing.latest_publication(*where) if where else None
    if snapshot is None:
        raise Http404("Nothing has been published yet")
    return snapshot


@public_view
def scorecard(request, slug=None):
    """Rendered without the request: no session, user or CSRF cookie is touched, so the
    page is the same for everyone and safe to cache anywhere. ``/public/`` is the only
    partnership's scorecard, or the list of those that publish."""
    where = publishing.public_keys(slug)
    if where is None:
        if slug is None:
            return index(request)
        raise Http404("No such partnership")
    pid, keys = where
    snapshot = publishing.latest_publication(pid, keys)
    if snapshot is None:
        page = render_to_string("public/scorecard.html", {"snapshot": None})
        return HttpResponse(page, status=404)
    page = cache.get(keys[1])
    if page is None:
        with scoped_to(pid):
            partnership = Partnership.objects.get(pk=pid)
            context = {
                "snapshot": snapshot,
                "fewer_than": publishing.fewer_than(),
                "public_partnership": partnership,
                "urls": _urls(slug),
            }
            context.update(publishing.page_context(snapshot))
            page = render_to_string("public/scorecard.html", context)
        cache.set(keys[1], page, timeout=settings.PUBLIC_CACHE_SECONDS)
    return _described_by_its_dictionary(HttpResponse(page), slug)


def index(request):
    """Every partnership in the installation that publishes its scorecard."""
    partnerships = Partnership.objects.publishing()
    page = render_to_string("public/index.html", {"partnerships": partnerships})
    return HttpResponse(page)


@public_view
def scorecard_csv(request, slug=None):
    snapshot = _published(slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    period = snapshot["period"].replace(" ", "-")
    response["Content-Disposition"] = f'attachment; filename="safe-city-scorecard-{period}.csv"'
    _described_by_its_dictionary(response, slug)
    exports.write_csv(
        [publishing.public_record(item) for item in snapshot["indicators"]],
        response,
        columns=publishing.PUBLIC_COLUMNS,
        text_columns=publishing.TEXT_COLUMNS,
    )
    return response


@public_view
def scorecard_csv_metadata(request, slug=None):
    """The CSV's dictionary (CSV on the Web), linked from the page and the CSV's headers."""
    snapshot = _published(slug)
    csv_url = request.build_absolute_uri(_urls(slug)["csv"])
    return JsonResponse(
        open_data.csv_metadata(snapshot, csv_url),
        content_type="application/csvm+json",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


@public_view
def scorecard_json(request, slug=None):
    snapshot = _published(slug)
    return JsonResponse(
        {
            "title": snapshot["title"],
            "partnership": snapshot.get("partnership", ""),
            "period": snapshot["period"],
            "published_for_meeting": snapshot["meeting_date"],
            "licence": snapshot["licence"],
            "provisional": (snapshot.get("provisional") or {}).get("missing", []),
            "suppression": f"Counts from 1 to {snapshot['threshold'] - 1} are shown as "
            f"'fewer than {snapshot['threshold']}', with the figures derived from them.",
            "indicators": [
                {
                    **publishing.public_json_record(item),
                    "caveats": item["caveats"],
                    "history": [
                        {
                            "period": p["label"],
                            "value": None
                            if p["suppressed"] or p["value"] == ""
                            else json.loads(p["value"]),
                            "suppressed": p["suppressed"],
                        }
                        for p in item["history"]
                    ],
                }
                for item in snapshot["indicators"]
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@login_not_required
@require_GET
def robots(request):
    return HttpResponse("User-agent: *\nAllow: /public/\nDisallow: /\n", content_type="text/plain")
