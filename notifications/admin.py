from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The email outbox, for answering "did the reminder go?"."""

    list_display = [
        "created_at",
        "kind",
        "recipient",
        "subject",
        "status",
        "attempts",
        "last_error",
    ]

    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["recipient", "subject", "dedupe_key"]
    date_hierarchy = "created_at"

    @admin.display(description="Status")
    def status(self, obj):
        if obj.sent_at:
            return "Sent"
        return "Failed, will retry" if obj.last_error else "Queued"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
