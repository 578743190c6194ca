"""What every celery task shares."""

from functools import wraps

from core.tenancy import scoped_to


def own_scope(task):
    """A task starts with no partnership (a worker has none; in eager mode it would
    otherwise inherit the caller's) and names the one it works in itself, so a task
    that forgets fails in the tests instead of reading another partnership's rows."""

    @wraps(task)
    def wrapped(*args, **kwargs):
        with scoped_to(None):
            return task(*args, **kwargs)

    return wrapped
