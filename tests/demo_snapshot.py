"""The demo partnership built once per test session and bulk-inserted into each test
that asks for it. ``loaddata`` saves one row at a time (2 s for the demo's 1,600 rows);
``bulk_create`` per model takes a few queries."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from core.tenancy import across_partnerships

EXCLUDE = ["contenttypes", "auth.permission", "auth.group", "sessions", "admin.logentry", "axes"]


@dataclass
class DemoSnapshot:
    data: str
    group_names: dict[int, str]  # group pk in the snapshot → name

    def restore(self):
        # One transaction: foreign keys are checked at commit (Django makes them
        # deferrable), so rows may go in model by model whatever points at what.
        with transaction.atomic():
            self._restore()

    def _restore(self):
        from partners.roles import ensure_role_groups

        ensure_role_groups()
        group_ids = {g.name: g.pk for g in Group.objects.all()}
        remap = {old: group_ids[name] for old, name in self.group_names.items()}
        by_model: dict[type, list] = {}
        for item in serializers.deserialize("json", self.data):
            by_model.setdefault(type(item.object), []).append(item)
        for model, items in by_model.items():
            model._base_manager.bulk_create([i.object for i in items], batch_size=500)
        for model, items in by_model.items():
            for name in {n for i in items for n in i.m2m_data}:
                field = model._meta.get_field(name)
                through = field.remote_field.through
                source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
                rows = [
                    through(
                        **{
                            f"{source}_id": i.object.pk,
                            f"{target}_id": remap.get(pk, pk) if name == "groups" else pk,
                        }
                    )
                    for i in items
                    for pk in i.m2m_data.get(name, [])
                ]
                through.objects.bulk_create(rows)
        # PostgreSQL: new rows made by the test must not collide with the restored ids.
        sql = connection.ops.sequence_reset_sql(no_style(), list(by_model))
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)


def take_snapshot() -> DemoSnapshot:
    from django.test import override_settings

    # The tests' fast hasher (tests/conftest.py), so the demo users' passwords work there.
    md5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(PASSWORD_HASHERS=md5), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        out = io.StringIO()
        with across_partnerships():
            call_command("dumpdata", *[f"--exclude={x}" for x in EXCLUDE], stdout=out)
        names = dict(Group.objects.values_list("pk", "name"))
        transaction.set_rollback(True)
    return DemoSnapshot(out.getvalue(), names)
