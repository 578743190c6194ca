from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from core.periods import FinancialQuarter, financial_year_label
from core.tenancy import PartnershipManager, PartnershipOwned, PartnershipQuerySet
from indicators import rag

DECIMAL = {"max_digits": 16, "decimal_places": 4}


def strategy_in_force(strategies, year: int):
    """The strategy a financial year reports under: the one covering it (the one that
    started latest, if several do). A year no strategy covers (a gap in the set-up)
    falls to the latest strategy begun before it, else the first one, so a period is
    never left without a scorecard."""
    strategies = sorted(strategies, key=lambda s: (s.start_year, s.id))
    covering = [s for s in strategies if s.start_year <= year <= s.end_year]
    earlier = [s for s in strategies if s.start_year <= year]
    for candidates in (covering, earlier, strategies[:1]):
        if candidates:
            return candidates[-1]
    return None


class StrategyQuerySet(PartnershipQuerySet):
    def in_force(self, year: int) -> "Strategy | None":
        # A partnership has a handful of strategies: one small query, the rule in Python.
        return strategy_in_force(self.all(), year)


class Strategy(PartnershipOwned):
    """A multi-year Safe City Strategy, e.g. 2017–2020 or 2021–2026."""

    name = models.CharField(max_length=200)
    start_year = models.PositiveSmallIntegerField(help_text="First financial year, e.g. 2017")
    end_year = models.PositiveSmallIntegerField(help_text="Last financial year, e.g. 2019")

    objects = PartnershipManager.from_queryset(StrategyQuerySet)()

    class Meta:
        ordering = ["-start_year", "name"]
        verbose_name_plural = "strategies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="unique_strategy_name"),
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="strategy_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def years_label(self):
        return f"{financial_year_label(self.start_year)} to {financial_year_label(self.end_year)}"


class Priority(PartnershipOwned):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priorities")
    name = models.CharField(max_length=200)
    # What a person would write on a workbook's sheet tab (Excel allows 31 characters).
    short_name = models.CharField(max_length=31, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["strategy", "order", "name"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["strategy", "name"], name="unique_priority_name")
        ]

    def __str__(self):
        return self.name


class Indicator(PartnershipOwned):
    class Measure(models.TextChoices):
        COUNT = rag.Measure.COUNT, "Count"
        PERCENTAGE = rag.Measure.PERCENTAGE, "Percentage"
        RATE = rag.Measure.RATE, "Rate"

    class Polarity(models.TextChoices):
        LOWER_IS_BETTER = rag.Polarity.LOWER_IS_BETTER, "Lower is better"
        HIGHER_IS_BETTER = rag.Polarity.HIGHER_IS_BETTER, "Higher is better"
        MONITOR = rag.Polarity.MONITOR, "Monitor only (not rated)"

    code = models.SlugField(max_length=30)
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True, help_text="The definition partners report to")
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
    share_with_peers = models.BooleanField(
        default=False,
        help_text="Let other partnerships in this installation compare their rate with "
        "ours (a count shared by code; our name is shown only to partnerships that share)",
    )
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
    active = models.BooleanField(
        default=True, help_text="Retired indicators are no longer asked of partners"
    )
    publishable = models.BooleanField(
        default=False, help_text="Shown on the public scorecard when a pack is published"
    )
    public_note = models.TextField(
        blank=True,
        help_text="Plain-language note for the public scorecard (partner commentary is internal)",
    )
    public_note_period = models.CharField(
        max_length=12,
        blank=True,
        help_text="The quarter the note was written for, e.g. 2019-20 Q4: the public page "
        "says so, so an old note is not read as today's",
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="unique_indicator_code")
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def use_priority(self, priority: "Priority") -> None:
        """The priority it reports under in the strategy of the period being shown,
        attached by the selectors: an indicator sits in a different priority of each
        strategy it belongs to, so it has no priority of its own."""
        self._priority = priority

    def place_for_year(self, year: int) -> "StrategyIndicator | None":
        """Its place in the strategy it reported under in ``year``, from prefetched
        ``places__priority__strategy`` (the rule of ``strategy_in_force`` applied to its
        own strategies)."""
        places = {place.strategy: place for place in self.places.all()}
        return places.get(strategy_in_force(places, year))

    def latest_place(self) -> "StrategyIndicator | None":
        places = sorted(self.places.all(), key=lambda p: (p.strategy.start_year, p.strategy_id))
        return places[-1] if places else None

    @property
    def priority(self) -> "Priority":
        try:
            return self._priority
        except AttributeError:
            raise AttributeError(
                f"{self.code}: no priority attached; load it through a selector that "
                "knows the period (an indicator's priority depends on the strategy)"
            ) from None

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


class StrategyIndicator(PartnershipOwned):
    """An indicator's place in one strategy: the priority it reports under there. An
    indicator carried into a new strategy gets a second place and keeps its history."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="places")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="places")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="places")

    class Meta:
        ordering = ["strategy", "priority__order", "indicator__code"]
        verbose_name = "indicator in a strategy"
        verbose_name_plural = "indicators in strategies"
        constraints = [
            models.UniqueConstraint(fields=["strategy", "indicator"], name="one_place_per_strategy")
        ]

    def __str__(self):
        return f"{self.indicator.code} in {self.strategy}"

    def clean(self):
        if self.priority_id and self.strategy_id and self.priority.strategy_id != self.strategy_id:
            raise ValidationError({"priority": "Choose a priority of this strategy"})


# What a coordinator edits on an indicator's set-up page; each change is audited.
DEFINITION_FIELDS = [
    "name",
    "description",
    "owner",
    "measure",
    "rate_per",
    "rate_denominator_label",
    "polarity",
    "data_source",
    "caveats",
    "caution_below",
    "tolerance_pct",
    "stable_band_pct",
    "outlier_band_pct",
    "active",
    "publishable",
    "public_note",
    "public_note_period",
    "share_with_peers",
]


class Target(PartnershipOwned):
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
    note = models.CharField(
        max_length=300, blank=True, help_text="Why this target, e.g. 'Carried forward from 2019-20'"
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


class SeriesBreak(PartnershipOwned):
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
