"""Shared personas, used everywhere (after healthchecks' alice/bob/charlie):
a lead of agency A (police), a lead of agency B (fire), two coordinators, an SCP member.
"""

import pytest

from core.tenancy import scoped_to
from partners.roles import Role, ensure_role_groups
from partnerships.resolution import default_partnership
from tests import factories


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.SECURE_SSL_REDIRECT = False  # the test client and live server speak plain http
    from django.core.cache import cache

    cache.clear()  # the public scorecard is cached per process: no test sees another's


@pytest.fixture(autouse=True)
def _in_partnership(request):
    """A test that uses the database works in the default partnership, as a request by
    one of its people would (the middleware, commands and tasks set their own)."""
    needs_db = request.node.get_closest_marker("django_db") or any(
        name in request.fixturenames for name in ("db", "transactional_db", "live_server")
    )
    if not needs_db:
        yield None
        return
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames)
    request.getfixturevalue("transactional_db" if transactional else "db")
    if "demo" in request.fixturenames:
        request.getfixturevalue("demo")  # its partnerships, before the default is made
    with scoped_to(default_partnership()):
        yield


@pytest.fixture
def home_partnership(_in_partnership):
    """The partnership the test works in."""
    return default_partnership()


def _demo_first(request):
    """When a test also asks for the demo, restore it before any persona is made, so
    the personas are the demo's own users and partners (same usernames and codes)."""
    if "demo" in request.fixturenames:
        request.getfixturevalue("demo")


@pytest.fixture
def roles(request, db):
    _demo_first(request)
    ensure_role_groups()


@pytest.fixture
def police(request, db):
    _demo_first(request)
    return factories.PartnerFactory(code="HC", name="Hampshire Constabulary")


@pytest.fixture
def fire(request, db):
    _demo_first(request)
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


@pytest.fixture
def partnership(police, fire, priority):
    """Police own a count (ASB, target 400 a year) and a percentage; fire own arson.
    2018-19 Q1 is approved history; 2019-20 Q1 is open with a deadline in the future."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from core.periods import FinancialQuarter
    from returns import imports, services

    asb = factories.IndicatorFactory(
        code="ASB-01", name="ASB incidents", owner=police, priority=priority
    )
    pct = factories.IndicatorFactory(
        code="REPEAT-01",
        name="Repeat victims",
        owner=police,
        priority=priority,
        measure="percentage",
    )
    arson = factories.IndicatorFactory(code="ARSON-01", name="Arson", owner=fire, priority=priority)
    factories.TargetFactory(indicator=asb, year=2019, value=Decimal(400))
    factories.TargetFactory(indicator=pct, year=2019, value=Decimal(18))
    history = factories.period("2018-19 Q1")
    services.quarterly_return_import(
        partner=police,
        period=history,
        entries=[
            services.ValueEntry(indicator_id=asb.id, value=Decimal(100)),
            services.ValueEntry(indicator_id=pct.id, value=Decimal(17)),
        ],
        by=None,
        approve=True,
    )
    open_period = imports.reporting_period_for(FinancialQuarter(2019, 1))
    open_period.is_open = True
    open_period.deadline = timezone.localdate() + timedelta(days=10)
    open_period.save()
    return {"asb": asb, "pct": pct, "arson": arson, "period": open_period, "history": history}


@pytest.fixture(scope="session")
def demo_dump(django_db_setup, django_db_blocker):
    """``load_demo`` run once per test session (per xdist worker), serialised and rolled
    back; each test that wants the demo bulk-inserts the rows again (a fraction of the
    time that rebuilding or ``loaddata`` takes)."""
    from tests.demo_snapshot import take_snapshot

    with django_db_blocker.unblock():
        return take_snapshot()


@pytest.fixture
def demo(db, demo_dump):
    """The demo partnership of ``load_demo`` (annual review 2019/20 figures)."""
    demo_dump.restore()


@pytest.fixture(autouse=True)
def _responses_match_the_openapi_document(monkeypatch):
    """Every API and public-JSON response any test receives is validated against the
    served OpenAPI document's schema for its path and status (jsonschema, 2020-12)."""
    import jsonschema
    from django.test import Client

    from reporting.outputs import openapi

    original = Client.request

    def request(self, **environ):
        response = original(self, **environ)
        path = environ.get("PATH_INFO", "")
        json_type = response.get("Content-Type", "").startswith("application/json")
        if json_type and (path.startswith("/api/v1/") or path == "/public/scorecard.json"):
            schema = openapi.response_schema(path, response.status_code)
            if path != "/api/v1/openapi.json":
                assert schema is not None, f"{path} {response.status_code} is not in the document"
                jsonschema.Draft202012Validator(
                    schema, format_checker=jsonschema.FormatChecker()
                ).validate(response.json())
        return response

    monkeypatch.setattr(Client, "request", request)


@pytest.fixture(scope="session")
def oidc_provider():
    """A real OpenID Connect provider (django-oauth-toolkit) in a second process, for
    the Django test client's callback address."""
    from tests.oidc_provider.running import start

    provider = start(["http://testserver/accounts/oidc/callback/"])
    yield provider
    provider.stop()
