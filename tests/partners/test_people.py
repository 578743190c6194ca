"""Partners and people: invitations with a one-time link, roles, deactivation, and
everyone's "Forgot your password?" — emails through the outbox."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse

from core.models import AuditEntry
from notifications.models import Notification
from partners.models import Partner
from partners.roles import Role, primary_role

User = get_user_model()


@pytest.fixture
def coordinator_client(client, coordinator, police, fire):
    client.force_login(coordinator)
    return client


def _invite(client, **overrides):
    data = {
        "first_name": "Priya",
        "last_name": "Shah",
        "email": "Priya.Shah@hampshire.police.example",
        "role": Role.PARTNER_LEAD.value,
        "partners": [Partner.objects.get(code="HC").pk],
        **overrides,
    }
    return client.post(reverse("setup_invite"), data)


def _signs_in(client, username, password) -> bool:
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def _link(notification) -> str:
    return re.search(r"https?://\S+/accounts/reset/\S+/", notification.body_text).group(0)


def test_inviting_a_lead_creates_the_account_and_emails_a_one_time_link(
    coordinator_client, coordinator, settings
):
    settings.SITE_URL = "https://scorecard.southampton.example"
    response = _invite(coordinator_client)
    assert response.status_code == 302
    person = User.objects.get(email="priya.shah@hampshire.police.example")
    assert not person.has_usable_password()
    assert primary_role(person) == Role.PARTNER_LEAD.value
    assert list(person.led_partners.values_list("code", flat=True)) == ["HC"]
    notification = Notification.objects.get(kind="invited", recipient=person.email)
    assert _link(notification).startswith("https://scorecard.southampton.example/accounts/reset/")
    entry = AuditEntry.objects.get(action="person_changed", person=person)
    assert entry.actor == coordinator and entry.new_value == "Partner lead: HC"


def test_the_invitation_link_sets_a_password_once(coordinator_client, client):
    _invite(coordinator_client)
    link = _link(Notification.objects.get(kind="invited"))
    path = "/accounts/reset/" + link.split("/accounts/reset/", 1)[1]
    client.logout()
    form_page = client.get(path, follow=True)
    assert "Choose your password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "A-long-harbour-walk-2021", "new_password2": "A-long-harbour-walk-2021"},
    )
    assert done.status_code == 302
    assert _signs_in(client, "priya.shah@hampshire.police.example", "A-long-harbour-walk-2021")
    client.logout()
    again = client.get(path, follow=True)
    assert "This link has expired or was already used" in again.content.decode()


def test_the_invitation_link_expires(coordinator_client, client, monkeypatch, settings):
    _invite(coordinator_client)
    link = _link(Notification.objects.get(kind="invited"))
    path = "/accounts/reset/" + link.split("/accounts/reset/", 1)[1]
    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    client.logout()
    page = client.get(path, follow=True).content.decode()
    assert "This link has expired or was already used" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Enter an email address in the correct format"),
        ({"first_name": ""}, "first_name", "Enter their first name"),
        ({"partners": []}, "partners", "Choose the partners this lead reports for"),
        ({"role": ""}, "role", "Choose a role"),
    ],
)
def test_a_bad_invitation_is_explained_and_creates_nobody(
    coordinator_client, overrides, field, message
):
    before = User.objects.count()
    response = _invite(coordinator_client, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.count() == before
    assert not Notification.objects.filter(kind="invited").exists()


def test_the_same_email_cannot_be_invited_twice(coordinator_client):
    _invite(coordinator_client)
    response = _invite(coordinator_client, email="priya.shah@HAMPSHIRE.police.example")
    assert response.status_code == 400
    assert "This person is already in this partnership" in response.content.decode()


def test_changing_role_and_partners_and_deactivating_are_audited(coordinator_client, police_lead):
    fire = Partner.objects.get(code="HFRS")
    response = coordinator_client.post(
        reverse("setup_person", args=[police_lead.pk]),
        {"role": Role.PARTNER_LEAD.value, "partners": [fire.pk], "is_active": ""},
    )
    assert response.status_code == 302
    police_lead.refresh_from_db()
    assert not police_lead.is_active
    assert list(police_lead.led_partners.values_list("code", flat=True)) == ["HFRS"]
    fields = set(AuditEntry.objects.filter(person=police_lead).values_list("field", flat=True))
    assert fields == {"partners", "active"}
    assert User.objects.filter(pk=police_lead.pk).exists()  # never deleted


def test_a_deactivated_person_cannot_sign_in(coordinator_client, client, police_lead):
    coordinator_client.post(
        reverse("setup_person", args=[police_lead.pk]),
        {"role": Role.PARTNER_LEAD.value, "partners": [Partner.objects.get(code="HC").pk]},
    )
    client.logout()
    assert not _signs_in(client, "police.lead", "correct-horse-battery")


def test_a_coordinator_cannot_deactivate_themself(coordinator_client, coordinator):
    response = coordinator_client.post(
        reverse("setup_person", args=[coordinator.pk]), {"role": Role.COORDINATOR.value}
    )
    assert response.status_code == 400
    assert "You cannot deactivate your own account" in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.is_active


def test_a_new_partner_is_added(coordinator_client):
    response = coordinator_client.post(
        reverse("setup_partners"), {"code": "UHS", "name": "University Hospital Southampton"}
    )
    assert response.status_code == 302
    assert Partner.objects.filter(code="UHS").exists()
    duplicate = coordinator_client.post(reverse("setup_partners"), {"code": "UHS", "name": "X"})
    assert "There is already a partner with this code" in duplicate.content.decode()


# --- forgotten passwords -------------------------------------------------------------


def test_forgot_password_emails_a_reset_link_through_the_outbox(
    client, police_lead, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://scorecard.southampton.example"
    with django_capture_on_commit_callbacks(execute=True):  # the task runs in-process
        response = client.post(reverse("password_reset"), {"email": police_lead.email})
    assert response.status_code == 302
    notification = Notification.objects.get(kind="password_reset")
    assert notification.recipient == police_lead.email
    # built from SITE_URL, never from the request's Host header ("testserver" here)
    assert _link(notification).startswith("https://scorecard.southampton.example/")
    assert "testserver" not in notification.body_text


def test_forgot_password_says_the_same_for_an_unknown_address(
    client, police_lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "nobody@example.test"})
    assert response.status_code == 302
    assert not Notification.objects.exists()


def test_the_sign_in_page_offers_a_password_reset(client, db):  # it names the partnership
    page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in page and "Forgot your password?" in page


def test_a_coordinator_cannot_change_an_administrator(coordinator_client, db):
    from tests.factories import UserFactory

    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    response = coordinator_client.post(
        reverse("setup_person", args=[admin.pk]), {"role": Role.SCP_MEMBER.value}
    )
    assert response.status_code == 400
    assert "Administrators are managed by an administrator" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active and admin.is_superuser


def test_a_lead_moved_to_another_role_reports_for_no_partner(police_lead, coordinator, police):
    from partners import services
    from partners.models import Partner
    from partners.roles import Role

    services.person_update(
        person=police_lead, role=Role.SCP_MEMBER, partners=[police], is_active=True, by=coordinator
    )
    assert not Partner.objects.filter(leads=police_lead).exists()


def test_an_invitation_is_not_resent_to_an_account_in_use(client, coordinator, roles):
    """Found by probing: the page offers it only for invited people, but a POST for an
    active superuser was accepted and mailed them a set-password link."""
    from django.contrib.auth import get_user_model

    from notifications.models import Notification

    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw-123456789")
    client.force_login(coordinator)
    response = client.post(
        reverse("setup_person", args=[admin.pk]), {"action": "resend"}, follow=True
    )
    assert "is not waiting for an invitation" in response.content.decode()
    assert not Notification.objects.filter(recipient="root@example.org").exists()


def _reset_request(client, email, capture, address="203.0.113.9"):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries, capture() as callbacks:
        response = client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    return [q["sql"] for q in queries], callbacks


def test_a_known_and_an_unknown_address_cost_the_request_the_same(
    client, police_lead, django_capture_on_commit_callbacks
):
    """Found by timing: 17 ms for a known address, 7 ms for an unknown one. Now the
    request runs the same queries (none that read accounts) and queues one task, for
    either; the task finds the account afterwards."""
    known, known_tasks = _reset_request(
        client, police_lead.email, django_capture_on_commit_callbacks
    )
    unknown, unknown_tasks = _reset_request(
        client, "nobody@example.test", django_capture_on_commit_callbacks
    )
    assert known == unknown
    assert not any("auth_user" in sql for sql in known)
    assert len(known_tasks) == len(unknown_tasks) == 1


def test_the_task_emails_only_an_account_that_exists(police_lead):
    from partners.tasks import send_password_reset

    assert send_password_reset(police_lead.email.upper()) == 1
    assert send_password_reset("nobody@example.test") == 0
    assert Notification.objects.filter(kind="password_reset").count() == 1


def test_resets_are_rate_limited_per_address_and_per_client_saying_nothing(
    client, police_lead, settings, django_capture_on_commit_callbacks
):
    """Found by probing: 42 reset emails for one address in a minute were accepted."""
    settings.PASSWORD_RESET_PER_ADDRESS = 3
    settings.PASSWORD_RESET_PER_CLIENT = 5
    capture = django_capture_on_commit_callbacks
    queued = [
        len(_reset_request(client, police_lead.email, capture, f"198.51.100.{n}")[1])
        for n in range(5)
    ]
    assert queued == [1, 1, 1, 0, 0]  # per address, from any client
    queued = [len(_reset_request(client, f"someone{n}@example.test", capture)[1]) for n in range(7)]
    assert queued == [1, 1, 1, 1, 1, 0, 0]  # per client, whatever the address


def test_each_email_button_names_what_it_opens(coordinator, police_lead, roles):
    """Found by reading the emails: the invitation's set-password button said 'Open the
    return', which to a new user looks like phishing."""
    from partners import emails

    [invited] = emails.on_invited(
        police_lead, "https://scorecard.example/accounts/reset/x/y/", coordinator
    )
    [reset] = emails.on_password_reset(police_lead, "https://scorecard.example/accounts/reset/x/z/")
    invitation, reminder = Notification.objects.get(pk=invited), Notification.objects.get(pk=reset)
    assert ">Set your password</a>" in invitation.body_html
    assert "Set your password: https://scorecard.example/" in invitation.body_text
    assert ">Choose a new password</a>" in reminder.body_html
    assert "Open the return" not in invitation.body_html + reminder.body_html


def test_the_invite_form_names_the_roles_as_people_write_them(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("setup_invite")).content.decode()
    assert "SCP member" in page and "Scp Member" not in page
