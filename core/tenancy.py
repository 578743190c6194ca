"""Which partnership a query belongs to, and the wall that stops one without.

One installation hosts many partnerships in one schema: every partnership-owned row
carries a ``partnership`` key (the citus/django-multitenant pattern, so the key is the
natural shard key). The current partnership is a context variable, set by the request
middleware, by each management command from ``--partnership`` and by each celery task
from its arguments. A partnership-owned model's default manager filters by it; with no
partnership set, a query is refused when it runs (``UnscopedQuery``) unless it says
which partnership it wants (``in_partnership``) or that it deliberately reads across
them (``across_partnerships``, for the operator and a lead's combined list). A query
reached through a partnership-owned parent (``indicator.targets.all()``) is scoped by
that parent. A forgotten filter therefore fails a test with an error; it never leaks.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.db import models

_current: ContextVar = ContextVar("scorecard_partnership", default=None)
_across: ContextVar[bool] = ContextVar("scorecard_across_partnerships", default=False)


class UnscopedQuery(RuntimeError):
    """A query of partnership-owned rows ran without saying whose rows it wants."""


class Deferred:
    """A partnership worked out only if a query needs it (a sign-in page asks the
    database nothing)."""

    def __init__(self, resolve):
        self._resolve = resolve
        self._resolved = False
        self._value = None

    def get(self) -> int | None:
        if not self._resolved:
            self._value = _id(self._resolve())
            self._resolved = True
        return self._value


def current_partnership_id() -> int | None:
    value = _current.get()
    return value.get() if isinstance(value, Deferred) else value


def require_partnership_id() -> int:
    pid = current_partnership_id()
    if pid is None:
        raise UnscopedQuery("No partnership is set for this work")
    return pid


def _id(partnership):
    if isinstance(partnership, Deferred):
        return partnership
    return getattr(partnership, "pk", partnership)


@contextmanager
def scoped_to(partnership):
    """Run the block as ``partnership`` (an object or an id; None clears it)."""
    token = _current.set(_id(partnership))
    across = _across.set(False)
    try:
        yield
    finally:
        _across.reset(across)
        _current.reset(token)


@contextmanager
def across_partnerships():
    """Run the block reading every partnership's rows: for the hosting operator's
    overview and migrations, never for a partnership's own pages."""
    token = _current.set(None)
    across = _across.set(True)
    try:
        yield
    finally:
        _across.reset(across)
        _current.reset(token)


def set_partnership(partnership):
    """For the middleware: returns the token ``reset_partnership`` takes."""
    return _current.set(_id(partnership)), _across.set(False)


def reset_partnership(tokens):
    current, across = tokens
    _across.reset(across)
    _current.reset(current)


class PartnershipQuerySet(models.QuerySet):
    """Refuses to run unless it is scoped to a partnership (or deliberately is not)."""

    _scope_checked = False

    def _clone(self):
        clone = super()._clone()
        clone._scope_checked = self._scope_checked
        return clone

    def _guard(self):
        if self._scope_checked:
            return
        parent = self._hints.get("instance")
        if parent is not None and getattr(parent, "partnership_id", None) is not None:
            return  # reached through a partnership-owned row: scoped by it
        raise UnscopedQuery(
            f"A query of {self.model.__name__} ran with no partnership: scope it "
            "(scoped_to, in_partnership) or read across_partnerships deliberately"
        )

    def _fetch_all(self):
        if self._result_cache is None:
            self._guard()
        super()._fetch_all()

    def count(self):
        if self._result_cache is None:
            self._guard()
        return super().count()

    def exists(self):
        if self._result_cache is None:
            self._guard()
        return super().exists()

    def aggregate(self, *args, **kwargs):
        self._guard()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs):
        self._guard()
        return super().update(**kwargs)

    def delete(self):
        self._guard()
        return super().delete()

    def iterator(self, chunk_size=None):
        self._guard()
        return super().iterator(chunk_size=chunk_size)

    def in_bulk(self, *args, **kwargs):
        self._guard()
        return super().in_bulk(*args, **kwargs)

    def update_or_create(self, *args, **kwargs):
        self._guard()
        return super().update_or_create(*args, **kwargs)

    def get_or_create(self, *args, **kwargs):
        self._guard()
        return super().get_or_create(*args, **kwargs)


class PartnershipManager(models.Manager.from_queryset(PartnershipQuerySet)):
    """The default manager of every partnership-owned model. ``scope_field`` is the
    path to the partnership from the model (``partnership`` on owned rows)."""

    scope_field = "partnership"

    def _scoped(self, queryset, pid):
        return queryset.filter(**{f"{self.scope_field}_id": pid})

    def get_queryset(self):
        queryset = super().get_queryset()
        pid = current_partnership_id()
        if pid is not None:
            queryset = self._scoped(queryset, pid)
            queryset._scope_checked = True
        elif _across.get():
            queryset._scope_checked = True
        return queryset

    def in_partnership(self, partnership):
        queryset = self._scoped(super().get_queryset(), _id(partnership))
        queryset._scope_checked = True
        return queryset

    def across_partnerships(self):
        queryset = super().get_queryset()
        queryset._scope_checked = True
        return queryset

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if self.scope_field == "partnership":
            for obj in objs:
                if obj.partnership_id is None:
                    obj.partnership_id = require_partnership_id()
        return super().bulk_create(objs, *args, **kwargs)


class PartnershipOwned(models.Model):
    """Abstract base: the partnership key and the scoped default manager."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="+", editable=False
    )

    objects = PartnershipManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.partnership_id is None:
            self.partnership_id = require_partnership_id()
        super().save(*args, **kwargs)


def own_scope(task):
    """For celery tasks: a task starts with no partnership (a worker has none; in eager
    mode it would otherwise inherit the caller's) and names the one it works in
    itself, so a task that forgets fails in the tests instead of reading another
    partnership's rows."""

    @wraps(task)
    def wrapped(*args, **kwargs):
        with scoped_to(None):
            return task(*args, **kwargs)

    return wrapped
