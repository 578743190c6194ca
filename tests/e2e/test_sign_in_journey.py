"""Sign in with the organisation's account, in real Chromium against a real OpenID
Connect provider (django-oauth-toolkit in a second process): the police lead clicks
"Sign in with Hampshire Constabulary", signs in at the provider and lands on My returns."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db, demo_dump):
    demo_dump.restore()


@pytest.fixture
def provider(app_server, settings):
    from partners.oidc import providers
    from tests.oidc_provider.running import start

    running = start([f"{app_server.url}/accounts/oidc/callback/"])
    settings.SCORECARD_OIDC_PROVIDERS = [running.settings_entry(domains=("hampshire.police.uk",))]
    providers.forget_discovery()
    yield running
    running.stop()


def test_the_police_lead_signs_in_with_the_constabulary_and_lands_on_my_returns(
    page, demo, provider
):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username="police.lead").update(
        email="priya.shah@hampshire.police.uk"
    )
    page.goto("/accounts/login/")
    expect(page.get_by_role("button", name="Sign in with Hampshire Constabulary")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()  # the password form stays
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign in with Hampshire Constabulary").click()
    expect(page.get_by_role("heading", name="Test organisation: sign in")).to_be_visible()
    assert page.url.startswith(provider.base)
    page.get_by_label("Email or username").fill("priya")
    page.get_by_label("Password").fill("provider-pass")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My returns")).to_be_visible()
    assert page.url.endswith("/returns/")
    assert page.js_errors == []


def test_a_stranger_at_the_provider_gets_a_clear_page_and_no_session(page, demo, provider):
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with Hampshire Constabulary").click()
    page.get_by_label("Email or username").fill("stranger")
    page.get_by_label("Password").fill("provider-pass")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="You are not signed in")).to_be_visible()
    expect(page.locator("#refusal")).to_contain_text("stranger@hampshire.police.uk")
    assert axe_violations(page) == []
    page.goto("/returns/")
    assert "/accounts/login/" in page.url
