"""SCP members: the scorecard, its indicator pages and downloads; the API."""

from django.urls import path

from reporting.views import api, dashboard, indicators

urlpatterns = [
    path("scorecard/", dashboard.dashboard, name="dashboard"),
    path("scorecard/exceptions/", dashboard.exceptions, name="exceptions"),
    path("scorecard/download.csv", dashboard.download_csv, name="download_csv"),
    path("scorecard/download.xlsx", dashboard.download_xlsx, name="download_xlsx"),
    path("scorecard/indicators/<slug:code>/", indicators.indicator_detail, name="indicator_detail"),
    path(
        "scorecard/indicators/<slug:code>/breaks/",
        indicators.series_break_add,
        name="series_break_add",
    ),
    path(
        "scorecard/indicators/<slug:code>/breaks/<int:pk>/remove/",
        indicators.series_break_remove,
        name="series_break_remove",
    ),
    path("api/v1/openapi.json", api.openapi, name="api_openapi"),
    path("api/v1/scorecard/", api.scorecard, name="api_scorecard"),
    path("api/v1/indicators/<slug:code>/", api.indicator, name="api_indicator"),
]
