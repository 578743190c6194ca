"""The hosting operator: creating a partnership (page and command) and the overview."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.tenancy import across_partnerships, scoped_to
from partners.roles import Role
from partnerships.models import OPERATOR, Membership, Partnership
from tests import factories


@pytest.fixture
def operator(db):
    user = factories.UserFactory(username="operator")
    Membership.objects.create(user=user, role=OPERATOR)
    return user


def _new(client, **changes):
    data = {
        "name": "Portsmouth Community Safety Partnership",
        "short_name": "Portsmouth CSP",
        "slug": "portsmouth",
        "area_description": "The city of Portsmouth",
        "population": "2019=214905\n2020-21=215133",
        "coordinator_first_name": "Sam",
        "coordinator_last_name": "Patel",
        "coordinator_email": "sam.patel@portsmouth.example",
    }
    return client.post(reverse("hosting_partnership_new"), {**data, **changes})


def test_the_operator_creates_a_partnership_and_invites_its_first_coordinator(
    client, operator, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _new(client)
    assert response.status_code == 302
    portsmouth = Partnership.objects.get(slug="portsmouth")
    assert portsmouth.population_in(2020) == 215133
    assert portsmouth.population_in(2019) == 214905
    coordinator = Membership.objects.get(partnership=portsmouth, role=Role.COORDINATOR).user
    assert coordinator.email == "sam.patel@portsmouth.example"
    [email] = [m for m in mailoutbox if m.to == [coordinator.email]]
    assert "Portsmouth Community Safety Partnership" in email.body
    assert "Set your password" in email.alternatives[0][0]


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"slug": "southampton"}, "slug", "There is already a partnership called"),
        ({"slug": "Port Smouth"}, "slug", "lower-case letters, numbers and single hyphens"),
        ({"population": "2019=-5"}, "population", "must be a whole number above 0"),
        ({"population": "2019=21.5"}, "population", "must be a whole number above 0"),
        ({"population": "2019=1\n2019=2"}, "population", "each year's population once"),
        ({"population": "2019-21=5"}, "population", "is not a financial year"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_saves_nothing(
    client, operator, changes, field, message
):
    factories.PartnershipFactory(slug="southampton")
    client.force_login(operator)
    before = Partnership.objects.count()
    response = _new(client, **changes)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert Partnership.objects.count() == before


def test_only_the_operator_creates_partnerships_or_sees_them_all(client, coordinator, member):
    for person in (coordinator, member):
        client.force_login(person)
        assert client.get(reverse("hosting_overview")).status_code == 403
        assert _new(client).status_code == 403
    assert not Partnership.objects.filter(slug="portsmouth").exists()


def test_the_overview_shows_each_partnership_in_a_fixed_number_of_queries(
    client, operator, partnership
):
    """Completeness of the current quarter, packs and last activity for each, in one
    query however many partnerships there are."""
    client.force_login(operator)
    counts = []
    for n in range(2):
        factories.PartnershipFactory(slug=f"extra-{n}")
        client.get(reverse("hosting_overview"))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("hosting_overview"))
        counts.append(len(ctx))
    assert counts[0] == counts[1]
    lines = {line.partnership.slug: line for line in response.context["lines"]}
    home = lines["southampton"]
    assert home.period_label == "2019-20 Q1" and home.expected == 2 and home.approved == 0
    assert lines["extra-1"].period_label == "" and lines["extra-1"].expected == 0


def test_create_partnership_command(db):
    call_command(
        "create_partnership", "test-valley", "Test Valley CSP", "--population", "2019=127000"
    )
    created = Partnership.objects.get(slug="test-valley")
    assert created.name == "Test Valley CSP" and created.population_in(2019) == 127000
    with pytest.raises(CommandError, match="already a partnership called 'test-valley'"):
        call_command("create_partnership", "test-valley", "Another")
    with pytest.raises(CommandError, match="whole number above 0"):
        call_command("create_partnership", "hart", "Hart CSP", "--population", "2019=lots")
    assert not Partnership.objects.filter(slug="hart").exists()


def test_commands_need_a_partnership_named_once_there_are_several(db):
    factories.PartnershipFactory(slug="southampton")
    factories.PartnershipFactory(slug="eastleigh")
    with pytest.raises(CommandError, match="Say which partnership with --partnership"):
        call_command("export_scorecard", "--period", "2019-20 Q4")
    with pytest.raises(CommandError, match="There is no partnership 'nowhere'"):
        call_command("export_scorecard", "--period", "2019-20 Q4", "--partnership", "nowhere")


def test_adding_a_person_to_a_partnership_twice_is_an_error(db):
    from partnerships.resolution import add_member

    p = factories.PartnershipFactory(slug="portsmouth")
    user = factories.UserFactory(username="twice")
    add_member(partnership=p, user=user, role=Role.SCP_MEMBER)
    with pytest.raises(ValueError, match="already in"):
        add_member(partnership=p, user=user, role=Role.COORDINATOR)
    with scoped_to(None), across_partnerships():
        assert Membership.objects.filter(user=user).count() == 1
