from django.conf import settings
from django.db import models
from django.utils import timezone

from indicators.models import DECIMAL
from scorecard.periods import FinancialQuarter, financial_year_label


class ReportingPeriodQuerySet(models.QuerySet):
    def for_quarter(self, fq: FinancialQuarter):
        return self.filter(year=fq.year, quarter=fq.quarter)


class ReportingPeriod(models.Model):
    """A financial-year quarter that partners report on, with its deadline."""

    year = models.PositiveSmallIntegerField(help_text="Financial year start, e.g. 2019 for 2019-20")
    quarter = models.PositiveSmallIntegerField(choices=[(q, f"Q{q}") for q in range(1, 5)])
    deadline = models.DateField(help_text="Returns are due by the end of this day")
    is_open = models.BooleanField(default=False, help_text="Open for partners to enter figures")
    opened_at = models.DateTimeField(null=True, blank=True)

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="one_period_per_quarter"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarter_1_to_4"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def fq(self) -> FinancialQuarter:
        return FinancialQuarter(self.year, self.quarter)

    @property
    def label(self) -> str:
        return self.fq.label

    @property
    def slug(self) -> str:
        return self.fq.slug

    @property
    def financial_year(self) -> str:
        return financial_year_label(self.year)


class QuarterlyReturn(models.Model):
    """One partner's figures for one period. Its status moves only through services."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for changes"
        REOPENED = "reopened", "Reopened for correction"
        APPROVED = "approved", "Approved"

    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="returns"
    )
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(blank=True)

    revision = models.PositiveIntegerField(
        default=0,
        help_text="Goes up with every change of a figure or status, so a reviewer's action "
        "applies only to the version of the return they saw",
    )

    class Meta:
        ordering = ["-period__year", "-period__quarter", "partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "period"], name="one_return_per_partner")
        ]
        permissions = [
            ("enter_figures", "Can enter figures for their own partners"),
            ("review_return", "Can approve or return submitted returns"),
            ("view_all_returns", "Can see every partner's returns"),
        ]

    def __str__(self):
        return f"{self.partner} – {self.period}"

    @property
    def is_locked(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.APPROVED)

    @property
    def is_editable(self) -> bool:
        """Leads change figures in a draft while its period is open, and in a return
        the coordinators sent back or reopened for a correction, whatever the period.
        Closing a period freezes its drafts (coordinators may reopen the period)."""
        if self.status in (self.Status.RETURNED, self.Status.REOPENED):
            return True
        return self.status == self.Status.DRAFT and self.period.is_open

    def edit_refusal(self) -> str:
        """Why a lead cannot change this return now ("" when they can)."""
        if self.is_editable:
            return ""
        if self.status == self.Status.DRAFT:
            return (
                f"The period {self.period.label} is closed, so this draft can no longer be "
                "changed or submitted; ask the Stronger Communities team to reopen the period"
            )
        return f"This return is {self.get_status_display().lower()} and cannot be edited"

    @property
    def is_correction(self) -> bool:
        """Reopened after approval: its original timing stands and it is never overdue."""
        return self.status == self.Status.REOPENED

    def submitted_on_time(self) -> bool | None:
        if self.submitted_at is None:
            return None
        return timezone.localdate(self.submitted_at) <= self.period.deadline


class ReturnValue(models.Model):
    """A figure as the partner entered it (draft or under review)."""

    quarterly_return = models.ForeignKey(
        QuarterlyReturn, on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.PROTECT, related_name="return_values"
    )
    value = models.DecimalField(**DECIMAL, null=True, blank=True)
    numerator = models.DecimalField(**DECIMAL, null=True, blank=True)
    denominator = models.DecimalField(**DECIMAL, null=True, blank=True)
    commentary = models.TextField(blank=True)
    not_available = models.BooleanField(default=False)
    not_available_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarterly_return", "indicator"], name="one_value_per_indicator"
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code}: {self.value}"


class ApprovedValue(models.Model):
    """The figure the scorecard shows: written only when a return is approved, so a
    reopened return keeps its previously approved figures visible until re-approval."""

    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.PROTECT, related_name="approved_values"
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="approved_values"
    )
    value = models.DecimalField(**DECIMAL, null=True, blank=True)
    commentary = models.TextField(blank=True)
    approved_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quarterly_return = models.ForeignKey(
        QuarterlyReturn, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The agency that supplied it; only the indicator owner's figures count",
    )

    class Meta:
        ordering = ["indicator__code", "period__year", "period__quarter"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="one_approved_value")
        ]
        # The scorecard reads each indicator's figures from its owner: with only the
        # single-column indexes SQLite walked every figure of the owning partner (all its
        # indicators) and sorted them, twice as slow at 200 indicators x 10 years.
        indexes = [models.Index(fields=["indicator", "partner"], name="approved_by_owner")]

    def __str__(self):
        return f"{self.indicator.code} {self.period}: {self.value}"


class AuditEntry(models.Model):
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

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # PROTECT: who did what is never lost; people who appear here are deactivated.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    quarterly_return = models.ForeignKey(
        QuarterlyReturn, null=True, blank=True, on_delete=models.CASCADE, related_name="audit"
    )
    indicator = models.ForeignKey(
        "indicators.Indicator", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    meeting_action = models.ForeignKey(
        "scorecard.MeetingAction",
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


class Notification(models.Model):
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
    dedupe_key = models.CharField(max_length=200, unique=True)
    recipient = models.EmailField()
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    quarterly_return = models.ForeignKey(
        QuarterlyReturn, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="notification_unsent")]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.recipient}"


class Meeting(models.Model):
    """One of the SCP's six meetings a year."""

    title = models.CharField(max_length=200)
    date = models.DateField()
    theme = models.CharField(
        max_length=200, blank=True, help_text="Optional theme, e.g. 'Domestic abuse'"
    )
    theme_indicators = models.ManyToManyField(
        "indicators.Indicator",
        blank=True,
        related_name="+",
        help_text="The indicators the theme is about, chosen by a coordinator",
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text="The reporting period whose approved figures the pack shows",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date"]

    def __str__(self):
        return f"{self.title} ({self.date:%-d %b %Y})"


class MeetingPack(models.Model):
    """A version of a meeting's pack. The snapshot is taken when the pack is issued and
    never recomputed, so later corrections do not change a circulated pack."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        GENERATING = "generating", "Generating"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="packs")
    version = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    snapshot = models.JSONField()
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.TextField(blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    html = models.TextField(blank=True, editable=False, help_text="The web version")
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    xlsx = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["meeting", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="one_pack_per_version")
        ]

    def __str__(self):
        return f"{self.meeting} v{self.version}"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY


class AnnualReview(models.Model):
    """The narrative for one financial year, generated then edited by a coordinator."""

    year = models.PositiveSmallIntegerField(unique=True)
    text = models.TextField(help_text="Markdown")
    generated_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return f"Annual review {financial_year_label(self.year)}"


class MeetingAction(models.Model):
    """Something an SCP meeting agreed to do about an exception, owned by a partner and
    followed up at the next meetings until it is done or dropped."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    CLOSED = (Status.DONE, Status.DROPPED)

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
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
        "indicators.Indicator", blank=True, related_name="meeting_actions"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"], name="action_status_due")]

    def __str__(self):
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED

    def is_overdue(self, today) -> bool:
        return not self.is_closed and self.due_date < today


class ActionUpdate(models.Model):
    """A progress note on an action, with the status it leaves the action in."""

    action = models.ForeignKey(MeetingAction, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    status = models.CharField(max_length=12, choices=MeetingAction.Status.choices)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.action} {self.at:%Y-%m-%d}: {self.get_status_display()}"


class PublishedScorecard(models.Model):
    """An issued pack's snapshot as published to the public: only publishable
    indicators, small numbers suppressed, no commentary or names. Built once when
    published, so a public visit reads one row and never writes."""

    pack = models.ForeignKey(MeetingPack, on_delete=models.PROTECT, related_name="publications")
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField()

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return f"Published {self.pack} ({self.published_at:%Y-%m-%d})"
