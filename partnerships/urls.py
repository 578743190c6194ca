from django.urls import path

from partnerships import views

urlpatterns = [
    path("partnerships/switch/", views.switch, name="partnership_switch"),
]
