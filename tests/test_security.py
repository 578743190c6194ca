"""Security behaviours seen from outside: throttling, headers, CSP, sessions, 503."""

import re
from pathlib import Path

import pytest
from django.db import OperationalError
from django.urls import reverse

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent


def test_login_is_locked_after_five_failures(client, roles):
    UserFactory(username="victim")
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "victim", "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": "victim", "password": "correct-horse-battery"}
    )
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()


def test_successful_login_lands_on_the_role_home(client, member):
    response = client.post(
        reverse("login"), {"username": "member", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.get("/", follow=True).request["PATH_INFO"] == reverse("dashboard")


def test_wrong_password_error_is_next_to_the_form(client, roles):
    UserFactory(username="someone")
    response = client.post(reverse("login"), {"username": "someone", "password": "nope"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_security_headers_and_csp(client, member):
    client.force_login(member)
    response = client.get(reverse("dashboard"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self';" in csp  # no inline script at all
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_templates_have_no_inline_script():
    """Every <script> loads a file or is a JSON data block (json_script), so the CSP can
    forbid inline script."""
    for template in (ROOT / "templates").rglob("*.html"):
        for tag in re.findall(r"<script\b[^>]*>", template.read_text()):
            assert "src=" in tag or "application/json" in tag, f"{template}: {tag}"


def test_user_content_is_escaped(client, police_lead, partnership, coordinator):
    from decimal import Decimal

    from returns import services

    qr = services.quarterly_return_get_or_start(
        partner=partnership["asb"].owner, period=partnership["period"], by=police_lead
    )
    services.return_values_save(
        quarterly_return=qr,
        by=police_lead,
        entries=[
            services.ValueEntry(
                indicator_id=partnership["asb"].id,
                value=Decimal(1),
                commentary="<script>alert(1)</script>",
            )
        ],
    )
    client.force_login(police_lead)
    page = client.get(reverse("return_edit", args=["HC", "2019-20-Q1"])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_session_ends_an_hour_after_the_last_request(client, member):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(member)
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=5))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    # Each request restarts the hour...
    remaining = Session.objects.get(pk=key).expire_date - timezone.now()
    assert timedelta(minutes=59) < remaining <= timedelta(hours=1)
    # ...and the cookie lives only as long as the browser (no Max-Age or Expires).
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    # An hour without a request and the user must sign in again.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_validators_are_strong(settings):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("password123", "short", "12345678901234"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("a-long-partnership-passphrase")


def test_database_down_gives_a_friendly_503(client, member, monkeypatch):
    client.force_login(member)

    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr("reporting.selection.periods_with_approved_data", refuse)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 503
    page = response.content.decode()
    assert "Sorry, the service is unavailable" in page
    assert "Traceback" not in page and "Connection refused" not in page
    assert response["Retry-After"] == "60"


@pytest.fixture
def unreachable_database(django_db_blocker):
    """Points the default connection at a database that cannot be reached (a port with
    no server for PostgreSQL, a missing directory for SQLite) for the test's requests."""
    from django.db import connections

    connection = connections["default"]
    saved = dict(connection.settings_dict)

    def cut():
        connection.close()
        if connection.vendor == "postgresql":
            connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
        else:
            connection.settings_dict["NAME"] = "/nonexistent-directory/scorecard.sqlite3"

    yield cut
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


@pytest.mark.django_db(transaction=True)
def test_a_signed_in_user_gets_the_503_when_the_database_is_unreachable(
    client, roles, unreachable_database
):
    user = UserFactory(username="member", role="SCP member")
    client.force_login(user)  # a session cookie, so the session is read first
    client.raise_request_exception = False  # as a real server: the response, not a raise
    unreachable_database()
    response = client.get(reverse("dashboard"))
    assert response.status_code == 503
    page = response.content.decode()
    assert "Sorry, the service is unavailable" in page
    assert "Traceback" not in page
    assert response["Retry-After"] == "60"


def test_healthz_reports_a_down_database_as_503(client, db, monkeypatch):
    class DownDatabase:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr("config.health.connection", DownDatabase())
    assert client.get("/healthz").status_code == 503


@pytest.fixture
def behind_one_proxy(settings):
    settings.SCORECARD_PROXY_COUNT = 1


def sign_in(client, password, client_address, proxy="10.0.0.254", spoofed=""):
    forwarded = f"{spoofed}, {client_address}" if spoofed else client_address
    return client.post(
        reverse("login"),
        {"username": "victim", "password": password},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_a_proxy_a_lockout_is_for_the_attacking_client_only(client, roles, behind_one_proxy):
    UserFactory(username="victim")
    for _ in range(5):
        sign_in(client, "wrong", "203.0.113.7")
    assert sign_in(client, "correct-horse-battery", "203.0.113.7").status_code == 429
    # The real user, through the same proxy from another address, still signs in.
    assert sign_in(client, "correct-horse-battery", "198.51.100.20").status_code == 302


def test_a_made_up_forwarded_address_does_not_dodge_the_lockout(client, roles, behind_one_proxy):
    UserFactory(username="victim")
    for n in range(5):
        sign_in(client, "wrong", "203.0.113.7", spoofed=f"192.0.2.{n}")
    response = sign_in(client, "correct-horse-battery", "203.0.113.7", spoofed="192.0.2.99")
    assert response.status_code == 429


def test_without_a_proxy_the_forwarded_header_is_ignored(client, roles):
    UserFactory(username="victim")
    for n in range(5):
        sign_in(client, "wrong", f"192.0.2.{n}", proxy="203.0.113.7")
    response = sign_in(client, "correct-horse-battery", "192.0.2.99", proxy="203.0.113.7")
    assert response.status_code == 429


USERNAME_MESSAGE = "Enter your username as it was given to you"


@pytest.mark.parametrize(
    "username, message",
    [
        ("x" * 5000, USERNAME_MESSAGE),
        ("a\nb", USERNAME_MESSAGE),
        ("police\x00lead", "Null characters are not allowed."),  # Django's own check
    ],
)
def test_sign_in_answers_a_fuzzed_username_with_a_message_not_a_500(client, db, username, message):
    """Found by fuzzing: a username longer than the lockout log's column went on to the
    database (a 500 on PostgreSQL); a NUL or a line break is no username either."""
    from axes.models import AccessAttempt

    response = client.post(reverse("login"), {"username": username, "password": "guess"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AccessAttempt.objects.exists()  # nothing reached the lockout log


@pytest.mark.parametrize("year", ["0", "1899", "3000", "2101"])
def test_a_fuzzed_period_year_is_a_form_error_not_a_500(client, coordinator, year):
    """Found by fuzzing: year 0 reached the period arithmetic and raised there."""
    client.force_login(coordinator)
    response = client.post(
        reverse("periods"),
        {"year": year, "quarter": "1", "deadline_0": "1", "deadline_1": "8", "deadline_2": "2021"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a financial year between 2000 and 2100" in page
