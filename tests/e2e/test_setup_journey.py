"""The yearly cycle in real Chromium: a coordinator sets next year's targets from last
year's, invites a new lead, who sets a password from the emailed link and enters
figures."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db, demo_dump):
    demo_dump.restore()


def test_targets_from_last_year_then_invite_a_lead_who_enters_figures(page, demo):
    from indicators.models import Indicator, Target
    from notifications.models import Notification
    from returns.models import ReturnValue

    login(page, "coordinator", password="scorecard-demo")
    started = time.monotonic()
    page.get_by_role("link", name="Set-up").first.click()
    expect(page.locator("#missing-targets")).to_contain_text("no target for 2021-22")
    page.get_by_role("link", name="Set targets for 2021-22").click()
    expect(page.get_by_role("heading", name="Targets for 2021-22")).to_be_visible()
    page.get_by_role("button", name="Copy last year's targets").click()
    expect(page.locator("#not-saved")).to_be_visible()
    # one target changed by hand before saving: ASB down to 7,500 for the year
    page.get_by_label("Target for ASB-01 Anti-social behaviour incidents reported").fill("7500")
    page.get_by_role("button", name="Save targets for 2021-22").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Targets for 2021-22 saved"
    )
    elapsed = time.monotonic() - started
    assert elapsed < 60, f"setting a year's targets took {elapsed:.0f} s of clicks"
    expect(page.locator("#missing-targets")).to_have_count(0)
    assert axe_violations(page) == []
    carried = Indicator.objects.filter(places__strategy__name="Safe City Strategy 2021–2026")
    with_targets = Target.objects.filter(year=2021, indicator__in=carried)
    assert with_targets.count() == Target.objects.filter(year=2020, indicator__in=carried).count()
    assert with_targets.get(indicator__code="ASB-01").value == 7500

    # Invite a new police lead.
    page.get_by_role("link", name="People").first.click()
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_label("First name").fill("Priya")
    page.get_by_label("Last name").fill("Shah")
    page.get_by_label("Email address").fill("priya.shah@police.example")
    page.get_by_label("Partner lead").check()
    page.get_by_label("Hampshire Constabulary").check()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "An invitation was sent to priya.shah@police.example"
    )

    # She follows the emailed link, sets a password and signs in.
    body = Notification.objects.get(kind="invited").body_text
    path = "/accounts/reset/" + re.search(r"/accounts/reset/(\S+/)", body).group(1)
    page.context.clear_cookies()
    page.goto(path)
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("New password", exact=True).fill("Itchen-bridge-at-dawn-21")
    page.get_by_label("Confirm the new password").fill("Itchen-bridge-at-dawn-21")
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_role("heading", name="Your password is set")).to_be_visible()
    login(page, "priya.shah@police.example", password="Itchen-bridge-at-dawn-21")

    # …and enters the police figures for the open quarter, rated against its target.
    expect(page.get_by_role("heading", name="My returns")).to_be_visible()
    page.goto("/returns/HC/2020-21-Q1/")
    expect(page.locator("#ASB-01-context")).to_contain_text("Red above")
    page.locator("#id_ASB-01-value").fill("1,850")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    saved = ReturnValue.objects.get(indicator__code="ASB-01", quarterly_return__period__year=2020)
    assert saved.value == 1850
    assert saved.quarterly_return.audit.filter(actor__username="priya.shah@police.example").exists()
    assert page.js_errors == []
