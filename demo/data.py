"""Demo partnership built from the Safe City Partnership Annual Review 2019/20
(Overview and Scrutiny Management Committee, 14 January 2021).

Where the review states a figure or a year-on-year change, the annual totals here
reproduce it (e.g. ASB 7,765 → 7,881, +1.5%; alcohol-affected crime 2,647 → 2,615,
−1.2%, 32 crimes). Earlier-year totals the review does not state were chosen so that
the stated percentage comes out exactly to one decimal place. Indicators marked
"Illustrative" have no figure in the review and carry made-up but plausible values.
"""

from __future__ import annotations

import random
from decimal import Decimal

STRATEGY = "Safe City Strategy 2017–2020"
PRIORITIES = [
    "Reduce crime and anti-social behaviour",
    "Reduce harm caused by drugs and alcohol",
    "Protecting vulnerable people",
    "Reducing youth crime",
    "Community cohesion",
]
P_CRIME, P_DRUGS, P_VULNERABLE, P_YOUTH, P_COHESION = PRIORITIES
STRATEGY_YEARS = (2017, 2020)  # 2017-18 to 2020-21: the review's strategy, run on a year
# 2020-21 targets: carried forward from 2019-20 while the refreshed strategy was written
CARRIED_TARGET_NOTE = "Carried forward from 2019-20 while the 2021–2026 strategy is prepared"

# The refreshed five-year strategy the 2019/20 review announces "from 2021", with the
# priorities it names. Its 2021-22 targets are left for a coordinator to set.
NEW_STRATEGY = "Safe City Strategy 2021–2026"
NEW_STRATEGY_YEARS = (2021, 2025)  # 2021-22 to 2025-26
N_VAWG = "Violence against women and girls"
N_SERIOUS = "Serious violence"
N_EXPLOITATION = "Exploitation and county lines"
N_CRIME = "Reduce crime and anti-social behaviour"
N_COHESION = "Community cohesion"
NEW_PRIORITIES = [N_VAWG, N_SERIOUS, N_EXPLOITATION, N_CRIME, N_COHESION]
# code → priority in the new strategy. Not listed, so not carried forward: domestic
# violence as a share of violent offences (DVC-01 measures it directly), drug-affected
# crime and alcohol admissions (illustrative: moved to the Health and Wellbeing Board).
CARRIED_FORWARD = {
    "DVC-01": N_VAWG,
    "DOMSHARE-01": N_VAWG,
    "RAPE-01": N_VAWG,
    "OSO-01": N_VAWG,
    "STALK-01": N_VAWG,
    "HRDA-01": N_VAWG,
    "VC-01": N_SERIOUS,
    "MSV-01": N_SERIOUS,
    "KNIFE-01": N_SERIOUS,
    "AEYOUTH-01": N_SERIOUS,
    "FTE-01": N_SERIOUS,
    "YREOFF-01": N_SERIOUS,
    "DRUG-01": N_EXPLOITATION,
    "MDS-01": N_EXPLOITATION,
    "CTC-01": N_EXPLOITATION,
    "ASB-01": N_CRIME,
    "BURG-01": N_CRIME,
    "ARSON-01": N_CRIME,
    "ALC-01": N_CRIME,
    "REPEAT-01": N_CRIME,
    "PROBREOFF-01": N_CRIME,
    "SWV-01": N_CRIME,
    "HATE-01": N_COHESION,
}

PARTNERS = [
    ("SCC", "Southampton City Council"),
    ("HC", "Hampshire Constabulary"),
    ("HFRS", "Hampshire and Isle of Wight Fire and Rescue Service"),
    ("YOS", "Southampton Youth Offending Service"),
    ("PROB", "National Probation Service"),
    ("VRU", "Violence Reduction Unit"),
    ("CCG", "Southampton City Clinical Commissioning Group"),
    ("OPCC", "Office of the Police and Crime Commissioner"),
]

