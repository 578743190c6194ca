"""The partnership's area, which crime types each indicator counts, and police.uk's
monthly figures reduced to counts (the street rows themselves are never kept)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.tenancy import PartnershipOwned
from policeuk.crime_types import CRIME_TYPES
from policeuk.reconcile import DEFAULT_TOLERANCE_PCT

CrimeType = models.TextChoices("CrimeType", [(t, t) for t in CRIME_TYPES])


class Lsoa(PartnershipOwned):
    """One Lower Layer Super Output Area in the partnership's area."""

    code = models.CharField(max_length=12)
    name = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]
        verbose_name = "LSOA"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="unique_area_lsoa")
        ]

    def __str__(self):
        return f"{self.code} {self.name}".strip()


class SeenLsoa(PartnershipOwned):
    """An LSOA as it appeared in an imported police.uk file (code and name), so a
    coordinator can choose the area by local authority name without another file."""

    code = models.CharField(max_length=12)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="unique_seen_lsoa")
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class PoliceUkMapping(PartnershipOwned):
    """An indicator measured as a count, and the police.uk crime types it counts."""

    indicator = models.OneToOneField(
        "indicators.Indicator", on_delete=models.CASCADE, related_name="police_uk"
    )
    crime_types = models.JSONField(default=list, help_text="Names among police.uk's 14 types")
    tolerance_pct = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        default=DEFAULT_TOLERANCE_PCT,
        help_text="How far, in per cent, a submitted figure may differ from police.uk's",
    )

    class Meta:
        verbose_name = "police.uk mapping"
        ordering = ["indicator__code"]

    def __str__(self):
        return f"{self.indicator_id}: {', '.join(self.crime_types)}"

    @property
    def tolerance(self) -> Decimal:
        return Decimal(self.tolerance_pct)


class Location(models.TextChoices):
    IN_AREA = "in_area", "In the area"
    OUTSIDE = "outside", "Outside the area"
    UNLOCATED = "unlocated", "No LSOA (could not be placed)"


class PoliceUkCount(PartnershipOwned):
    """How many crimes of one type a force's file for one month holds, in the area,
    outside it, or with no LSOA."""

    month = models.DateField(help_text="The first day of the month")
    force = models.CharField(max_length=100, help_text="The file's 'Falls within'")
    crime_type = models.CharField(max_length=40, choices=CrimeType.choices)
    location = models.CharField(max_length=10, choices=Location.choices)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["month", "force", "crime_type", "location"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "month", "force", "crime_type", "location"],
                name="unique_police_uk_count",
            )
        ]


class PoliceUkMonth(PartnershipOwned):
    """One force's month as imported: when, from which file, and against which area
    (police.uk revises its figures, and counts taken before the area changed are
    counts of the old area)."""

    month = models.DateField()
    force = models.CharField(max_length=100)
    file_name = models.CharField(max_length=255)
    rows = models.PositiveIntegerField()
    area_lsoas = models.PositiveIntegerField(help_text="LSOAs in the area at the import")
    area_signature = models.CharField(max_length=64)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-month", "force"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "month", "force"], name="unique_police_uk_month"
            )
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.force}"
