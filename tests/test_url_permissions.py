"""Every URL in the URL conf, from the outside. The expectations are a table keyed by
URL name; a new view that is not in the table fails test_every_url_has_an_expectation."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

SAMPLE_KWARGS = {
    "partner_code": "HC",
    "period_slug": "2019-20-Q1",
    "code": "ASB-01",
    "pk": 1,  # replaced by the sample meeting's id
    "version": 1,
    "year_slug": "2019-20",
    "ext": "md",
    "priority_pk": 1,
    "action_pk": 1,
    "uidb64": "MQ",
    "token": "not-a-token",
    "slug": "southampton",
}

# url name → (anonymous status, what the other agency's lead gets, HTTP method)
EXPECTATIONS = {
    "home": (302, 302, "get"),
    "login": (200, 302, "get"),  # deliberately public; signed-in users are sent on
    "logout": (302, 302, "post"),
    # deliberately public: the way in with an organisation's account, and its return
    # (no provider is configured in these tests: an unknown one is a 404, and a return
    # with no sign-in started is refused with a page)
    "oidc_start": (404, 404, "get"),
    "oidc_callback": (400, 400, "get"),
    "healthz": (200, 200, "get"),
    "accessibility": (
        200,
        200,
        "get",
    ),  # deliberately public: the accessibility statement  # deliberately public: load balancer check, no data
    "dashboard": (302, 200, "get"),
    "exceptions": (302, 200, "get"),
    "download_csv": (302, 200, "get"),
    "download_xlsx": (302, 200, "get"),
    "indicator_detail": (302, 200, "get"),
    "series_break_add": (302, 403, "post"),
    "series_break_remove": (302, 403, "post"),
    "api_scorecard": (401, 200, "get"),
    "api_indicator": (401, 200, "get"),
    "api_openapi": (200, 200, "get"),  # deliberately public: the API's description, no data
    "public_scorecard_csv_metadata": (200, 200, "get"),
    "my_returns": (302, 200, "get"),
    # the police return, seen by the fire lead: it does not exist for them
    "return_edit": (302, 404, "get"),
    "return_upload": (302, 404, "get"),
    "return_upload_template": (302, 404, "get"),
    "review_queue": (302, 403, "get"),
    "review_return": (302, 403, "get"),
    "return_approve": (302, 403, "post"),
    "return_send_back": (302, 403, "post"),
    "return_reopen": (302, 403, "post"),
    "completeness": (302, 403, "get"),
    "partner_history": (302, 403, "get"),
    "periods": (302, 403, "get"),
    "period_edit": (302, 403, "get"),
    # meeting packs: every role in the partnership reads issued packs
    "meetings": (302, 200, "get"),
    "meeting_detail": (302, 200, "get"),
    "pack_detail": (302, 200, "get"),
    "pack_pdf": (302, 200, "get"),
    "pack_xlsx": (302, 200, "get"),
    "pack_issue": (302, 403, "post"),
    "pack_retry": (302, 403, "post"),
    "annual_review": (302, 403, "get"),
    "annual_review_download": (302, 403, "get"),
    # actions: everyone in the partnership reads them; coordinators record them; the owner
    # partner's leads and coordinators update them (the fire lead does not own this one)
    "action_list": (302, 200, "get"),
    "action_detail": (302, 200, "get"),
    "action_record": (302, 403, "post"),
    "meeting_theme": (302, 403, "post"),
    "pack_publish": (302, 403, "post"),
    # deliberately public: the published scorecard and robots.txt
    "public_scorecard": (200, 200, "get"),
    "public_scorecard_csv": (200, 200, "get"),
    "public_scorecard_json": (200, 200, "get"),
    "robots": (200, 200, "get"),
    # the yearly set-up: coordinators only
    "setup": (302, 403, "get"),
    "setup_strategies": (302, 403, "get"),
    "setup_strategy": (302, 403, "get"),
    "setup_priority_move": (302, 403, "post"),
    "setup_priority_short_name": (302, 403, "post"),
    "setup_carry_forward": (302, 403, "get"),
    "setup_indicators": (302, 403, "get"),
    "setup_indicator_new": (302, 403, "get"),
    "setup_indicator": (302, 403, "get"),
    "setup_indicator_retire": (302, 403, "post"),
    "setup_targets": (302, 403, "get"),
    "setup_rules": (302, 403, "get"),
    "setup_rule_new": (302, 403, "get"),
    "setup_rule": (302, 403, "get"),
    "setup_rule_delete": (302, 403, "post"),
    "setup_police_uk": (302, 403, "get"),
    "setup_police_uk_upload": (302, 403, "post"),
    "setup_police_uk_area": (302, 403, "get"),
    "setup_police_uk_area_upload": (302, 403, "post"),
    "setup_indicator_police_uk": (302, 403, "post"),
    "setup_partners": (302, 403, "get"),
    "setup_people": (302, 403, "get"),
    "setup_invite": (302, 403, "get"),
    "setup_person": (302, 403, "get"),
    # deliberately public: setting a password from an invitation, or resetting it
    "password_reset": (200, 200, "get"),
    "password_reset_done": (200, 200, "get"),
    "password_reset_confirm": (200, 200, "get"),
    "password_reset_complete": (200, 200, "get"),
    # partnerships: switching among one's own (post); the hosting operator's pages
    "partnership_switch": (302, 404, "post"),
    "hosting_overview": (302, 403, "get"),
    "hosting_partnership_new": (302, 403, "get"),
    # each partnership's published scorecard (deliberately public)
    "public_partnership_page": (200, 200, "get"),
    "public_partnership_csv": (200, 200, "get"),
    "public_partnership_json": (200, 200, "get"),
    "public_partnership_csv_metadata": (200, 200, "get"),
}
SETUP = sorted(name for name in EXPECTATIONS if name.startswith("setup"))


@pytest.fixture(autouse=True)
def sample_meeting(db, partnership):
    """A meeting with an issued pack, so the pack URLs resolve to something real."""
    from datetime import date

    from actions.models import MeetingAction
    from meetings.models import AnnualReview, Meeting, MeetingPack, PublishedScorecard
    from returns.models import ValidationRule

    meeting = Meeting.objects.create(
        title="SCP", date=date(2020, 6, 1), period=partnership["period"]
    )
    MeetingPack.objects.create(
        meeting=meeting,
        version=1,
        status="ready",
        snapshot={},
        html="<p>pack</p>",
        pdf=b"%PDF-1.7",
        xlsx=b"PK",
    )
    AnnualReview.objects.create(year=2019, text="# Review")
    ValidationRule.objects.create(
        code="ASB-01", name="Sample", left="[ASB-01]", operator="<=", right="1000"
    )
    SAMPLE_KWARGS["pk"] = meeting.pk
    action = MeetingAction.objects.create(
        meeting=meeting,
        title="Patrols",
        description="Joint patrols",
        owner=partnership["asb"].owner,
        due_date=date(2020, 9, 30),
    )
    SAMPLE_KWARGS["action_pk"] = action.pk
    PublishedScorecard.objects.create(
        pack=meeting.packs.get(),
        snapshot={
            "title": "Scorecard",
            "period": "2019-20 Q1",
            "meeting_date": "2020-06-01",
            "meeting_date_display": "1 June 2020",
            "threshold": 5,
            "licence": "Open Government Licence v3.0",
            "indicators": [],
            "summary": [],
        },
    )
    return meeting


def named_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue  # Django's admin has its own login and is tested below
            yield from named_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern


def url_for(pattern):
    kwargs = {k: v for k, v in SAMPLE_KWARGS.items() if k in pattern.pattern.converters}
    return reverse(pattern.name, kwargs=kwargs)


def test_every_url_has_an_expectation():
    names = {p.name for p in named_patterns()}
    assert names == set(EXPECTATIONS), (
        f"views without a permission expectation: {sorted(names - set(EXPECTATIONS))}; "
        f"stale entries: {sorted(set(EXPECTATIONS) - names)}"
    )


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_anonymous(client, partnership, name):
    pattern = next(p for p in named_patterns() if p.name == name)
    anonymous, _, method = EXPECTATIONS[name]
    response = getattr(client, method)(url_for(pattern))
    assert response.status_code == anonymous, name
    if anonymous == 302 and name not in ("home", "logout"):
        assert response["Location"].startswith(reverse("login")), name
    if name == "home":
        assert response["Location"].startswith(reverse("login"))
    assert "ASB incidents" not in response.content.decode()


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_other_agencys_lead(client, partnership, police_lead, fire_lead, name):
    from decimal import Decimal

    from returns import services

    qr = services.quarterly_return_get_or_start(
        partner=partnership["asb"].owner, period=partnership["period"], by=police_lead
    )
    services.return_values_save(
        quarterly_return=qr,
        by=police_lead,
        entries=[services.ValueEntry(indicator_id=partnership["asb"].id, value=Decimal(98765))],
    )
    pattern = next(p for p in named_patterns() if p.name == name)
    _, expected, method = EXPECTATIONS[name]
    client.force_login(fire_lead)
    response = getattr(client, method)(url_for(pattern))
    assert response.status_code == expected, name
    assert b"98765" not in response.content  # another agency's draft figure


@pytest.mark.parametrize("name", SETUP)
def test_members_and_leads_cannot_reach_the_set_up_area(client, member, police_lead, name):
    pattern = next(p for p in named_patterns() if p.name == name)
    method = EXPECTATIONS[name][2]
    for person in (member, police_lead):
        client.force_login(person)
        assert getattr(client, method)(url_for(pattern)).status_code == 403, (name, person)


@pytest.mark.parametrize("name", [n for n in SETUP if EXPECTATIONS[n][2] == "get"])
def test_coordinators_reach_every_set_up_page(client, coordinator, sample_strategy, name):
    pattern = next(p for p in named_patterns() if p.name == name)
    client.force_login(coordinator)
    url = reverse(name, args=[coordinator.pk]) if name == "setup_person" else url_for(pattern)
    assert client.get(url).status_code == 200, name


@pytest.fixture
def sample_strategy(partnership, coordinator):
    """A later strategy (with an earlier one to carry from) and a person, for the ids."""
    from indicators.models import Strategy

    later = Strategy.objects.create(name="Later strategy", start_year=2021, end_year=2025)
    priority = later.priorities.create(name="Serious violence", order=1)
    SAMPLE_KWARGS["pk"] = later.pk
    SAMPLE_KWARGS["priority_pk"] = priority.pk
    yield later
    SAMPLE_KWARGS["pk"] = 1


def test_admin_requires_staff_login(client, fire_lead):
    assert client.get("/admin/").status_code == 302
    client.force_login(fire_lead)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_logout_is_post_only(client, member):
    client.force_login(member)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
@pytest.mark.parametrize("change", ["moved_to_member", "moved_off_the_partner"])
def test_rights_end_when_a_role_ends(client, partnership, police_lead, member, name, change):
    """The police lead's draft return, then the lead is moved: to SCP member (their
    partner left ticked, as it was before the fix) or off the partner. Every URL answers
    them as it answers a plain member (or the lead of no partner), never the draft."""
    from decimal import Decimal

    from partners.roles import Role
    from returns import services
    from tests.factories import PartnerFactory, UserFactory, set_role

    police = partnership["asb"].owner
    qr = services.quarterly_return_get_or_start(
        partner=police, period=partnership["period"], by=police_lead
    )
    services.return_values_save(
        quarterly_return=qr,
        by=police_lead,
        entries=[services.ValueEntry(indicator_id=partnership["asb"].id, value=Decimal(98765))],
    )
    pattern = next(p for p in named_patterns() if p.name == name)
    method = EXPECTATIONS[name][2]
    if change == "moved_to_member":
        set_role(police_lead, Role.SCP_MEMBER)
        client.force_login(member)
    else:
        elsewhere = PartnerFactory(code="NONE", name="No figures")
        police.leads.remove(police_lead)
        elsewhere.leads.add(police_lead)
        other = UserFactory(username="other.lead")
        set_role(other, Role.PARTNER_LEAD)
        elsewhere.leads.add(other)
        client.force_login(other)
    baseline = getattr(client, method)(url_for(pattern)).status_code
    client.force_login(police_lead)
    response = getattr(client, method)(url_for(pattern))
    assert response.status_code == baseline, name
    assert b"98765" not in response.content


# --- another partnership ----------------------------------------------------------------
# A person of partnership B (any role) asking for partnership A's URLs: the same answer
# as for a URL naming nothing at all in B, and never A's data.

MISSING_KWARGS = {
    **SAMPLE_KWARGS,  # Hampshire Constabulary, shared, is in both: B sees its own HC
    "period_slug": "2031-32-Q1",
    "code": "NOPE-01",
    "pk": 999999,
    "version": 99,
    "year_slug": "2031-32",
    "priority_pk": 999999,
    "action_pk": 999999,
}
# What only partnership A holds: its indicator's name, the police lead's draft figure,
# its action and its partnership's name.
A_ONLY = ["ASB incidents", "98765", "Patrols", "Southampton"]
B_ROLES = ["lead", "coordinator", "member"]


@pytest.fixture
def other_partnership(partnership, police, police_lead):
    """Partnership B in the same force area: Hampshire Constabulary serves both; B has
    its own indicator, period, meeting and people (its own HC lead among them)."""
    from datetime import date, timedelta

    from django.utils import timezone

    from core.tenancy import scoped_to
    from meetings.models import Meeting
    from partners.roles import Role
    from returns import services
    from tests import factories

    # A's draft figure, which no one in B may ever see.
    qr = services.quarterly_return_get_or_start(
        partner=police, period=partnership["period"], by=police_lead
    )
    services.return_values_save(
        quarterly_return=qr,
        by=police_lead,
        entries=[services.ValueEntry(indicator_id=partnership["asb"].id, value=98765)],
    )
    b = factories.PartnershipFactory(slug="eastleigh", name="Eastleigh CSP", short_name="ECSP")
    with scoped_to(b):
        police.join(b)
        factories.IndicatorFactory(code="OTH-01", name="Eastleigh burglary", owner=police)
        period = factories.period("2020-21 Q1", is_open=True)
        period.deadline = timezone.localdate() + timedelta(days=10)
        period.save()
        Meeting.objects.create(title="Eastleigh CSP", date=date(2020, 7, 1), period=period)
        people = {
            "lead": factories.UserFactory(username="b.lead", role=Role.PARTNER_LEAD),
            "coordinator": factories.UserFactory(
                username="b.coordinator", role=Role.COORDINATOR, is_staff=True
            ),
            "member": factories.UserFactory(username="b.member", role=Role.SCP_MEMBER),
        }
        police.leads.add(people["lead"])
    return {"partnership": b, "people": people}


def _url(pattern, kwargs):
    return reverse(
        pattern.name, kwargs={k: v for k, v in kwargs.items() if k in pattern.pattern.converters}
    )


@pytest.mark.parametrize("role", B_ROLES)
@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_a_person_of_another_partnership_gets_nothing_of_ours(
    client, other_partnership, name, role
):
    pattern = next(p for p in named_patterns() if p.name == name)
    method = EXPECTATIONS[name][2]
    client.force_login(other_partnership["people"][role])
    baseline = getattr(client, method)(_url(pattern, MISSING_KWARGS)).status_code
    response = getattr(client, method)(_url(pattern, SAMPLE_KWARGS))
    assert response.status_code == baseline, (name, role)
    if not name.startswith("public_"):  # the published scorecards are everyone's
        body = response.content.decode(errors="replace")
        assert [s for s in A_ONLY if s in body] == [], (name, role)


@pytest.mark.parametrize("role", B_ROLES)
@pytest.mark.parametrize("name", sorted(n for n in EXPECTATIONS if n != "healthz"))
def test_asking_for_a_partnership_one_is_not_in_is_a_404(client, other_partnership, name, role):
    pattern = next(p for p in named_patterns() if p.name == name)
    method = EXPECTATIONS[name][2]
    client.force_login(other_partnership["people"][role])
    response = getattr(client, method)(url_for(pattern) + "?partnership=southampton")
    assert response.status_code == 404, (name, role)
    assert "ASB incidents" not in response.content.decode(errors="replace")


def test_the_coordinator_of_another_partnership_cannot_open_our_objects(client, other_partnership):
    """The objects of A by their ids and codes: each a 404 for B's coordinator (who
    would be allowed to open B's own)."""
    client.force_login(other_partnership["people"]["coordinator"])
    for name in [
        "meeting_detail",
        "pack_detail",
        "pack_pdf",
        "action_detail",
        "indicator_detail",
        "setup_indicator",
        "setup_rule",
        "review_return",
        "period_edit",
    ]:
        pattern = next(p for p in named_patterns() if p.name == name)
        assert client.get(url_for(pattern)).status_code == 404, name


def test_switching_to_a_partnership_one_is_not_in_is_a_404(client, other_partnership):
    client.force_login(other_partnership["people"]["coordinator"])
    response = client.post(reverse("partnership_switch"), {"partnership": "southampton"})
    assert response.status_code == 404
    assert client.get(reverse("dashboard")).context["partnership"].slug == "eastleigh"
