"""Actions agreed in meetings (recorded on the meeting's page, see meetings.urls)."""

from django.urls import path

from actions import views

urlpatterns = [
    path("actions/", views.action_list, name="action_list"),
    path("actions/<int:action_pk>/", views.action_detail, name="action_detail"),
]
