"""The funnel plot on the indicator page: only partnerships that share are compared and
named, and the page's queries do not grow with the number of partnerships."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.tenancy import scoped_to
from indicators.models import Indicator
from partnerships.models import Population
from returns import services
from tests import factories


def _partnership_with_burglaries(slug, name, residents, per_quarter, share=True):
    area = factories.PartnershipFactory(slug=slug, name=name)
    Population.objects.create(partnership=area, year=2019, residents=residents)
    with scoped_to(area):
        police = factories.PartnerFactory(code="HC", name="Hampshire Constabulary")
        police.join(area)
        indicator = factories.IndicatorFactory(
            code="BUR-01", name="Burglary", owner=police, share_with_peers=share
        )
        for quarter in range(1, 5):
            period = factories.period(f"2019-20 Q{quarter}")
            services.quarterly_return_import(
                partner=police,
                period=period,
                entries=[
                    services.ValueEntry(indicator_id=indicator.id, value=Decimal(per_quarter))
                ],
                by=None,
                approve=True,
            )
    return area


@pytest.fixture
def sharing(home_partnership, member):
    Population.objects.create(partnership=home_partnership, year=2019, residents=250_000)
    police = factories.PartnerFactory(code="HC", name="Hampshire Constabulary")
    ours = factories.IndicatorFactory(
        code="BUR-01", name="Burglary", owner=police, share_with_peers=True
    )
    for quarter in range(1, 5):
        period = factories.period(f"2019-20 Q{quarter}")
        services.quarterly_return_import(
            partner=police,
            period=period,
            entries=[services.ValueEntry(indicator_id=ours.id, value=Decimal(500))],
            by=None,
            approve=True,
        )
    _partnership_with_burglaries("portsmouth", "Portsmouth CSP", 215_000, 430)
    _partnership_with_burglaries("havant", "Havant CSP", 126_000, 900)  # far higher
    _partnership_with_burglaries("hart", "Hart CSP", 98_000, 200, share=False)
    return ours


def test_the_indicator_page_compares_the_partnerships_that_share(client, member, sharing):
    client.force_login(member)
    response = client.get(reverse("indicator_detail", args=["BUR-01"]))
    peers = response.context["peers"]
    assert [r.name for r in peers.rows] == [
        "Havant CSP",
        "Portsmouth CSP",
        "Southampton Safe City Partnership",
    ]
    body = response.content.decode()
    assert "Havant CSP was higher than expected for an area of its size" in body
    assert "Hart CSP" not in body  # it does not share: never named
    assert 'id="peers-table"' in body and 'data-chart="chart-funnel"' in body
    havant = next(r for r in peers.rows if r.name == "Havant CSP")
    assert havant.rate == pytest.approx(3600 / 126_000 * 1000)


def test_a_partnership_that_does_not_share_sees_no_comparison(client, member, sharing):
    Indicator.objects.filter(pk=sharing.pk).update(share_with_peers=False)
    client.force_login(member)
    response = client.get(reverse("indicator_detail", args=["BUR-01"]))
    assert response.context["peers"] is None
    assert "Portsmouth CSP" not in response.content.decode()


def test_the_comparison_costs_the_same_queries_whatever_the_number_of_partnerships(
    client, member, sharing
):
    client.force_login(member)
    counts = []
    for slug in ("winchester", "test-valley"):
        client.get(reverse("indicator_detail", args=["BUR-01"]))
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("indicator_detail", args=["BUR-01"]))
        counts.append(len(ctx))
        _partnership_with_burglaries(slug, f"{slug.title()} CSP", 120_000, 300)
    assert counts[0] == counts[1]
