"""Data-quality rules where people meet them: beside the figures on the return form
(a broken high-importance rule blocks submission without a commentary), in the review
queue, in set-up (coordinators only, audited), in import_csv and validation_analysis."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.models import AuditEntry
from returns.models import QuarterlyReturn, ValidationRule
from returns.quality.checks import ANALYSIS_COLUMNS

RETURN = reverse("return_edit", args=["HC", "2019-20-Q1"])


def form(asb="90", pct="16", submit=False, asb_commentary=""):
    return {
        "ASB-01-value": asb,
        "ASB-01-commentary": asb_commentary,
        "REPEAT-01-value": pct,
        "REPEAT-01-commentary": "",
        "REPEAT-01-numerator": "",
        "REPEAT-01-denominator": "",
        ("submit" if submit else "save"): "1",
    }


def rule(importance="high", **extra):
    # 2018-19 Q1 had 100 ASB incidents: a fall of more than 5 breaks it.
    return ValidationRule.objects.create(
        code="DQ-ASB",
        name="ASB falls by at most 5 on last year",
        left="[ASB-01]",
        operator=">=",
        right="[ASB-01]@last_year - 5",
        importance=importance,
        instruction="Check the extract covers the whole quarter.",
        **extra,
    )


@pytest.fixture
def lead(client, police_lead, partnership):
    client.force_login(police_lead)
    return client


def test_lead_sees_a_broken_rule_beside_the_figures_it_names(lead):
    rule(importance="medium")
    page = lead.post(RETURN, form(), follow=True).content.decode()
    assert 'id="ASB-01-rule-DQ-ASB"' in page
    assert "ASB falls by at most 5 on last year" in page
    assert "(90 against 95)" in page and "Check the extract covers the whole quarter." in page
    assert 'id="REPEAT-01-rule-DQ-ASB"' not in page  # not named by the rule
    # and again when the saved draft is opened later
    assert 'id="ASB-01-rule-DQ-ASB"' in lead.get(RETURN).content.decode()


def test_a_figure_that_keeps_the_rule_shows_nothing(lead):
    rule()
    assert "DQ-ASB" not in lead.post(RETURN, form(asb="96"), follow=True).content.decode()


def test_high_importance_violation_cannot_be_submitted_without_commentary(lead):
    rule(importance="high")
    response = lead.post(RETURN, form(submit=True))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Add a commentary on this figure explaining it" in page
    assert 'href="#id_ASB-01-commentary"' in page  # in the error summary, linked
    assert not QuarterlyReturn.objects.filter(status="submitted", period__year=2019).exists()
    response = lead.post(RETURN, form(submit=True, asb_commentary="Festival moved to Q2"))
    assert response.status_code == 302
    assert QuarterlyReturn.objects.get(period__year=2019).status == "submitted"


def test_lower_importance_violations_are_warnings(lead):
    rule(importance="medium")
    assert lead.post(RETURN, form(submit=True)).status_code == 302
    assert QuarterlyReturn.objects.get(period__year=2019).status == "submitted"


def test_the_service_refuses_what_the_form_refuses(lead, police_lead):
    from returns import services

    rule(importance="high")
    lead.post(RETURN, form())  # a draft with the broken figure and no commentary
    with pytest.raises(services.InvalidTransition, match="ASB-01"):
        services.quarterly_return_submit(
            quarterly_return=QuarterlyReturn.objects.get(period__year=2019), by=police_lead
        )


def test_review_queue_shows_the_broken_rule(lead, client, coordinator):
    rule(importance="medium")
    lead.post(RETURN, form(submit=True))
    client.force_login(coordinator)
    page = client.get(reverse("review_queue")).content.decode()
    assert "Rule DQ-ASB" in page and "(90 against 95)" in page
    review = client.get(reverse("review_return", args=["HC", "2019-20-Q1"])).content.decode()
    assert "Rule DQ-ASB" in review


# --- set-up ------------------------------------------------------------------------


def test_only_coordinators_manage_rules(client, police_lead, member, partnership):
    rule()
    for person in (police_lead, member):
        client.force_login(person)
        assert client.get(reverse("setup_rules")).status_code == 403
        assert client.post(reverse("setup_rule_delete", args=["DQ-ASB"])).status_code == 403
    assert ValidationRule.objects.exists()


def test_coordinator_adds_a_rule_and_errors_stay_beside_their_fields(
    client, coordinator, partnership
):
    client.force_login(coordinator)
    bad = {
        "code": "DQ-PCT",
        "name": "Repeat victims",
        "left": "[REPEAT-01] *",
        "operator": "<=",
        "right": "[NOPE-01]",
        "missing_value_strategy": "skip_if_any_missing",
        "importance": "low",
    }
    response = client.post(reverse("setup_rule_new"), bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Left: Expected + or - but found &#x27;*&#x27; at position 13" in page
    assert "Right: no indicator with code NOPE-01" in page
    assert not ValidationRule.objects.exists()
    good = {**bad, "left": "[REPEAT-01]", "right": "100"}
    assert client.post(reverse("setup_rule_new"), good).status_code == 302
    assert ValidationRule.objects.get().description == "[REPEAT-01] at most 100"
    audited = AuditEntry.objects.filter(action="rule_changed", actor=coordinator)
    assert audited.filter(field="DQ-PCT.left", new_value="[REPEAT-01]").exists()
    client.post(reverse("setup_rule", args=["DQ-PCT"]), {**good, "importance": "high"})
    assert ValidationRule.objects.get().importance == "high"
    assert audited.filter(field="DQ-PCT.importance", old_value="low", new_value="high").exists()


# --- import_csv validation_rules -----------------------------------------------------

HEADER = "code,name,left,operator,right,missing_value_strategy,importance,instruction\n"


def run_import(tmp_path, text):
    path = tmp_path / "rules.csv"
    path.write_text(text)
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_csv",
        "--partnership",
        "southampton",
        "validation_rules",
        str(path),
        stdout=out,
        stderr=err,
    )
    return out.getvalue()


def test_import_validation_rules_is_idempotent(tmp_path, partnership):
    text = HEADER + (
        'DQ-1,Repeat is a percentage,[REPEAT-01],<=,100,never_skip,high,"Check it"\n'
        "DQ-2,ASB with arson,[ASB-01],compulsory_pair,[ARSON-01],,,\n"
    )
    assert "rows: 2, changed: 2" in run_import(tmp_path, text)
    assert ValidationRule.objects.get(code="DQ-2").missing_value_strategy == "skip_if_any_missing"
    assert "rows: 2, changed: 0" in run_import(tmp_path, text)
    assert ValidationRule.objects.count() == 2


def test_import_refuses_every_bad_row_and_saves_nothing(tmp_path, partnership):
    text = HEADER + (
        "DQ-1,Fine,[ASB-01],<=,1000,,,\n"
        "DQ-2,Unknown,[NOPE-01],<=,1,,,\n"
        "DQ-3,Syntax,[ASB-01] +,<=,1,,,\n"
        "DQ-4,Operator,[ASB-01],=<,1,,,\n"
        "DQ-5,Strategy,[ASB-01],<=,1,sometimes,,\n"
    )
    err = io.StringIO()
    path = tmp_path / "rules.csv"
    path.write_text(text)
    with pytest.raises(CommandError, match="4 problem"):
        call_command(
            "import_csv", "--partnership", "southampton", "validation_rules", str(path), stderr=err
        )
    lines = err.getvalue()
    assert "line 3: left: no indicator with code NOPE-01" in lines
    assert (
        "line 4: left: Expected an indicator reference like [ROB-01] or a number at position 11"
        in lines
    )
    assert "line 5: unknown operator '=<'" in lines
    assert "line 6: unknown missing_value_strategy 'sometimes'" in lines
    assert not ValidationRule.objects.exists()


def test_import_wants_exactly_the_documented_columns(tmp_path, partnership):
    path = tmp_path / "rules.csv"
    path.write_text("code,name,left,operator,right\nDQ-1,x,[ASB-01],<=,1\n")
    with pytest.raises(CommandError):
        call_command(
            "import_csv",
            "--partnership",
            "southampton",
            "validation_rules",
            str(path),
            stderr=io.StringIO(),
        )
    assert not ValidationRule.objects.exists()


# --- validation_analysis ---------------------------------------------------------------


def test_validation_analysis_columns_and_results(lead, partnership):
    rule(importance="high")
    ValidationRule.objects.create(
        code="DQ-MISSING",
        name="Needs arson",
        left="[ASB-01]",
        operator="<=",
        right="[REPEAT-01] + [NOPE-01]",
    )
    lead.post(RETURN, form(asb="90", asb_commentary="x"))
    out = io.StringIO()
    call_command(
        "validation_analysis",
        "--partnership",
        "southampton",
        "--period",
        "2019-20 Q1",
        "--format",
        "csv",
        stdout=out,
    )
    reader = csv.DictReader(io.StringIO(out.getvalue()))
    assert reader.fieldnames == [
        "rule", "period", "partner", "left_value", "operator", "right_value", "importance", "result",
    ]  # fmt: skip
    rows = list(reader)
    by_rule = {r["rule"]: r for r in rows if r["partner"] == "HC"}
    assert by_rule["DQ-ASB"] == {
        "rule": "DQ-ASB",
        "period": "2019-20 Q1",
        "partner": "HC",
        "left_value": "90",
        "operator": ">=",
        "right_value": "95",
        "importance": "high",
        "result": "violated",
    }
    assert by_rule["DQ-MISSING"]["result"] == "skipped"
    # each figure's two outlier tests: too little history here, so skipped
    outlier_rows = [r for r in rows if r["rule"].startswith("outlier:")]
    assert {r["rule"] for r in outlier_rows} == {"outlier:modified_z", "outlier:seasonal"}
    assert all(r["operator"] == "within" and r["importance"] == "medium" for r in outlier_rows)
    assert {r["result"] for r in outlier_rows} == {"skipped"}
    # the fire service owns no indicator the rules name: no rule rows for it
    assert not [r for r in rows if r["partner"] == "HFRS" and not r["rule"].startswith("outlier")]
    out = io.StringIO()
    call_command(
        "validation_analysis",
        "--partnership",
        "southampton",
        "--period",
        "2019-20 Q1",
        "--format",
        "json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert all(list(row) == ANALYSIS_COLUMNS for row in data)


def test_validation_analysis_outlier_rows_give_the_range(demo):
    out = io.StringIO()
    call_command(
        "validation_analysis", "--partnership", "southampton", "--period", "2019-20 Q4", stdout=out
    )
    rows = [
        r for r in csv.DictReader(io.StringIO(out.getvalue())) if r["rule"] == "outlier:seasonal"
    ]
    read = [r for r in rows if r["result"] != "skipped"]
    assert read and all(".." in r["right_value"] for r in read)
    assert {r["result"] for r in read} == {"passed", "violated"}


def test_demo_has_rules_and_one_broken_in_the_review_queue(demo, client, coordinator):
    assert ValidationRule.objects.count() >= 4
    client.force_login(coordinator)
    page = client.get(reverse("review_queue")).content.decode()
    assert "Rule DQ-SWV-DROP" in page and "(410 against 436)" in page


def test_lead_is_told_which_outlier_test_flagged_a_figure_and_the_usual_range(
    demo, client, police_lead
):
    # The demo's violent crime has four years of history by 2020-21 Q1.
    client.force_login(police_lead)
    url = reverse("return_edit", args=["HC", "2020-21-Q1"])
    page = client.get(url).content.decode()
    data = {"save": "1"}
    for name in ("VC-01",):
        data[f"{name}-value"] = "9000"
    response = client.post(url, data, follow=True)
    page = response.content.decode()
    assert 'id="VC-01-outlier"' in page
    assert "Outlier (same quarter of the last three years): usually" in page
    assert " in Q1" in page
    submit = client.post(url, {**data, "submit": "1"}).content.decode()
    assert "This figure is unusual against its own history (usually" in submit
