from django.contrib import admin

from scorecard.models import (
    ApprovedValue,
    AuditEntry,
    Notification,
    QuarterlyReturn,
    ReportingPeriod,
    ReturnValue,
)


class AuditedAdmin(admin.ModelAdmin):
    """Writes an audit entry for every add/change/delete made through the admin."""

    def _audit(self, request, obj, what):
        AuditEntry.objects.create(
            actor=request.user,
            action=AuditEntry.Action.ADMIN_CHANGE,
            quarterly_return=obj if isinstance(obj, QuarterlyReturn) else None,
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


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The email outbox, for answering "did the reminder go?"."""

    list_display = ["created_at", "kind", "recipient", "subject", "sent_at", "attempts"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["recipient", "subject", "dedupe_key"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
