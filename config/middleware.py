import logging

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """A database that is down (or unreachable) gives people a plain 503 page that asks
    them to try again, not a stack trace; the page is rendered without touching the
    database or the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError) as error:
            return self._unavailable(error)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            return self._unavailable(exception)
        return None

    def _unavailable(self, error: DatabaseError):
        return database_unavailable(error)


def database_unavailable(error: DatabaseError) -> HttpResponse:
    logger.error("Database unavailable: %s", type(error).__name__)
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "60"
    return response
