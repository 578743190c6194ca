from django.db import models
from django.utils import timezone

from core.tenancy import PartnershipOwned


class Notification(PartnershipOwned):
    """Outbox of emails. Rows are written in the same transaction as the change that
    causes them, then delivered by a celery task; the unique ``dedupe_key`` makes
    reminders idempotent (one per return, kind and day) and lets the daily sweep resend
    anything a down broker or mail server left unsent."""

    class Kind(models.TextChoices):
        PERIOD_OPENED = "period_opened", "Period opened"
        DEADLINE_SOON = "deadline_soon", "Deadline reminder"
        OVERDUE = "overdue", "Overdue reminder"
        SUBMITTED = "submitted", "Return submitted"
        RETURNED = "returned", "Return returned for changes"
        APPROVED = "approved", "Return approved"
        REOPENED = "reopened", "Return reopened"
        INVITED = "invited", "Invitation to the scorecard"
        ACTION_RECORDED = "action_recorded", "Action assigned"
        ACTION_OVERDUE = "action_overdue", "Action overdue"
        PASSWORD_RESET = "password_reset", "Password reset"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    dedupe_key = models.CharField(max_length=200)
    recipient = models.EmailField()
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    quarterly_return = models.ForeignKey(
        "scorecard.QuarterlyReturn",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        db_table = "scorecard_notification"  # the table predates the split into apps
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="notification_unsent")]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "dedupe_key"], name="one_notification_per_key"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.recipient}"
