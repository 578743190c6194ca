from django.contrib import admin

from core.models import AuditEntry


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
