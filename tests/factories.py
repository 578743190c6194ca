from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from core.periods import FinancialQuarter, default_deadline
from core.tenancy import require_partnership_id
from indicators.models import Indicator, Priority, Strategy, StrategyIndicator, Target
from partners.models import Partner
from partners.roles import Role, forget_roles
from partnerships.models import Membership, Partnership
from returns.models import ReportingPeriod


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    first_name = factory.Faker("first_name")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """The role in the current partnership (the test's, unless it says another)."""
        if create and extracted:
            Membership.objects.get_or_create(
                partnership_id=require_partnership_id(), user=self, role=Role(extracted).value
            )
            forget_roles(self)
        if create:
            self.save()


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"P{n}")
    name = factory.LazyAttribute(lambda p: f"Partner {p.code}")

    @classmethod
    def _get_or_create(cls, model_class, *args, **kwargs):
        """Agencies are shared: an existing code is that agency, joining this
        partnership too."""
        existing = model_class.objects.across_partnerships().filter(code=kwargs["code"]).first()
        if existing is None:
            return model_class.objects.create(*args, **kwargs)
        existing.join(require_partnership_id())
        return existing


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy
        django_get_or_create = ["name"]

    name = "Safe City Strategy 2017–2020"
    start_year = 2017
    end_year = 2019


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority
        django_get_or_create = ["strategy", "name"]

    strategy = factory.SubFactory(StrategyFactory)
    name = "Reduce crime and anti-social behaviour"
    order = 1


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"IND-{n:03d}")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    priority = factory.SubFactory(PriorityFactory)
    owner = factory.SubFactory(PartnerFactory)
    measure = "count"
    polarity = "lower_is_better"

    @classmethod
    def _create(cls, model_class, *args, priority=None, **kwargs):
        """``priority`` places the indicator in that priority's strategy."""
        indicator = super()._create(model_class, *args, **kwargs)
        if priority is not None:
            StrategyIndicator.objects.create(
                strategy=priority.strategy, priority=priority, indicator=indicator
            )
            indicator.use_priority(priority)
        return indicator


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2019
    target_type = "value"
    value = Decimal(100)


def period(label: str, *, is_open: bool = False) -> ReportingPeriod:
    fq = FinancialQuarter.parse(label)
    obj, _ = ReportingPeriod.objects.get_or_create(
        year=fq.year,
        quarter=fq.quarter,
        defaults={"deadline": default_deadline(fq), "is_open": is_open},
    )
    return obj


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"partnership-{n}")
    name = factory.LazyAttribute(lambda p: f"{p.slug.title()} Community Safety Partnership")
    short_name = factory.LazyAttribute(lambda p: p.slug.title())


def set_role(user, role) -> None:
    """The person's only role in the current partnership (as a coordinator's change
    on the people page leaves it)."""
    pid = require_partnership_id()
    Membership.objects.filter(partnership_id=pid, user=user).delete()
    Membership.objects.create(partnership_id=pid, user=user, role=Role(role).value)
    forget_roles(user)
