from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AdminConfig(admin_apps.AdminConfig):
    """Django admin with its site for administrators only (core.admin_site)."""

    default = False
    default_site = "core.admin_site.AdministratorsSite"


class ProjectConfig(AppConfig):
    default = True
    name = "config"
    verbose_name = "Project"

    def ready(self):
        # Registers the deploy checks, and every app's tasks so web processes can enqueue
        # them by name (core.queue) without importing the tasks modules.
        from config import checks  # noqa: F401
        from config.celery_app import app

        app.autodiscover_tasks(force=True)
