"""One exceptions rule (reporting.exceptions) on every surface: the dashboard's
exceptions page, the meeting pack and the public page list the same indicators for the
same reasons, and cautions apart from them."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from core.periods import FinancialQuarter
from indicators.models import Indicator
from meetings import publishing
from meetings.models import Meeting
from meetings.packs import meeting_pack_issue
from reporting import exceptions
from reporting.selectors import scorecard_rows
from returns.models import ApprovedValue, ReportingPeriod

Q4 = FinancialQuarter(2019, 4)
D = Decimal


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"red": True, "worsening_two_periods": False, "outlier": ""}, [exceptions.RED]),
        (
            {"red": False, "worsening_two_periods": True, "outlier": ""},
            [exceptions.WORSENING],
        ),
        (
            {"red": False, "worsening_two_periods": False, "outlier": "Outlier (x): usually 1–2"},
            ["Outlier (x): usually 1–2"],
        ),
        (
            {
                "red": False,
                "worsening_two_periods": False,
                "outlier": "",
                "special_cause_concern": "Special cause concern (high)",
            },
            ["Special cause concern (high)"],
        ),
        (
            {"red": True, "worsening_two_periods": True, "outlier": "Outlier (y)"},
            [exceptions.RED, exceptions.WORSENING, "Outlier (y)"],
        ),
        ({"red": False, "worsening_two_periods": False, "outlier": ""}, []),
    ],
)
def test_exception_reasons(kwargs, expected):
    assert exceptions.exception_reasons(**kwargs) == expected


def test_cautions_are_listed_apart():
    assert exceptions.caution_reasons(caution=True, caution_reason="Small numbers") == [
        "Small numbers"
    ]
    assert exceptions.caution_reasons(caution=False, caution_reason="Small numbers") == []


def _reason_kinds(reasons):
    kinds = set()
    for reason in reasons:
        if reason == exceptions.RED:
            kinds.add("red")
        elif reason == exceptions.WORSENING:
            kinds.add("worsening")
        elif reason.startswith("Outlier"):
            kinds.add("outlier")
        elif "concern" in reason:
            kinds.add("spc")
    return kinds


def test_dashboard_pack_and_public_page_list_the_same_exceptions(
    demo, coordinator, member, client, django_capture_on_commit_callbacks
):
    # One figure moved far from the same quarter last year, to add an outlier.
    moved = ApprovedValue.objects.filter(
        indicator__code="ASB-01", period__year=2019, period__quarter=4
    )
    moved.update(value=moved.get().value * 2)
    rows = scorecard_rows(Q4)
    expected = {r.indicator.code: r.exception_reasons for r in rows if r.exception_reasons}
    cautions = {r.indicator.code: r.caution_reasons for r in rows if r.caution_reasons}
    # The demo holds a case of every reason, and cautions, so each is checked below.
    assert set().union(*(_reason_kinds(v) for v in expected.values())) == {
        "red",
        "worsening",
        "outlier",
        "spc",
    }
    assert cautions
    assert not any("caution" in r.lower() for v in expected.values() for r in v)

    client.force_login(member)
    page = client.get(reverse("exceptions"), {"period": "2019-20-Q4"})
    assert [r.indicator.code for r in page.context["rows"]] == list(expected)
    html = page.content.decode()
    for reasons in expected.values():
        assert "; ".join(reasons).replace("±", "&#177;") in html or "; ".join(reasons) in html
    assert {r.indicator.code for r in page.context["cautions"]} == set(cautions)

    Indicator.objects.update(publishable=True)
    meeting = Meeting.objects.create(
        title="SCP test",
        date=date(2020, 6, 1),
        period=ReportingPeriod.objects.for_quarter(Q4).get(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        pack = meeting_pack_issue(meeting=meeting, by=coordinator)
    pack.refresh_from_db()
    in_pack = {
        i["code"]: i["exception_reasons"]
        for i in pack.snapshot["indicators"]
        if i["exception_reasons"]
    }
    assert in_pack == expected
    pack_cautions = {
        i["code"]: i["caution_reasons"] for i in pack.snapshot["indicators"] if i["caution_reasons"]
    }
    assert pack_cautions == cautions

    publishing.scorecard_publish(pack=pack, by=coordinator)
    client.logout()
    public = client.get(reverse("public_partnership_page", args=["southampton"]))
    attention = {i["code"]: i["exception_reasons"] for i in public.context["attention"]}
    suppressed_change = {
        i["code"]
        for i in publishing.latest_publication(*publishing.public_keys("southampton"))["indicators"]
        if i["change_display"].startswith("suppressed")
    }
    for code, reasons in expected.items():
        shown = [r for r in reasons if not (code in suppressed_change and r.startswith("Outlier"))]
        assert attention.get(code, []) == shown
    assert set(attention) <= set(expected)
