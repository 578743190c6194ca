from django.urls import path

from hosting import views

urlpatterns = [
    path("hosting/", views.overview, name="hosting_overview"),
    path("hosting/partnerships/new/", views.partnership_new, name="hosting_partnership_new"),
]