POLICE_DATA = "Hampshire Constabulary recorded crime (Strategic Assessment 2019/20)"
ILLUSTRATIVE = "Illustrative demo figure: the 2019/20 annual review gives no value"

# code, name, priority, owner, measure, polarity, 2018-19 total/Q values, 2019-20, target
# (type, value), extra fields. For counts the two numbers are annual totals split into
# quarters; for percentages and rates the four quarterly values are given.
INDICATORS = [
    {
        "code": "ASB-01",
        "name": "Anti-social behaviour incidents reported",
        "priority": P_CRIME,
        "owner": "HC",
        "measure": "count",
        "polarity": "lower_is_better",
        "years": {2018: 7765, 2019: 7881},
        "target": ("change_vs_last_year", "-2"),
        "data_source": "Hampshire Constabulary ASB incidents",
    },
    {
        "code": "VC-01",
        "name": "Violent crimes",
        "priority": P_CRIME,
        "owner": "HC",
        "measure": "count",
        "polarity": "lower_is_better",
        "years": {2018: 9282, 2019: 9969},
        "target": ("change_vs_last_year", "-3"),
        "data_source": POLICE_DATA,
    },
    {
        "code": "MSV-01",
        "name": "Most Serious Violence (MSV) offences",
        "priority": P_CRIME,
        "owner": "HC",
        "measure": "count",
        "polarity": "lower_is_better",
        "years": {2018: 423, 2019: 408},
        "target": ("change_vs_last_year", "-5"),
        "data_source": POLICE_DATA,
    },
    {
        "code": "BURG-01",
        "name": "Residential burglaries",
        "priority": P_CRIME,
        "owner": "HC",
        "measure": "count",
        "polarity": "lower_is_better",
        "years": {2018: 1311, 2019: 1152},
        "target": ("change_vs_last_year", "-5"),
        "data_source": POLICE_DATA,
    },
    {
        "code": "ARSON-01",
        "name": "Arson offences",
        "priority": P_CRIME,
        "owner": "HFRS",
        "measure": "count",
        "polarity": "lower_is_better",
        "years": {2018: 326, 2019: 210},
        "target": ("value", "300"),
        "data_source": "Police recorded arson, verified with HFRS incident data",
    },
    {
        "code": "KNIFE-01",
        "name": "Offences where a bladed implement was used",
        "priority": P_CRIME,
        "owner": "HC",
        "measure": "count",
        "polarity": "lower_is_better",
        "years": {2018: 386, 2019: 369},
        "target": ("change_vs_last_year", "-10"),
        "data_source": POLICE_DATA,
    },
    {
        "code": "STALK-01",
        "name": "Stalking and harassment crimes",
        "priority": P_CRIME,
        "owner": "HC",
        "measure": "count",
        "polarity": "lower_is_better",
        "years": {2018: 3150, 2019: 4177},
        "target": ("none", ""),
        "data_source": POLICE_DATA,
        "caveats": "Interpret with caution: counting rules changed and recording of this "
        "crime type improved during 2019/20, so the rise is partly a recording effect.",
    },
    {
        "code": "REPEAT-01",
        "name": "Victims who experienced more than one crime in the year",
        "priority": P_CRIME,
        "owner": "HC",
        "measure": "percentage",
        "polarity": "lower_is_better",
        "years": {2018: ["17.9", "18.0", "18.1", "18.2"], 2019: ["18.5", "18.9", "19.3", "19.6"]},
        "target": ("value", "18"),
        "description": "Share of unique victims (excluding business and the state) who "
        "experienced two or more crimes in the 12 months to the quarter end.",
        "data_source": "Strategic Assessment victim analysis (rolling 12 months)",
    },
    {
        "code": "ALC-01",
        "name": "Alcohol-affected crimes",
        "priority": P_DRUGS,
        "owner": "HC",
        "measure": "count",
        "polarity": "lower_is_better",
        "years": {2018: 2647, 2019: 2615},
        "target": ("change_vs_last_year", "-2"),
        "data_source": POLICE_DATA,
    },
    {
        "code": "DRUG-01",
        "name": "Drug offences",
        "priority": P_DRUGS,
        "owner": "HC",
        "measure": "count",
        "polarity": "monitor",
        "years": {2018: 783, 2019: 1076},
        "target": ("none", ""),
        "data_source": POLICE_DATA,
        "caveats": "Monitored, not rated: drug offences rise when police enforcement "
        "activity (warrants, Op Fortress, county lines work) increases.",
    },
    {
        "code": "DRUGAFF-01",
        "name": "Drug-affected crimes",
        "priority": P_DRUGS,
        "owner": "HC",
        "measure": "count",
        "polarity": "lower_is_better",
        "years": {2018: 1140, 2019: 1369},
        "target": ("change_vs_last_year", "-2"),
        "data_source": POLICE_DATA,
    },
    {
        "code": "ALCADM-01",
        "name": "Alcohol-related hospital admissions",
        "priority": P_DRUGS,
        "owner": "CCG",
        "measure": "rate",
        "rate_per": 100000,
        "rate_denominator_label": "population",
        "polarity": "lower_is_better",
        "years": {2018: ["812", "820", "826", "830"], 2019: ["828", "825", "819", "816"]},
        "target": ("value", "800"),
        "data_source": ILLUSTRATIVE,
    },
    {
        "code": "DVC-01",
        "name": "Domestic violent crimes",
        "priority": P_VULNERABLE,
        "owner": "HC",
        "measure": "count",
        "polarity": "lower_is_better",
        "years": {2018: 2935, 2019: 3220},
        "target": ("change_vs_last_year", "-2"),
        "data_source": POLICE_DATA,
    },
    {
        "code": "DOMSHARE-01",
        "name": "Domestic-flagged crime as a share of all recorded crime",
        "priority": P_VULNERABLE,
        "owner": "HC",
        "measure": "percentage",
        "polarity": "monitor",
        "years": {2018: ["13.6", "13.8", "13.9", "14.0"], 2019: ["14.1", "14.3", "14.4", "14.5"]},
        "target": ("none", ""),
        "data_source": POLICE_DATA,
    },
    {
        "code": "DVVIOL-01",
        "name": "Domestic violence as a share of violent offences",
        "priority": P_VULNERABLE,
        "owner": "HC",
        "measure": "percentage",
        "polarity": "monitor",
        "years": {2018: ["31.2", "31.4", "31.6", "31.6"], 2019: ["31.8", "32.0", "32.2", "32.3"]},
        "target": ("none", ""),
        "data_source": POLICE_DATA,
    },
    {
        "code": "RAPE-01",
        "name": "Rape offences",
        "priority": P_VULNERABLE,
        "owner": "HC",
        "measure": "count",
        "polarity": "lower_is_better",
        "years": {2018: 299, 2019: 340},
        "target": ("none", ""),
        "data_source": POLICE_DATA,
        "caveats": "A rise can reflect greater confidence to report; read with the "
        "Op Amberstone commentary.",
    },
    {
        "code": "OSO-01",
        "name": "Other sexual offences",
        "priority": P_VULNERABLE,
        "owner": "HC",
        "measure": "count",
        "polarity": "lower_is_better",
        "years": {2018: 566, 2019: 551},
        "target": ("change_vs_last_year", "-2"),
        "data_source": POLICE_DATA,
    },
    {
        "code": "MDS-01",
        "name": "Modern slavery offences",
        "priority": P_VULNERABLE,
        "owner": "HC",
        "measure": "count",
        "polarity": "monitor",
        "years": {2018: 31, 2019: 36},
        "target": ("none", ""),
        "caution_below": "50",
        "data_source": POLICE_DATA,
        "caveats": "The numbers are relatively small, so percentage changes should be "
        "interpreted with caution.",
    },
    {
        "code": "CTC-01",
        "name": "Cruelty to children offences",
        "priority": P_VULNERABLE,
        "owner": "HC",
        "measure": "count",
        "polarity": "monitor",
        "years": {2018: 90, 2019: 103},
        "target": ("none", ""),
        "caution_below": "150",
        "data_source": POLICE_DATA,
        "caveats": "The numbers are relatively small, so percentage changes should be "
        "interpreted with caution.",
    },
    {
        "code": "HRDA-01",
        "name": "High Risk Domestic Abuse referrals with children in the household",
        "priority": P_VULNERABLE,
        "owner": "SCC",
        "measure": "percentage",
        "polarity": "monitor",
        "years": {2018: ["51.0", "51.4", "51.7", "51.9"], 2019: ["52.0", "52.1", "52.3", "52.2"]},
        "target": ("none", ""),
        "data_source": "Southampton HRDA referrals (rolling 24 months)",
    },
    {
        "code": "FTE-01",
        "name": "First time entrants to the youth justice system",
        "priority": P_YOUTH,
        "owner": "YOS",
        "measure": "rate",
        "rate_per": 100000,
        "rate_denominator_label": "population aged 10 to 17",
        "polarity": "lower_is_better",
        "years": {2018: ["331", "338", "345", "352"], 2019: ["360", "371", "383", "398"]},
        "target": ("value", "350"),
        "data_source": ILLUSTRATIVE,
        "description": "Rolling 12-month rate of young people receiving their first "
        "reprimand, warning, caution or conviction. The review notes FTE numbers continue "
        "to increase and place the city in the lowest performing quartile nationally.",
    },
    {
        "code": "YREOFF-01",
        "name": "Young people who reoffend within 12 months",
        "priority": P_YOUTH,
        "owner": "YOS",
        "measure": "percentage",
        "polarity": "lower_is_better",
        "years": {2018: ["39.8", "40.5", "41.0", "41.2"], 2019: ["40.1", "39.5", "38.8", "38.0"]},
        "target": ("value", "40"),
        "data_source": ILLUSTRATIVE,
    },
    {
        "code": "AEYOUTH-01",
        "name": "Young people engaged by youth workers in A&E",
        "priority": P_YOUTH,
        "owner": "VRU",
        "measure": "count",
        "polarity": "higher_is_better",
        "years": {2019: 236},
        "target": ("value", "200"),
        "data_source": ILLUSTRATIVE,
        "description": "VRU-funded scheme that started in 2019/20, so there is no "
        "previous year to compare with.",
    },
    {
        "code": "PROBREOFF-01",
        "name": "Adults on probation who reoffend",
        "priority": P_YOUTH,
        "owner": "PROB",
        "measure": "percentage",
        "polarity": "lower_is_better",
        "years": {2018: ["27.4", "27.3", "27.1", "27.0"], 2019: ["26.9", "26.8", "26.6", "26.5"]},
        "target": ("value", "27"),
        "data_source": ILLUSTRATIVE,
    },
    {
        "code": "SWV-01",
        "name": "Safe and Well visits completed",
        "priority": P_VULNERABLE,
        "owner": "HFRS",
        "measure": "count",
        "polarity": "higher_is_better",
        "years": {2018: 2400, 2019: 2650},
        "target": ("value", "2500"),
        "data_source": ILLUSTRATIVE,
    },
    {
        "code": "HATE-01",
        "name": "Hate crimes reported",
        "priority": P_COHESION,
        "owner": "HC",
        "measure": "count",
        "polarity": "monitor",
        "years": {2018: 862, 2019: 931},
        "target": ("none", ""),
        "data_source": POLICE_DATA,
        "caveats": "Monitored, not rated: a rise can be positive, reflecting awareness of "
        "reporting pathways (third-party reporting centres, the Hate Crime app).",
    },
]

