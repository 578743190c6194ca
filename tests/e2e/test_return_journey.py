"""A quarter's return from entry to the scorecard, in real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_enter_submit_return_fix_resubmit_approve_appears_on_scorecard(
    page, partnership, police_lead, coordinator
):
    # The lead enters the quarter and submits it.
    login(page, "police.lead")
    expect(page.get_by_role("heading", name="My returns")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("Start")).first.click()
    expect(page.get_by_role("heading", name="2019-20 Q1 return")).to_be_visible()
    assert axe_violations(page) == []
    page.locator("#id_ASB-01-value").fill("140")  # red against the Q1 target of 100
    page.locator("#id_REPEAT-01-value").fill("16")
    page.get_by_role("button", name="Submit for review").click()

    # A red figure needs a commentary: error summary and field error, input kept.
    expect(page.locator(".govuk-error-summary")).to_contain_text("say what is being done")
    expect(page.locator("#id_ASB-01-value")).to_have_value("140")
    assert axe_violations(page) == []
    page.locator(".govuk-error-summary a").first.click()
    page.locator("#id_ASB-01-commentary").fill("Festival weekend in the city centre")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("was submitted")

    # The coordinator returns it with a comment.
    login(page, "coordinator")
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("Review Hampshire Constabulary")).click()
    assert axe_violations(page) == []
    page.get_by_label("What needs changing?").fill(
        "ASB looks high: please check the festival figures"
    )
    page.get_by_role("button", name=re.compile("Return to Hampshire")).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Returned")

    # The lead sees the comment, fixes the figure and resubmits.
    login(page, "police.lead")
    page.goto("/returns/HC/2019-20-Q1/")
    expect(page.locator("#review-comment")).to_have_text(
        "ASB looks high: please check the festival figures"
    )
    page.locator("#id_ASB-01-value").fill("95")
    page.locator("#id_ASB-01-commentary").fill("Corrected: duplicate festival incidents removed")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("was submitted")

    # The coordinator approves it.
    login(page, "coordinator")
    page.goto("/review/HC/2019-20-Q1/")
    page.get_by_role("button", name="Approve return").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Approved")

    # The value is on the scorecard.
    page.goto("/scorecard/?period=2019-20-Q1")
    row = page.locator("#scorecard-table tr", has_text="ASB incidents")
    expect(row).to_contain_text("95")
    expect(row).to_contain_text("Green")
    assert page.js_errors == []
