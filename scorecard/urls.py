from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from scorecard.views import api, dashboard, health, home, indicators

urlpatterns = [
    path("", home.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("scorecard/", dashboard.dashboard, name="dashboard"),
    path("scorecard/exceptions/", dashboard.exceptions, name="exceptions"),
    path("scorecard/download.csv", dashboard.download_csv, name="download_csv"),
    path("scorecard/download.xlsx", dashboard.download_xlsx, name="download_xlsx"),
    path("scorecard/indicators/<slug:code>/", indicators.indicator_detail, name="indicator_detail"),
    path("api/v1/scorecard/", api.scorecard, name="api_scorecard"),
    path("api/v1/indicators/<slug:code>/", api.indicator, name="api_indicator"),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
