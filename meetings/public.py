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

from meetings import open_data, publishing
from reporting import exports

PUBLIC = [login_not_required, require_GET, cache_control(public=True, max_age=300)]
CSV_METADATA_LINK = '<{url}>; rel="describedby"; type="application/csvm+json"'


def _described_by_its_dictionary(response):
    """The CSVW metadata, linked by an HTTP header from the page and the CSV."""
    response["Link"] = CSV_METADATA_LINK.format(url=reverse("public_scorecard_csv_metadata"))
    return response


def public_view(view):
    for decorator in reversed(PUBLIC):
        view = decorator(view)
    return view


def _published():
    snapshot = publishing.latest_publication()
    if snapshot is None:
        raise Http404("Nothing has been published yet")
    return snapshot


@public_view
def scorecard(request):
    """Rendered without the request: no session, user or CSRF cookie is touched, so the
    page is the same for everyone and safe to cache anywhere."""
    keys = publishing.cache_keys()
    snapshot = publishing.latest_publication(keys)
    if snapshot is None:
        page = render_to_string("public/scorecard.html", {"snapshot": None})
        return HttpResponse(page, status=404)
    page = cache.get(keys[1])
    if page is None:
        context = {"snapshot": snapshot, "fewer_than": publishing.fewer_than()}
        context.update(publishing.page_context(snapshot))
        page = render_to_string("public/scorecard.html", context)
        cache.set(keys[1], page, timeout=settings.PUBLIC_CACHE_SECONDS)
    return _described_by_its_dictionary(HttpResponse(page))


@public_view
def scorecard_csv(request):
    snapshot = _published()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    period = snapshot["period"].replace(" ", "-")
    response["Content-Disposition"] = f'attachment; filename="safe-city-scorecard-{period}.csv"'
    _described_by_its_dictionary(response)
    exports.write_csv(
        [publishing.public_record(item) for item in snapshot["indicators"]],
        response,
        columns=publishing.PUBLIC_COLUMNS,
        text_columns=publishing.TEXT_COLUMNS,
    )
    return response


@public_view
def scorecard_csv_metadata(request):
    """The CSV's dictionary (CSV on the Web), linked from the page and the CSV's headers."""
    snapshot = _published()
    csv_url = request.build_absolute_uri(reverse("public_scorecard_csv"))
    return JsonResponse(
        open_data.csv_metadata(snapshot, csv_url),
        content_type="application/csvm+json",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


@public_view
def scorecard_json(request):
    snapshot = _published()
    return JsonResponse(
        {
            "title": snapshot["title"],
            "period": snapshot["period"],
            "published_for_meeting": snapshot["meeting_date"],
            "licence": snapshot["licence"],
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
