from django.contrib import admin

from partners.models import ApiToken, Partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "active", "lead_count"]
    list_filter = ["active"]
    search_fields = ["code", "name", "leads__username", "leads__email"]
    filter_horizontal = ["leads"]

    def get_queryset(self, request):
        from django.db.models import Count

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
