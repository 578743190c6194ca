from django.apps import AppConfig


class ScorecardConfig(AppConfig):
    name = "scorecard"
    verbose_name = "Scorecard"

    def ready(self):
        # Loads the celery app and registers the tasks, so web processes can enqueue
        # them by name (scorecard.queue) without importing the tasks module.
        from scorecard import celery_app, checks, tasks  # noqa: F401
