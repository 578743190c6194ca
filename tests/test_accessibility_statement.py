"""The accessibility statement (Public Sector Bodies Accessibility Regulations 2018,
regulation 7) is public and linked from every page's footer."""

import pytest
from django.urls import reverse

LINK = '<a class="govuk-footer__link" href="/accessibility/">Accessibility statement</a>'


def test_statement_is_public_and_follows_the_gov_uk_sample(client, db):
    response = client.get("/accessibility/")
    assert response.status_code == 200
    page = response.content.decode()
    for heading in (
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ):
        assert heading in page, heading
    assert "axe-core" in page and "WCAG 2.2" in page


@pytest.mark.parametrize("who", [None, "member", "police.lead", "coordinator"])
def test_every_page_links_to_it(client, demo, who):
    from django.contrib.auth import get_user_model

    urls = [reverse("public_scorecard"), reverse("login"), "/no-such-page/"]
    if who:
        client.force_login(get_user_model().objects.get(username=who))
        urls = [reverse("home"), reverse("dashboard"), reverse("my_returns"), "/no-such-page/"]
    for url in urls:
        response = client.get(url, follow=True)
        assert LINK in response.content.decode(), url
