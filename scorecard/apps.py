from django.apps import AppConfig


class ScorecardConfig(AppConfig):
    name = "scorecard"
    verbose_name = "Scorecard"

    def ready(self):
        # Loads the celery app so shared tasks bind to it in web processes too.
        from scorecard import celery_app, checks  # noqa: F401
