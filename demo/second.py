"""The demo's second partnership: an illustrative Eastleigh Community Safety Partnership
in the same force area. Every figure here is invented (its data source says so); it
exists so a new user sees the partnership switcher, a police lead's combined *My
returns* and a funnel plot comparing the partnerships that share an indicator."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.periods import FinancialQuarter, financial_year_label

SLUG = "eastleigh"
NAME = "Eastleigh Community Safety Partnership (illustrative)"
SHORT_NAME = "Eastleigh CSP"
AREA = (
    "An illustrative second partnership for the demo, in the Hampshire Constabulary "
    "area. Its figures are invented: they are not Eastleigh's."
)
DATA_SOURCE = "Illustrative: invented for the demo, not Eastleigh's real figures"
STRATEGY = "Eastleigh Community Safety Plan 2018–2021 (illustrative)"
PRIORITY = "Reduce crime and anti-social behaviour"

# Residents by financial year (ONS mid-year estimates, rounded to the hundred), for the
# rates per 1,000 residents the partnerships are compared on.
POPULATIONS = {
    "southampton": {2017: 252_500, 2018: 252_400, 2019: 252_800},
    SLUG: {2017: 131_800, 2018: 132_600, 2019: 133_600},
}
# The indicators both partnerships report, by code, and agree to compare.
SHARED = ["ASB-01", "BURG-01", "VC-01"]

PARTNERS = [("HC", "Hampshire Constabulary"), ("EBC", "Eastleigh Borough Council")]
# code, name, owner, polarity, quarterly values for 2018-19 and 2019-20, target
INDICATORS = [
    ("ASB-01", "Anti-social behaviour incidents reported", "HC", [620, 655, 590, 540], [600, 640, 610, 575], 2300),
    ("BURG-01", "Residential burglaries", "HC", [95, 88, 101, 92], [84, 80, 90, 86], 340),
    ("VC-01", "Violent crimes", "HC", [640, 672, 655, 610], [668, 701, 684, 652], 2500),
    ("FLY-01", "Fly-tipping incidents", "EBC", [210, 236, 198, 175], [204, 221, 190, 182], 760),
]  # fmt: skip
USERS = [
    # username, role, partner codes, full name (police.lead is Southampton's lead too)
    ("police.lead", "Partner lead", ["HC"], None),
    ("eastleigh.coordinator", "Coordinator", [], "Morgan Lee"),
    ("eastleigh.lead", "Partner lead", ["EBC"], "Ash Rahman"),
]
OPEN_PERIOD = FinancialQuarter(2020, 1)
DEADLINE_IN_DAYS = 21


def indicator_rows() -> list[dict]:
    rows = []
    for code, name, owner, _, _, target in INDICATORS:
        for year in (2018, 2019):
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "priority": PRIORITY,
                    "owner": owner,
                    "measure": "count",
                    "polarity": "lower_is_better",
                    "target_type": "value",
                    "target": str(target),
                    "tolerance_pct": "",
                    "caution_below": "",
                    "stable_band_pct": "",
                    "strategy": STRATEGY,
                    "year": financial_year_label(year),
                    "description": "",
                    "data_source": DATA_SOURCE,
                    "caveats": "",
                    "rate_per": "",
                    "rate_denominator_label": "",
                    "outlier_band_pct": "",
                }
            )
    return rows


def return_rows() -> list[list[str]]:
    rows = []
    for code, _, owner, first, second, _ in INDICATORS:
        for year, values in ((2018, first), (2019, second)):
            for quarter, value in enumerate(values, start=1):
                rows.append([owner, code, FinancialQuarter(year, quarter).label, str(value), ""])
    return rows


def open_deadline():
    """Relative to the day the demo is loaded, so its cycle is live."""
    return timezone.localdate() + timedelta(days=DEADLINE_IN_DAYS)
