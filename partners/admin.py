from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count

from core.admin_site import AuditedAdmin
from partners.models import ApiToken, Partner


@admin.register(Partner)
class PartnerAdmin(AuditedAdmin):
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
class ApiTokenAdmin(AuditedAdmin):
    list_display = ["name", "user", "created_at", "last_used_at"]
    search_fields = ["name", "user__username"]
    list_select_related = ["user"]
    readonly_fields = ["created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # tokens are made with `manage.py create_api_token` so the key is shown once


class PersonAdmin(AuditedAdmin, UserAdmin):
    """People are deactivated, not deleted, once the audit trail names them: the audit
    entry's actor is protected, so the admin refuses such a deletion and lists why.
    Any deletion that does happen is itself audited (AuditedAdmin)."""


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), PersonAdmin)
