from django.apps import AppConfig


class ProjectConfig(AppConfig):
    name = "config"
    verbose_name = "Project"

    def ready(self):
        # Registers the deploy checks, and every app's tasks so web processes can enqueue
        # them by name (core.queue) without importing the tasks modules.
        from config import checks  # noqa: F401
        from config.celery_app import app

        app.autodiscover_tasks(force=True)
