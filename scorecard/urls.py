from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from scorecard.views import api, dashboard, health, home, indicators, returns, review

PERIOD = "<str:period_slug>"
RETURN = f"returns/<slug:partner_code>/{PERIOD}"

urlpatterns = [
    path("", home.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # SCP members: the scorecard
    path("scorecard/", dashboard.dashboard, name="dashboard"),
    path("scorecard/exceptions/", dashboard.exceptions, name="exceptions"),
    path("scorecard/download.csv", dashboard.download_csv, name="download_csv"),
    path("scorecard/download.xlsx", dashboard.download_xlsx, name="download_xlsx"),
    path("scorecard/indicators/<slug:code>/", indicators.indicator_detail, name="indicator_detail"),
    # Partner leads: returns
    path("returns/", returns.my_returns, name="my_returns"),
    path(f"{RETURN}/", returns.return_edit, name="return_edit"),
    path(f"{RETURN}/upload/", returns.return_upload, name="return_upload"),
    # Stronger Communities team: review
    path("review/", review.queue, name="review_queue"),
    path(f"review/<slug:partner_code>/{PERIOD}/", review.review_return, name="review_return"),
    path(f"{RETURN}/approve/", review.approve, name="return_approve"),
    path(f"{RETURN}/return-for-changes/", review.send_back, name="return_send_back"),
    path(f"{RETURN}/reopen/", review.reopen, name="return_reopen"),
    path("completeness/", review.completeness, name="completeness"),
    path("completeness/<slug:partner_code>/", review.partner_history, name="partner_history"),
    path("periods/", review.periods, name="periods"),
    path(f"periods/{PERIOD}/", review.period_edit, name="period_edit"),
    # Other systems
    path("api/v1/scorecard/", api.scorecard, name="api_scorecard"),
    path("api/v1/indicators/<slug:code>/", api.indicator, name="api_indicator"),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
