"""Creating a partnership (by the hosting operator, or the command)."""

from __future__ import annotations

import re

from django.db import transaction

from core.periods import PeriodError, parse_financial_year
from core.tenancy import scoped_to
from partners import services as people
from partners.roles import Role
from partnerships.models import SLUG_PATTERN, Partnership, Population
from partnerships.resolution import is_operator


class PartnershipError(Exception):
    """The partnership cannot be created as asked; ``field`` says which input is wrong."""

    def __init__(self, message: str, field: str = "__all__"):
        super().__init__(message)
        self.field = field


def parse_population(text: str) -> tuple[int, int]:
    """``2019=252796`` or ``2019-20=252796`` → (2019, 252796)."""
    year_text, sep, count_text = text.partition("=")
    if not sep:
        raise PartnershipError(f"'{text}' should be YEAR=RESIDENTS, like 2019=252796", "population")
    year_text, count_text = year_text.strip(), count_text.strip().replace(",", "")
    try:
        year = int(year_text) if year_text.isdigit() else parse_financial_year(year_text)
    except PeriodError as error:
        raise PartnershipError(str(error), "population") from error
    if not re.fullmatch(r"\d+", count_text) or int(count_text) < 1:
        raise PartnershipError(
            f"The population for {year_text} must be a whole number above 0, like 252796",
            "population",
        )
    return year, int(count_text)


def _check(slug: str, name: str):
    if not re.fullmatch(SLUG_PATTERN, slug or ""):
        raise PartnershipError(
            "A short web name is lower-case letters, numbers and single hyphens, "
            "like portsmouth or test-valley",
            "slug",
        )
    if Partnership.objects.filter(slug=slug).exists():
        raise PartnershipError(f"There is already a partnership called '{slug}'", "slug")
    if not name.strip():
        raise PartnershipError("Enter the partnership's name", "name")
    if Partnership.objects.filter(name__iexact=name.strip()).exists():
        raise PartnershipError(f"There is already a partnership named {name.strip()}", "name")


def partnership_create(
    *,
    slug: str,
    name: str,
    short_name: str = "",
    area_description: str = "",
    populations: list[tuple[int, int]] = (),
    coordinator: dict | None = None,
    by=None,
) -> Partnership:
    """A new, empty partnership with its residents by year and (when given, as
    email/first_name/last_name) its first coordinator, invited to set a password. All
    or nothing: a bad input leaves nothing behind."""
    if by is not None and not is_operator(by):
        raise PartnershipError("Only the hosting operator creates partnerships")
    _check(slug, name)
    years = [year for year, _ in populations]
    if len(set(years)) != len(years):
        raise PartnershipError("Give each year's population once", "population")
    with transaction.atomic():
        partnership = Partnership.objects.create(
            slug=slug,
            name=name.strip(),
            short_name=(short_name or name).strip()[:40],
            area_description=area_description,
        )
        Population.objects.bulk_create(
            Population(partnership=partnership, year=year, residents=residents)
            for year, residents in populations
        )
        if coordinator:
            with scoped_to(partnership):
                try:
                    people.invite(role=Role.COORDINATOR, partners=[], by=by, **coordinator)
                except people.PeopleError as error:
                    raise PartnershipError(str(error), "coordinator_email") from error
    return partnership