# Counts are split across the year with a gentle seasonal shape.
QUARTER_WEIGHTS = [Decimal("0.24"), Decimal("0.26"), Decimal("0.26")]

COMMENTARY = {
    ("ASB-01", 2019, 4): "Problem Action Groups now meet in all four sectors; the rise is "
    "concentrated in the city centre and linked to the street attached cohort (CEAG).",
    ("VC-01", 2019, 4): "Increase driven by violence without injury; VRU critical incident "
    "protocols now in place for serious violence in parks.",
    ("DVC-01", 2019, 4): "Reports remain high; IDVA capacity increased with OPCC emergency "
    "funding. Domestic violence is now almost a third of violent offences.",
    ("DRUG-01", 2019, 4): "Reflects proactive enforcement: Op Fortress and Op Monument "
    "warrants against county lines supply.",
    ("MDS-01", 2019, 4): "Small numbers. New Modern-Day Slavery Sub-Group being set up.",
    ("FTE-01", 2019, 4): "FTE continues to rise; diversion pathway being strengthened with "
    "the YJMB following the HMIP inspection.",
    ("ALC-01", 2019, 4): "2,615 alcohol-affected crimes in the year, 32 fewer than 2018/19.",
    ("ARSON-01", 2019, 4): "Large fall; HFRS Safe and Well visits continue.",
}


