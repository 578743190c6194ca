"""The wall between partnerships: the scoping guard itself, and the paths that run
outside a request (tasks, emails, API tokens)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.tenancy import UnscopedQuery, across_partnerships, scoped_to
from indicators.models import Indicator
from notifications.models import Notification
from partners.models import ApiToken
from partners.roles import Role
from returns.models import QuarterlyReturn, ReportingPeriod
from tests import factories


@pytest.fixture
def two(partnership, police, police_lead, fire_lead):
    """Partnership A (the test's) and B, both served by Hampshire Constabulary, with an
    open period due in three days in each and an HC lead in each."""
    a = factories.PartnershipFactory(slug="southampton")
    soon = timezone.localdate() + timedelta(days=3)
    ReportingPeriod.objects.filter(pk=partnership["period"].pk).update(deadline=soon)
    b = factories.PartnershipFactory(slug="eastleigh", name="Eastleigh CSP", short_name="ECSP")
    with scoped_to(b):
        police.join(b)
        factories.IndicatorFactory(code="EAST-01", name="Eastleigh burglary", owner=police)
        period = factories.period("2020-21 Q1", is_open=True)
        ReportingPeriod.objects.filter(pk=period.pk).update(deadline=soon)
        b_lead = factories.UserFactory(username="b.lead", role=Role.PARTNER_LEAD)
        police.leads.add(b_lead)
    return {"a": a, "b": b, "b_lead": b_lead}


def test_a_query_with_no_partnership_is_refused_not_answered(two):
    """The guard itself: the deliberately unscoped query fails, it does not leak."""
    with scoped_to(None):
        with pytest.raises(UnscopedQuery, match="Indicator"):
            list(Indicator.objects.all())
        with pytest.raises(UnscopedQuery):
            Indicator.objects.filter(code="ASB-01").exists()
        with pytest.raises(UnscopedQuery):
            Indicator.objects.count()
        with pytest.raises(UnscopedQuery):
            QuarterlyReturn.objects.update(review_comment="x")
    with scoped_to(None), across_partnerships():
        assert Indicator.objects.filter(code__in=["ASB-01", "EAST-01"]).count() == 2


def test_each_partnership_sees_only_its_own_rows(two):
    with scoped_to(two["a"]):
        assert "EAST-01" not in set(Indicator.objects.values_list("code", flat=True))
    with scoped_to(two["b"]):
        assert list(Indicator.objects.values_list("code", flat=True)) == ["EAST-01"]
        assert Indicator.objects.in_partnership(two["a"]).filter(code="ASB-01").exists()


def test_a_class_level_queryset_made_at_import_is_refused_when_it_runs(two):
    """A queryset built with no partnership (as a form's class attribute is, at import)
    is not silently the whole table later."""
    with scoped_to(None):
        stale = Indicator.objects.all()
    with scoped_to(two["b"]), pytest.raises(UnscopedQuery):
        list(stale)


def test_the_daily_reminders_keep_each_partnerships_returns_apart(
    two, django_capture_on_commit_callbacks, settings
):
    """One beat task, both partnerships: each lead is told of their own partnership's
    return only, and each email names its partnership and links into it."""
    from returns.tasks import send_due_reminders

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders.delay()
    b_mail = [m for m in mail.outbox if m.to == [two["b_lead"].email]]
    a_mail = [m for m in mail.outbox if m.to == ["police.lead@example.test"]]
    assert len(b_mail) == 1 and len(a_mail) == 1
    assert "2020-21 Q1" in b_mail[0].body and "2019-20 Q1" not in b_mail[0].body
    assert "Eastleigh CSP" in b_mail[0].body and "?partnership=eastleigh" in b_mail[0].body
    assert "2019-20 Q1" in a_mail[0].body and "Eastleigh" not in a_mail[0].body
    with across_partnerships():
        owners = set(Notification.objects.values_list("partnership__slug", flat=True))
    assert owners == {"southampton", "eastleigh"}


def test_a_token_for_one_partnership_reads_only_it(client, two, police_lead):
    _, key = ApiToken.issue(user=police_lead, name="HC Power BI", partnership=two["a"])
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    own = client.get(reverse("api_scorecard"), {"period": "2019-20-Q1"}, **headers)
    assert own.status_code == 200
    assert {r["indicator"] for r in own.json()["results"]} >= {"ASB-01"}
    other = client.get(reverse("api_scorecard"), {"partnership": "eastleigh"}, **headers)
    assert other.status_code == 404
    assert "EAST" not in other.content.decode()
    indicator = client.get(reverse("api_indicator", args=["EAST-01"]), **headers)
    assert indicator.status_code == 404


def test_an_unbound_token_reads_only_what_its_owner_may(client, two):
    _, key = ApiToken.issue(user=two["b_lead"], name="all mine")
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    response = client.get(reverse("api_scorecard"), {"partnership": "eastleigh"}, **headers)
    assert response.status_code == 200
    assert (
        client.get(reverse("api_scorecard"), {"partnership": "southampton"}, **headers).status_code
        == 404
    )
