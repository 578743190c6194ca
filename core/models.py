from django.conf import settings
from django.db import models
from django.utils import timezone

from core.tenancy import PartnershipOwned


class AuditEntry(PartnershipOwned):
    """Append-only record of every change of a value or a status."""

    class Action(models.TextChoices):
        VALUE_CHANGED = "value_changed", "Value changed"
        CREATED = "created", "Return started"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned for changes"
        REOPENED = "reopened", "Reopened for correction"
        IMPORTED = "imported", "Imported"
        PERIOD_CHANGED = "period_changed", "Reporting period changed"
        ADMIN_CHANGE = "admin_change", "Changed in admin"
        DEFINITION_CHANGED = "definition_changed", "Indicator definition changed"
        TARGET_CHANGED = "target_changed", "Target changed"
        STRATEGY_CHANGED = "strategy_changed", "Strategy changed"
        PERSON_CHANGED = "person_changed", "Person or partner changed"
        ACTION_RECORDED = "action_recorded", "Meeting action recorded"
        ACTION_UPDATED = "action_updated", "Meeting action updated"
        PUBLISHED = "published", "Scorecard published"
        RULE_CHANGED = "rule_changed", "Validation rule changed"
        POLICE_UK = "police_uk", "police.uk area or figures changed"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # PROTECT: who did what is never lost; people who appear here are deactivated.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    quarterly_return = models.ForeignKey(
        "scorecard.QuarterlyReturn",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit",
    )
    indicator = models.ForeignKey(
        "indicators.Indicator", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    meeting_action = models.ForeignKey(
        "actions.MeetingAction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit",
    )
    # Whose account or role changed (for person_changed entries).
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    field = models.CharField(max_length=50, blank=True)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        db_table = "scorecard_auditentry"  # the table predates the split into apps
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit entries are append-only")
