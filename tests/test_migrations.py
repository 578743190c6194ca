"""Moving the audit trail, the outbox, meetings and actions into apps of their own
changed no table: a database migrated before the move keeps every row, and each
model's content type (with its permissions, the groups holding them and the admin log)
is relabelled rather than replaced."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("scorecard", "0010_approved_value_owner_index"),
    ("partners", "0002_api_token"),
    ("contenttypes", "0002_remove_content_type_name"),
    ("auth", "0012_alter_user_first_name_max_length"),
]
MOVED = ["core", "notifications", "meetings", "actions"]


@pytest.mark.django_db(transaction=True)
def test_migrating_a_database_from_before_the_split_keeps_rows_and_permissions():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    ContentType = old.get_model("contenttypes", "ContentType")
    # A database from before the split has no content types under the new labels.
    ContentType.objects.filter(app_label__in=MOVED).delete()
    Permission = old.get_model("auth", "Permission")
    Group = old.get_model("auth", "Group")
    audit_type = ContentType.objects.create(app_label="scorecard", model="auditentry")
    view_audit = Permission.objects.create(
        content_type=audit_type, codename="view_auditentry", name="Can view audit entry"
    )
    group = Group.objects.create(name="Auditors")
    group.permissions.add(view_audit)
    old.get_model("scorecard", "AuditEntry").objects.create(action="imported", comment="kept")
    old.get_model("scorecard", "Notification").objects.create(
        kind="invited", dedupe_key="k1", recipient="a@example.org", subject="Hello", body_text="x"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps

    assert list(new.get_model("core", "AuditEntry").objects.values_list("comment", flat=True)) == [
        "kept"
    ]
    assert new.get_model("notifications", "Notification").objects.get().dedupe_key == "k1"
    moved = new.get_model("contenttypes", "ContentType").objects.get(pk=audit_type.pk)
    assert (moved.app_label, moved.model) == ("core", "auditentry")
    group = new.get_model("auth", "Group").objects.get(name="Auditors")
    assert list(group.permissions.values_list("pk", flat=True)) == [view_audit.pk]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert {"scorecard_auditentry", "scorecard_notification", "scorecard_meetingaction"} <= set(
        tables
    )
    assert not {t for t in tables if t.startswith(("core_", "meetings_", "actions_"))}
