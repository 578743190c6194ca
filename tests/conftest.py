"""Shared personas, used everywhere (after healthchecks' alice/bob/charlie):
a lead of agency A (police), a lead of agency B (fire), two coordinators, an SCP member.
"""

import pytest

from partners.roles import Role, ensure_role_groups
from tests import factories


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def roles(db):
    ensure_role_groups()


@pytest.fixture
def police(db):
    return factories.PartnerFactory(code="HC", name="Hampshire Constabulary")


@pytest.fixture
def fire(db):
    return factories.PartnerFactory(code="HFRS", name="Hampshire Fire and Rescue Service")


@pytest.fixture
def police_lead(roles, police):
    user = factories.UserFactory(username="police.lead", role=Role.PARTNER_LEAD)
    police.leads.add(user)
    return user


@pytest.fixture
def fire_lead(roles, fire):
    user = factories.UserFactory(username="fire.lead", role=Role.PARTNER_LEAD)
    fire.leads.add(user)
    return user


@pytest.fixture
def coordinator(roles):
    return factories.UserFactory(username="coordinator", role=Role.COORDINATOR, is_staff=True)


@pytest.fixture
def coordinator2(roles):
    return factories.UserFactory(username="coordinator2", role=Role.COORDINATOR, is_staff=True)


@pytest.fixture
def member(roles):
    return factories.UserFactory(username="member", role=Role.SCP_MEMBER)


@pytest.fixture
def priority(db):
    return factories.PriorityFactory()


@pytest.fixture
def q4_2019(db):
    return factories.period("2019-20 Q4", is_open=True)
