"""The Django project: settings from the environment, URLs, WSGI and the celery app."""

from config.celery_app import app as celery_app

__all__ = ["celery_app"]
