from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.db.models import Count

from core.audit import audit_entry, record_audits
from core.models import AuditEntry
from partners.models import ApiToken, Partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "active", "lead_count"]
    list_filter = ["active"]
    search_fields = ["code", "name", "leads__username", "leads__email"]
    filter_horizontal = ["leads"]

    def get_queryset(self, request):

        return super().get_queryset(request).annotate(_lead_count=Count("leads"))

    @admin.display(description="Leads", ordering="_lead_count")
    def lead_count(self, obj):
        return obj._lead_count


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created_at", "last_used_at"]
    search_fields = ["name", "user__username"]
    list_select_related = ["user"]
    readonly_fields = ["created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # tokens are made with `manage.py create_api_token` so the key is shown once


class PersonAdmin(UserAdmin):
    """People are deactivated, not deleted, once the audit trail names them: the audit
    entry's actor is protected, so the admin refuses such a deletion and lists why.
    Any deletion that does happen is itself audited."""

    def _audit_deletion(self, request, users):

        record_audits(
            audit_entry(
                actor=request.user,
                action=AuditEntry.Action.ADMIN_CHANGE,
                field="user",
                old_value=f"{user.username} ({user.get_full_name() or 'no name'})",
                comment="user deleted",
            )
            for user in users
        )

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._audit_deletion(request, [obj])
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            self._audit_deletion(request, list(queryset))
            super().delete_queryset(request, queryset)


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), PersonAdmin)