# The review covers 2018-19 and 2019-20; SPC needs at least 12 quarters, so the demo
# carries two earlier years, made up but plausible (each indicator's data source says so).
BACK_SERIES_YEARS = (2016, 2017)
BACK_SERIES_NOTE = "2016-17 and 2017-18 quarters are an illustrative back-series for SPC"

SERIES_BREAKS = [
    (
        "STALK-01",
        "2019-20 Q1",
        "Home Office counting rules changed and recording of stalking improved",
    ),
]


def back_series(spec, known: dict[int, list[Decimal]]) -> dict[int, list[Decimal]]:
    """Two earlier years that continue, more gently, the move from 2018-19 to 2019-20,
    with a little quarter-to-quarter noise (seeded by the code, so stable across runs)."""

    if 2018 not in known:  # a scheme that started later has no earlier years
        return {}
    noise = random.Random(spec["code"])
    first, second = known[2018], known[2019]
    ratio = (sum(second) / sum(first)) if sum(first) else Decimal(1)
    step = 1 + (ratio - 1) / 2  # half the yearly change, backwards
    places = Decimal("0.1") if isinstance(spec["years"][2018], list) else Decimal(1)
    out = {}
    for back, year in enumerate(reversed(BACK_SERIES_YEARS), start=1):
        factor = step**back
        out[year] = [
            max(
                Decimal(0),
                (v / factor * Decimal(1 + noise.uniform(-0.04, 0.04))).quantize(places),
            )
            for v in first
        ]
    return out


