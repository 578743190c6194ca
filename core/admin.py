from django.contrib import admin

from core.audit import record_audit
from core.models import AuditEntry


class AuditedAdmin(admin.ModelAdmin):
    """Writes an audit entry for every add/change/delete made through the admin."""

    def audit_links(self, obj) -> dict:
        """The audit entry's links to the changed row (a return's admin links the return)."""
        return {}

    def _audit(self, request, obj, what):
        record_audit(
            actor=request.user,
            action=AuditEntry.Action.ADMIN_CHANGE,
            **self.audit_links(obj),
            field=obj._meta.model_name,
            new_value=str(obj)[:500],
            comment=what,
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = ", ".join(form.changed_data) if change else "created"
        self._audit(request, obj, f"{obj._meta.verbose_name} {changed}")

    def delete_model(self, request, obj):
        self._audit(request, obj, f"{obj._meta.verbose_name} deleted")
        super().delete_model(request, obj)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "quarterly_return", "indicator", "field", "comment"]
    list_filter = ["action", "at", "quarterly_return__partner"]
    search_fields = ["actor__username", "comment", "indicator__code", "old_value", "new_value"]
    list_select_related = [
        "actor",
        "quarterly_return__partner",
        "quarterly_return__period",
        "indicator",
    ]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
