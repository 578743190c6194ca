from django.conf import settings
from django.db import models
from django.utils import timezone

from core.periods import financial_year_label
from core.tenancy import PartnershipOwned


class Meeting(PartnershipOwned):
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
        db_table="scorecard_meeting_theme_indicators",
        help_text="The indicators the theme is about, chosen by a coordinator",
    )
    period = models.ForeignKey(
        "scorecard.ReportingPeriod",
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text="The reporting period whose approved figures the pack shows",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "scorecard_meeting"  # the table predates the split into apps
        ordering = ["-date"]

    def __str__(self):
        return f"{self.title} ({self.date:%-d %b %Y})"


class MeetingPack(PartnershipOwned):
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
        db_table = "scorecard_meetingpack"  # the table predates the split into apps
        ordering = ["meeting", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="one_pack_per_version")
        ]

    def __str__(self):
        return f"{self.meeting} v{self.version}"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY


class AnnualReview(PartnershipOwned):
    """The narrative for one financial year, generated then edited by a coordinator."""

    year = models.PositiveSmallIntegerField()
    text = models.TextField(help_text="Markdown")
    generated_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "scorecard_annualreview"  # the table predates the split into apps
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year"], name="one_review_a_year")
        ]

    def __str__(self):
        return f"Annual review {financial_year_label(self.year)}"


class PublishedScorecard(PartnershipOwned):
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
        db_table = "scorecard_publishedscorecard"  # the table predates the split into apps
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return f"Published {self.pack} ({self.published_at:%Y-%m-%d})"