def quarterly_values(spec) -> dict[int, list[Decimal]]:
    """Every year's four quarterly values, the illustrative back-series first."""
    known = _review_values(spec)
    return {**back_series(spec, known), **known}


def _review_values(spec) -> dict[int, list[Decimal]]:
    out = {}
    for year, data in spec["years"].items():
        if isinstance(data, list):
            out[year] = [Decimal(v) for v in data]
            continue
        total = Decimal(data)
        first = [(total * w).quantize(Decimal(1)) for w in QUARTER_WEIGHTS]
        out[year] = [*first, total - sum(first)]
    return out


USERS = [
    # username, role, partner codes, full name (a person's name only: the pages add the
    # partner or role beside it, so a name in brackets would be said twice)
    ("coordinator", "Coordinator", [], "Sam Carter"),
    ("coordinator2", "Coordinator", [], "Alex Morgan"),
    ("police.lead", "Partner lead", ["HC"], "Priya Shah"),
    ("fire.lead", "Partner lead", ["HFRS"], "Tom Evans"),
    ("council.lead", "Partner lead", ["SCC"], "Jo Bennett"),
    ("yos.lead", "Partner lead", ["YOS"], "Chris Doyle"),
    ("vru.lead", "Partner lead", ["VRU"], "Lee Patel"),
    ("probation.lead", "Partner lead", ["PROB"], "Dana Hughes"),
    ("health.lead", "Partner lead", ["CCG"], "Robin Clarke"),
    ("member", "SCP member", [], "Cllr Pat Green"),
    ("admin", "Administrator", [], "System administrator"),
]
DEMO_PASSWORD = "scorecard-demo"


