from django.conf import settings
from django.db import models
from django.utils import timezone

from core.tenancy import PartnershipOwned


class MeetingAction(PartnershipOwned):
    """Something an SCP meeting agreed to do about an exception, owned by a partner and
    followed up at the next meetings until it is done or dropped."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    CLOSED = (Status.DONE, Status.DROPPED)

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="actions"
    )
    title = models.CharField(max_length=200)
    description = models.TextField("What will be done")
    owner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="meeting_actions"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_actions",
        help_text="The person who will see it done",
    )
    due_date = models.DateField()
    indicators = models.ManyToManyField(
        "indicators.Indicator",
        blank=True,
        related_name="meeting_actions",
        db_table="scorecard_meetingaction_indicators",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "scorecard_meetingaction"  # the table predates the split into apps
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"], name="action_status_due")]

    def __str__(self):
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED

    def is_overdue(self, today) -> bool:
        return not self.is_closed and self.due_date < today


class ActionUpdate(PartnershipOwned):
    """A progress note on an action, with the status it leaves the action in."""

    action = models.ForeignKey(MeetingAction, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    status = models.CharField(max_length=12, choices=MeetingAction.Status.choices)

    class Meta:
        db_table = "scorecard_actionupdate"  # the table predates the split into apps
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.action} {self.at:%Y-%m-%d}: {self.get_status_display()}"
