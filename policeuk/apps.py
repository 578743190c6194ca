from django.apps import AppConfig


class PoliceUkConfig(AppConfig):
    name = "policeuk"
    verbose_name = "Police figures (police.uk)"