# The June 2020 meeting's theme, chosen by a coordinator (not matched by words).
THEME_INDICATORS = ["DVC-01", "DOMSHARE-01", "DVVIOL-01", "HRDA-01", "STALK-01"]
# Published to the public scorecard: every indicator except the two about children in
# safeguarding settings, which the partnership reports to its members only.
NOT_PUBLISHED = ["CTC-01", "HRDA-01"]
PUBLIC_NOTES = {
    "ASB-01": "Anti-social behaviour rose slightly in 2019-20. Report it to the police on 101 "
    "or online; in an emergency call 999.",
    "DVC-01": "More domestic abuse is being reported, which the partnership partly welcomes: "
    "many victims did not come forward before. Help is available 24 hours a day from the "
    "National Domestic Abuse Helpline, 0808 2000 247.",
}

# Agreed at the June 2020 meeting, so a new user sees actions followed up.
# The demo's cycle is live on the day it is loaded: its figures keep their 2019-20 and
# 2020-21 financial years, but the meeting was a fortnight ago, its action is due in six
# weeks and the open quarter's returns are due in twelve days.
MEETING_DAYS_AGO = 14
ACTION_DUE_IN_DAYS = 42
OPEN_DEADLINE_IN_DAYS = 12


def meeting_title(day) -> str:
    return f"Safe City Partnership – {day:%B %Y}"


DEMO_ACTION = {
    "title": "Review IDVA capacity against demand",
    "description": "Report to the next SCP on demand for independent domestic violence "
    "advisers since the OPCC emergency funding, and what more is needed.",
    "owner": "SCC",
    "lead": "council.lead",
    "indicators": ["DVC-01", "HRDA-01"],
    "update": "Demand data collected for April to June; IDVA caseloads up by a fifth.",
}


# Data-quality rules (import_csv validation_rules columns). The Safe and Well rule is
# broken by Hampshire Fire's 2020-21 Q1 return in the review queue (410 visits in the
# first lockdown against 636 a year earlier), so a coordinator sees one at once.
VALIDATION_RULES = [
    ["DQ-DVC-VC", "Domestic violent crimes are part of all violent crimes", "[DVC-01]", "<=",
     "[VC-01]", "skip_if_any_missing", "high",
     "Domestic violent crimes cannot outnumber all violent crimes: check both figures."],
    ["DQ-KNIFE-VC", "Knife offences are counted within violent crime", "[KNIFE-01]", "<=",
     "[VC-01]", "skip_if_any_missing", "low", "Check the two figures come from the same extract."],
    ["DQ-SWV-DROP", "Safe and Well visits fall by at most 200 on last year", "[SWV-01]", ">=",
     "[SWV-01]@last_year - 200", "skip_if_any_missing", "medium",
     "Check the count is complete and say in the commentary why visits fell."],
    ["DQ-ARSON-JUMP", "Arson rises by at most 50 on last year", "[ARSON-01]", "<=",
     "[ARSON-01]@last_year + 50", "skip_if_any_missing", "medium",
     "Check for double counting before submitting, and explain a real rise."],
]  # fmt: skip


# What the sheet tabs of the workbooks say (Excel allows 31 characters).
PRIORITY_SHORT_NAMES = {
    P_CRIME: "Crime and ASB",
    P_DRUGS: "Drugs and alcohol",
    P_VULNERABLE: "Vulnerable people",
    P_YOUTH: "Youth crime",
    P_COHESION: "Community cohesion",
    N_VAWG: "VAWG",
    N_SERIOUS: "Serious violence",
    N_EXPLOITATION: "Exploitation",
}
