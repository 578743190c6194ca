"""Error pages. A database that is down reaches here, not the 503 middleware, when it
fails before the view runs, e.g. while loading a signed-in user's session: it still gets
the friendly 503, rendered without touching the database."""

import sys

from django.db import InterfaceError, OperationalError
from django.views.defaults import server_error as default_server_error

from config.middleware import database_unavailable


def server_error(request, template_name="500.html"):
    if isinstance(sys.exception(), (OperationalError, InterfaceError)):
        return database_unavailable(sys.exception())
    return default_server_error(request, template_name)
