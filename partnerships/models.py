"""A partnership, who belongs to it and in what role, and its residents by year.

Partnerships are the installation's tenants. They are not themselves scoped: a person
sees the ones they belong to (``for_user``), the operator sees them all.
"""

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class PartnershipQuerySet(models.QuerySet):
    def publishing(self):
        return self.filter(publishes=True)


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True, help_text="e.g. Safe City Partnership")
    short_name = models.CharField(max_length=40, help_text="e.g. Southampton SCP")
    slug = models.SlugField(
        max_length=50,
        unique=True,
        validators=[
            RegexValidator(SLUG_PATTERN, "Use lower-case letters, numbers and single hyphens only")
        ],
        help_text="Used in web addresses and commands, e.g. southampton",
    )
    area_description = models.TextField(blank=True)
    logo = models.FileField(upload_to="logos/", blank=True)
    coordinating_team = models.CharField(
        max_length=100,
        default="Stronger Communities team",
        help_text="The team that reviews returns, as people know it",
    )
    # Publishing is switched on by issuing and publishing a pack; the flag lets the
    # public index list only partnerships with something to show.
    publishes = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def population_in(self, year: int) -> int | None:
        """Residents in financial year ``year``: that year's figure or the latest
        before it (estimates come out a year or two late)."""
        known = sorted((p for p in self.populations.all() if p.year <= year), key=lambda p: p.year)
        return known[-1].residents if known else None


class Population(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="populations"
    )
    year = models.PositiveSmallIntegerField(help_text="Financial year it starts, e.g. 2019")
    residents = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["partnership", "year"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year"], name="one_population_a_year")
        ]

    def __str__(self):
        return f"{self.partnership}: {self.residents:,} in {self.year}"


OPERATOR = "Hosting operator"


class Membership(models.Model):
    """A person's role in one partnership: a police analyst can be a lead in three. A
    person usually has one role in a partnership (a coordinator who also leads an
    agency has two). The hosting operator's row has no partnership: they create
    partnerships and see the overview of all of them (read with the rest of a
    person's roles, in one query)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships", null=True, blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=30)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partnership__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user", "role"], name="each_role_once_per_partnership"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(role=OPERATOR), name="operator_once"
            ),
            models.CheckConstraint(
                condition=models.Q(role=OPERATOR, partnership__isnull=True)
                | (~models.Q(role=OPERATOR) & models.Q(partnership__isnull=False)),
                name="operator_alone_has_no_partnership",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.role} in {self.partnership}"


class PartnershipPartner(models.Model):
    """An agency's place in a partnership: Hampshire Constabulary serves several."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="partner_links"
    )
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.CASCADE, related_name="partnership_links"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "partner"], name="one_link_per_partner")
        ]

    def __str__(self):
        return f"{self.partner} in {self.partnership}"
