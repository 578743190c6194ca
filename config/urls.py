"""Every domain's URLs, unprefixed: the paths and their names are the same as when the
project had one URL list (bookmarks, emails and other systems rely on them)."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from config import health, pages

urlpatterns = [
    path("", include("partnerships.urls")),
    path("", include("partners.urls")),
    path("", include("reporting.urls")),
    path("", include("returns.urls")),
    path("", include("meetings.urls")),
    path("", include("actions.urls")),
    path("", include("setup.urls")),
    path("", include("hosting.urls")),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("healthz", health.healthz, name="healthz"),
    # The audit trail and the outbox moved to apps of their own: old admin links follow.
    re_path(
        r"^admin/scorecard/auditentry/(?P<rest>.*)$",
        RedirectView.as_view(
            url="/admin/core/auditentry/%(rest)s", permanent=True, query_string=True
        ),
    ),
    re_path(
        r"^admin/scorecard/notification/(?P<rest>.*)$",
        RedirectView.as_view(
            url="/admin/notifications/notification/%(rest)s", permanent=True, query_string=True
        ),
    ),
    path("admin/", admin.site.urls),
]

handler500 = "config.errors.server_error"
