from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from actions import views as actions
from config import health
from meetings import public
from meetings import views as packs
from partners import views as people
from reporting.views import api, dashboard, indicators
from returns.views import completeness, periods, review
from returns.views import entry as returns
from setup import views as setup

PERIOD = "<str:period_slug>"
RETURN = f"returns/<slug:partner_code>/{PERIOD}"

urlpatterns = [
    path("", people.home, name="home"),
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
    # Partner leads: returns
    path("returns/", returns.my_returns, name="my_returns"),
    path(f"{RETURN}/", returns.return_edit, name="return_edit"),
    path(f"{RETURN}/upload/", returns.return_upload, name="return_upload"),
    path(
        f"{RETURN}/upload/template.<str:ext>",
        returns.return_upload_template,
        name="return_upload_template",
    ),
    # Stronger Communities team: review
    path("review/", review.queue, name="review_queue"),
    path(f"review/<slug:partner_code>/{PERIOD}/", review.review_return, name="review_return"),
    path(f"{RETURN}/approve/", review.approve, name="return_approve"),
    path(f"{RETURN}/return-for-changes/", review.send_back, name="return_send_back"),
    path(f"{RETURN}/reopen/", review.reopen, name="return_reopen"),
    path("completeness/", completeness.completeness, name="completeness"),
    path("completeness/<slug:partner_code>/", completeness.partner_history, name="partner_history"),
    path("periods/", periods.periods, name="periods"),
    path(f"periods/{PERIOD}/", periods.period_edit, name="period_edit"),
    # SCP meetings and packs; the annual review
    path("meetings/", packs.meetings, name="meetings"),
    path("meetings/<int:pk>/", packs.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/issue/", packs.pack_issue, name="pack_issue"),
    path("meetings/<int:pk>/packs/<int:version>/", packs.pack_detail, name="pack_detail"),
    path("meetings/<int:pk>/packs/<int:version>/pack.pdf", packs.pack_pdf, name="pack_pdf"),
    path("meetings/<int:pk>/packs/<int:version>/pack.xlsx", packs.pack_xlsx, name="pack_xlsx"),
    path("meetings/<int:pk>/packs/<int:version>/retry/", packs.pack_retry, name="pack_retry"),
    path("meetings/<int:pk>/packs/<int:version>/publish/", packs.pack_publish, name="pack_publish"),
    path("meetings/<int:pk>/theme/", packs.meeting_theme, name="meeting_theme"),
    path("meetings/<int:pk>/actions/", packs.action_record, name="action_record"),
    path("actions/", actions.action_list, name="action_list"),
    path("actions/<int:action_pk>/", actions.action_detail, name="action_detail"),
    path("annual-review/<str:year_slug>/", packs.annual_review, name="annual_review"),
    path(
        "annual-review/<str:year_slug>/download.<str:ext>",
        packs.annual_review_download,
        name="annual_review_download",
    ),
    # Stronger Communities team: the yearly set-up
    path("setup/", setup.index, name="setup"),
    path("setup/strategies/", setup.strategies, name="setup_strategies"),
    path("setup/strategies/<int:pk>/", setup.strategy_detail, name="setup_strategy"),
    path(
        "setup/strategies/<int:pk>/priorities/<int:priority_pk>/move/",
        setup.priority_move,
        name="setup_priority_move",
    ),
    path(
        "setup/strategies/<int:pk>/carry-forward/",
        setup.carry_forward,
        name="setup_carry_forward",
    ),
    path("setup/indicators/", setup.indicators, name="setup_indicators"),
    path("setup/indicators/new/", setup.indicator_new, name="setup_indicator_new"),
    path("setup/indicators/<slug:code>/", setup.indicator_edit, name="setup_indicator"),
    path(
        "setup/indicators/<slug:code>/retire/",
        setup.indicator_retire,
        name="setup_indicator_retire",
    ),
    path("setup/targets/<str:year_slug>/", setup.targets, name="setup_targets"),
    path("setup/partners/", people.partners, name="setup_partners"),
    path("setup/people/", people.people, name="setup_people"),
    path("setup/people/invite/", people.invite, name="setup_invite"),
    path("setup/people/<int:pk>/", people.person_edit, name="setup_person"),
    # Everyone: set a password from an invitation, or reset a forgotten one
    path("accounts/password-reset/", people.PasswordReset.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        people.PasswordSet.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # The published scorecard: public, no sign-in
    path("public/", public.scorecard, name="public_scorecard"),
    path("public/scorecard.csv", public.scorecard_csv, name="public_scorecard_csv"),
    path("public/scorecard.json", public.scorecard_json, name="public_scorecard_json"),
    path("robots.txt", public.robots, name="robots"),
    # Other systems
    path("api/v1/scorecard/", api.scorecard, name="api_scorecard"),
    path("api/v1/indicators/<slug:code>/", api.indicator, name="api_indicator"),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler500 = "config.errors.server_error"
