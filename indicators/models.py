from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

from indicators import rag
from scorecard.periods import FinancialQuarter, financial_year_label

DECIMAL = {"max_digits": 16, "decimal_places": 4}


class Strategy(models.Model):
    """A multi-year Safe City Strategy, e.g. 2017–2020 or 2021–2026."""

    name = models.CharField(max_length=200, unique=True)
    start_year = models.PositiveSmallIntegerField(help_text="First financial year, e.g. 2017")
    end_year = models.PositiveSmallIntegerField(help_text="Last financial year, e.g. 2019")

    class Meta:
        ordering = ["-start_year", "name"]
        verbose_name_plural = "strategies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="strategy_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def years_label(self):
        return f"{financial_year_label(self.start_year)} to {financial_year_label(self.end_year)}"


class Priority(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priorities")
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["strategy", "order", "name"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["strategy", "name"], name="unique_priority_name")
        ]

    def __str__(self):
        return self.name


class Indicator(models.Model):
    class Measure(models.TextChoices):
        COUNT = rag.Measure.COUNT, "Count"
        PERCENTAGE = rag.Measure.PERCENTAGE, "Percentage"
        RATE = rag.Measure.RATE, "Rate"

    class Polarity(models.TextChoices):
        LOWER_IS_BETTER = rag.Polarity.LOWER_IS_BETTER, "Lower is better"
        HIGHER_IS_BETTER = rag.Polarity.HIGHER_IS_BETTER, "Higher is better"
        MONITOR = rag.Polarity.MONITOR, "Monitor only (not rated)"

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True, help_text="The definition partners report to")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="indicators")
    owner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="indicators"
    )
    measure = models.CharField(max_length=20, choices=Measure.choices, default=Measure.COUNT)
    rate_per = models.PositiveIntegerField(
        null=True, blank=True, help_text="For rates: the per-N denominator, e.g. 1000"
    )
    rate_denominator_label = models.CharField(
        max_length=100, blank=True, help_text="For rates, e.g. 'population aged 10 to 17'"
    )
    polarity = models.CharField(
        max_length=20, choices=Polarity.choices, default=Polarity.LOWER_IS_BETTER
    )
    data_source = models.CharField(max_length=255, blank=True)
    caveats = models.TextField(blank=True, help_text="Shown wherever the figure is shown")
    caution_below = models.DecimalField(
        **DECIMAL, null=True, blank=True, help_text="Below this the numbers are too small to rate"
    )
    tolerance_pct = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal(5),
        validators=[MinValueValidator(0)],
        help_text="How far past the target still counts as amber (%)",
    )
    stable_band_pct = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal("1.0"),
        validators=[MinValueValidator(0)],
        help_text="A year-on-year change smaller than this is 'stable' (%)",
    )
    outlier_band_pct = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal(50),
        validators=[MinValueValidator(0)],
        help_text="A move bigger than this against last year needs a commentary (%)",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["priority__strategy", "priority__order", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def rules(self) -> rag.IndicatorRules:
        return rag.IndicatorRules(
            measure=rag.Measure(self.measure),
            polarity=rag.Polarity(self.polarity),
            tolerance_pct=self.tolerance_pct,
            stable_band_pct=self.stable_band_pct,
            caution_below=self.caution_below,
        )

    def use_rules(self, *, targets: dict, breaks: list) -> None:
        """Targets by year and series breaks loaded in bulk for a list of indicators
        (``selectors.attach_rules``), so each row costs no query."""
        self._target_rules = targets
        self._series_breaks = breaks

    def target_rule_for(self, year: int) -> rag.TargetRule:
        """Uses rules attached in bulk, or prefetched ``targets``, when present, so a
        list of indicators costs no extra query per row."""
        attached = getattr(self, "_target_rules", None)
        if attached is not None:
            return attached.get(year, rag.NO_TARGET)
        for target in self.targets.all():
            if target.year == year:
                return target.rule()
        return rag.NO_TARGET

    def series_breaks(self) -> list[rag.SeriesBreak]:
        """Uses breaks attached in bulk, or prefetched ``breaks``, when present."""
        attached = getattr(self, "_series_breaks", None)
        if attached is not None:
            return attached
        return [b.rule() for b in self.breaks.all()]

    @property
    def unit_label(self) -> str:
        if self.measure == self.Measure.PERCENTAGE:
            return "%"
        if self.measure == self.Measure.RATE and self.rate_per:
            label = f"per {self.rate_per:,}"
            return f"{label} {self.rate_denominator_label}".strip()
        return "number"


class Target(models.Model):
    class Type(models.TextChoices):
        VALUE = rag.TargetType.VALUE, "Fixed value for the year"
        CHANGE_VS_LAST_YEAR = rag.TargetType.CHANGE_VS_LAST_YEAR, "% change on last year"
        NONE = rag.TargetType.NONE, "No target"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(help_text="Financial year it applies to, e.g. 2019")
    target_type = models.CharField(max_length=24, choices=Type.choices, default=Type.VALUE)
    value = models.DecimalField(
        **DECIMAL,
        null=True,
        blank=True,
        help_text="The annual value, or the % change (−2 means a 2% reduction)",
    )

    class Meta:
        # By id, not by "indicator": that would pull Indicator's ordering (a four-table
        # join) into every targets prefetch.
        ordering = ["indicator_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_target_per_year"),
            models.CheckConstraint(
                condition=models.Q(target_type="none") | models.Q(value__isnull=False),
                name="target_has_value_unless_none",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.financial_year}"

    @property
    def financial_year(self):
        return financial_year_label(self.year)

    def rule(self) -> rag.TargetRule:
        return rag.TargetRule(type=rag.TargetType(self.target_type), value=self.value)


class SeriesBreak(models.Model):
    """From this quarter on the figures are not like for like with earlier ones (e.g. the
    Home Office counting rules changed). SPC starts afresh here and a year-on-year
    comparison that reaches back across it carries a caution."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="breaks")
    year = models.PositiveSmallIntegerField(help_text="Financial year, e.g. 2019 for 2019-20")
    quarter = models.PositiveSmallIntegerField(choices=[(q, f"Q{q}") for q in (1, 2, 3, 4)])
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["indicator_id", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter"], name="one_break_per_quarter"
            )
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.period.label}"

    @property
    def period(self) -> FinancialQuarter:
        return FinancialQuarter(self.year, self.quarter)

    def rule(self) -> rag.SeriesBreak:
        return rag.SeriesBreak(self.period, self.reason)
