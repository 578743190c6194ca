"""The API says what it returns: /api/v1/openapi.json is a valid OpenAPI 3.1 document,
and every API and public-JSON response in the suite is checked against it (the autouse
fixture in tests/conftest.py); these tests show the check has teeth."""

import jsonschema
import pytest
from django.urls import reverse
from openapi_spec_validator import validate

from reporting.outputs import openapi


def test_the_served_document_is_valid_openapi_3_1(client, db):
    response = client.get(reverse("api_openapi"))
    assert response.status_code == 200
    document = response.json()
    validate(document)  # raises on an invalid document
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {
        "/api/v1/scorecard/",
        "/api/v1/indicators/{code}/",
        "/public/scorecard.json",
    }
    parameters = {p["name"] for p in document["paths"]["/api/v1/scorecard/"]["get"]["parameters"]}
    assert parameters == {
        "partnership",
        "period",
        "priority",
        "owner",
        "rag",
        "direction",
        "variation",
        "assurance",
    }


def _record(**changes):
    record = {
        "indicator": "ASB-01", "name": "ASB", "priority": "Crime", "period": "2019-20 Q4",
        "actual": 1892, "target": 1800.5, "rag": "red", "direction": "worsening",
        "change_vs_last_year_pct": 1.5, "caution": False, "owner": "HC", "measure": "count",
        "comparison": 1864, "caution_reason": "", "commentary": "", "variation": None,
        "assurance": None, "spc_mean": None, "spc_lower": None, "spc_upper": None,
        "spc_points": None, "change_vs_last_year_pp": None,
        "exception_reasons": ["Red against target"],
    }  # fmt: skip
    record.update(changes)
    schema = openapi.response_schema("/api/v1/scorecard/", 200)
    return schema, {
        "period": "2019-20 Q4",
        "generated_at": "2026-12-02T10:00:00+00:00",
        "count": 1,
        "results": [record],
    }


@pytest.mark.parametrize(
    "changes",
    [
        {"caution": "yes"},  # yes/no is a boolean in JSON
        {"actual": "1892"},  # a number as text
        {"actual": ""},  # missing is null, not ""
        {"rag": "purple"},
        {"surprise": 1},  # every field is documented
        {"exception_reasons": "Red against target"},  # a list, not the CSV's text
    ],
)
def test_a_response_that_breaks_the_document_is_caught(changes):
    schema, body = _record(**changes)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(body)


def test_a_good_response_passes():
    schema, body = _record()
    jsonschema.Draft202012Validator(schema).validate(body)


@pytest.fixture
def member_client(client, demo, member):
    client.force_login(member)
    return client


def test_api_answers_are_typed_and_their_errors_documented(member_client):
    data = member_client.get(reverse("api_scorecard"), {"period": "2019-20-Q4"}).json()
    row = next(r for r in data["results"] if r["indicator"] == "ASB-01")
    assert row["caution"] is False and isinstance(row["actual"], int | float)
    bad = member_client.get(reverse("api_scorecard"), {"rag": "purple"})
    assert bad.status_code == 400 and "rag" in bad.json()["errors"]
    assert member_client.get(reverse("api_indicator", args=["NOPE"])).status_code == 404
