from django.contrib import admin

from core.admin_site import AuditedAdmin
from returns.models import ApprovedValue, QuarterlyReturn, ReportingPeriod, ReturnValue


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(AuditedAdmin):
    list_display = ["label", "deadline", "is_open"]
    list_filter = ["is_open", "year", "quarter"]
    ordering = ["-year", "-quarter"]


class ReturnValueInline(admin.TabularInline):
    model = ReturnValue
    extra = 0
    readonly_fields = ["indicator"]
    fields = ["indicator", "value", "numerator", "denominator", "commentary", "not_available"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(QuarterlyReturn)
class QuarterlyReturnAdmin(AuditedAdmin):
    """Status changes go through the workflow screens, never the admin, so they are
    checked and audited in one place; the admin is for looking things up."""

    list_display = ["partner", "period", "status", "submitted_at", "reviewed_by"]
    list_filter = ["status", "period", "partner"]
    search_fields = ["partner__name", "partner__code", "review_comment"]
    list_select_related = ["partner", "period", "reviewed_by"]
    readonly_fields = [
        "partner",
        "period",
        "status",
        "submitted_at",
        "submitted_by",
        "reviewed_at",
        "reviewed_by",
        "review_comment",
    ]
    inlines = [ReturnValueInline]

    def audit_links(self, obj) -> dict:
        return {"quarterly_return": obj}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApprovedValue)
class ApprovedValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period", "value", "approved_by", "approved_at"]
    list_filter = ["period", "indicator__owner", "indicator__places__priority"]
    search_fields = ["indicator__code", "indicator__name", "commentary"]
    list_select_related = ["indicator", "period", "approved_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
