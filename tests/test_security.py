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

    from scorecard import services

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


def test_sessions_expire_after_inactivity(settings):
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True  # the hour runs from the last request
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


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

    monkeypatch.setattr("scorecard.views.dashboard.periods_with_approved_data", refuse)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 503
    page = response.content.decode()
    assert "Sorry, the service is unavailable" in page
    assert "Traceback" not in page and "Connection refused" not in page
    assert response["Retry-After"] == "60"


def test_healthz_reports_a_down_database_as_503(client, db, monkeypatch):
    class DownDatabase:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr("scorecard.views.health.connection", DownDatabase())
    assert client.get("/healthz").status_code == 503
