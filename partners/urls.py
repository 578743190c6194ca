"""Signing in, the home page, partners and people (set-up), passwords."""

from django.contrib.auth import views as auth_views
from django.urls import path

from partners import views
from partners.oidc import views as oidc

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        views.SignIn.as_view(),
        name="login",
    ),
    path("accounts/oidc/callback/", oidc.callback, name="oidc_callback"),
    path("accounts/oidc/<slug:slug>/", oidc.start, name="oidc_start"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("setup/partners/", views.partners, name="setup_partners"),
    path("setup/people/", views.people, name="setup_people"),
    path("setup/people/invite/", views.invite, name="setup_invite"),
    path("setup/people/<int:pk>/", views.person_edit, name="setup_person"),
    # Everyone: set a password from an invitation, or reset a forgotten one
    path("accounts/password-reset/", views.PasswordReset.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.PasswordSet.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
