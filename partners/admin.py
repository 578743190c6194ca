from django.contrib import admin

from partners.models import Partner


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
