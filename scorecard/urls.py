from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from scorecard.views import dashboard, health, home

urlpatterns = [
    path("", home.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("scorecard/", dashboard.dashboard, name="dashboard"),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
