from django.conf import settings
from django.db import models
from django.utils import timezone

from core.periods import FinancialQuarter, financial_year_label
from core.tenancy import PartnershipManager, PartnershipOwned, PartnershipQuerySet
from indicators.models import DECIMAL
from returns.quality import rules


class ReportingPeriodQuerySet(PartnershipQuerySet):
    def for_quarter(self, fq: FinancialQuarter):
        return self.filter(year=fq.year, quarter=fq.quarter)


class ReportingPeriod(PartnershipOwned):
    """A financial-year quarter that partners report on, with its deadline."""

    year = models.PositiveSmallIntegerField(help_text="Financial year start, e.g. 2019 for 2019-20")
    quarter = models.PositiveSmallIntegerField(choices=[(q, f"Q{q}") for q in range(1, 5)])
    deadline = models.DateField(help_text="Returns are due by the end of this day")
    is_open = models.BooleanField(default=False, help_text="Open for partners to enter figures")
    opened_at = models.DateTimeField(null=True, blank=True)

    objects = PartnershipManager.from_queryset(ReportingPeriodQuerySet)()

    class Meta:
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "year", "quarter"], name="one_period_per_quarter"
            ),
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


class QuarterlyReturn(PartnershipOwned):
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


class ReturnValue(PartnershipOwned):
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


class ApprovedValue(PartnershipOwned):
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
        # The partnership leads, as in every index of a sharded (citus) layout.
        indexes = [
            models.Index(fields=["partnership", "indicator", "partner"], name="approved_by_owner")
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.period}: {self.value}"


class ValidationRule(PartnershipOwned):
    """A data-quality rule over one partner's figures for a quarter (``returns.quality.rules``):
    checked when a lead saves or submits, in the review queue and by
    ``validation_analysis``."""

    OPERATORS = [(o.value, o.value) for o in rules.Operator]
    STRATEGIES = [(m.value, m.value) for m in rules.MissingValueStrategy]
    IMPORTANCES = [(i.value, i.value.capitalize()) for i in rules.Importance]

    code = models.CharField(max_length=50)
    name = models.CharField(max_length=200)
    left = models.CharField(max_length=500, help_text="For example [REPEAT-01]")
    operator = models.CharField(max_length=20, choices=OPERATORS)
    right = models.CharField(max_length=500, help_text="For example [DA-01] + [DA-02]")
    missing_value_strategy = models.CharField(
        max_length=30, choices=STRATEGIES, default="skip_if_any_missing"
    )
    importance = models.CharField(max_length=10, choices=IMPORTANCES, default="medium")
    instruction = models.TextField(
        blank=True, help_text="What the lead should check when the rule is broken"
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="unique_rule_code")
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def expressions(self) -> tuple[rules.Expression, rules.Expression]:
        # Parsed once per loaded row: the review queue checks each rule for every return.
        if getattr(self, "_parsed", None) != (self.left, self.right):
            self._parsed = (self.left, self.right)
            self._expressions = (
                rules.parse_expression(self.left),
                rules.parse_expression(self.right),
            )
        return self._expressions

    @property
    def codes(self) -> list[str]:
        left, right = self.expressions()
        return list(dict.fromkeys([*left.codes, *right.codes]))

    @property
    def description(self) -> str:
        return f"{self.left} {rules.OPERATOR_WORDS[rules.Operator(self.operator)]} {self.right}"
