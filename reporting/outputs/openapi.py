"""The API's OpenAPI 3.1 document, written once: served at /api/v1/openapi.json and used
by the tests, which validate every API and public-JSON response they get against it."""

from __future__ import annotations

from indicators.rag import Direction, Measure, Rag
from indicators.spc import Assurance, Variation

NUMBER = {"type": ["number", "null"]}
TEXT = {"type": "string"}


def _enum(values, nullable=False) -> dict:
    values = [v.value if hasattr(v, "value") else v for v in values]
    if nullable:
        return {"type": ["string", "null"], "enum": [*values, None]}
    return {"type": "string", "enum": values}


RAG = _enum(Rag)
DIRECTION = _enum(Direction)
MEASURE = _enum(Measure)
VARIATION = _enum(Variation, nullable=True)
ASSURANCE = _enum(Assurance, nullable=True)

RECORD = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "indicator", "name", "priority", "period", "actual", "target", "rag", "direction",
        "change_vs_last_year_pct", "caution", "owner", "measure", "comparison",
        "caution_reason", "commentary", "variation", "assurance", "spc_mean", "spc_lower",
        "spc_upper", "spc_points", "change_vs_last_year_pp", "exception_reasons",
    ],
    "properties": {
        "indicator": {**TEXT, "description": "The indicator's code, e.g. ASB-01"},
        "name": TEXT,
        "priority": TEXT,
        "period": {**TEXT, "description": "Financial-year quarter, e.g. 2019-20 Q4"},
        "actual": {**NUMBER, "description": "The approved figure; null when there is none"},
        "target": {**NUMBER, "description": "The target as it applies to the quarter"},
        "rag": RAG,
        "direction": DIRECTION,
        "change_vs_last_year_pct": {
            **NUMBER,
            "description": "Relative change on the same quarter last year, one decimal place",
        },
        "caution": {"type": "boolean", "description": "Interpret with caution (small numbers, a series break)"},
        "owner": {**TEXT, "description": "The owning partner's code"},
        "measure": MEASURE,
        "comparison": {**NUMBER, "description": "The same quarter last year"},
        "caution_reason": TEXT,
        "commentary": TEXT,
        "variation": VARIATION,
        "assurance": ASSURANCE,
        "spc_mean": NUMBER,
        "spc_lower": NUMBER,
        "spc_upper": NUMBER,
        "spc_points": {"type": ["integer", "null"]},
        "change_vs_last_year_pp": {
            **NUMBER,
            "description": "For a percentage: the change on the same quarter last year in "
            "percentage points (actual − last year), one decimal place, as the pages show "
            "it; null for counts and rates, and across a series break",
        },
        "exception_reasons": {
            "type": "array",
            "items": TEXT,
            "description": "Why the indicator is an exception, as the exceptions page and "
            "the meeting pack list it (red against target, worsening two periods running, "
            "an outlier against its own history, a special cause concern); empty when it "
            "is not one. Cautions are apart, in caution and caution_reason",
        },
    },
}  # fmt: skip
PROBLEM = {
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": TEXT,
        "errors": {
            "type": "object",
            "description": "Each unknown filter value or period, by parameter",
            "additionalProperties": {"type": "array", "items": TEXT},
        },
    },
}
PUBLIC_INDICATOR = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "indicator", "name", "priority", "period", "actual", "target", "rag", "direction",
        "change_vs_last_year_pct", "caution", "owner", "owner_name", "measure", "comparison",
        "caution_reason", "variation", "assurance", "public_note", "suppressed",
        "suppressed_reason", "actual_suppressed", "actual_display", "comparison_suppressed",
        "comparison_display", "caveats", "history", "change_vs_last_year_pp",
        "exception_reasons",
    ],
    "properties": {
        **{k: RECORD["properties"][k] for k in (
            "indicator", "name", "priority", "period", "target", "rag", "direction",
            "change_vs_last_year_pct", "caution", "owner", "measure", "caution_reason",
            "variation", "assurance", "change_vs_last_year_pp", "exception_reasons",
        )},
        "actual": {**NUMBER, "description": "null when suppressed (see actual_suppressed)"},
        "comparison": {**NUMBER, "description": "null when suppressed"},
        "owner_name": TEXT,
        "public_note": TEXT,
        "suppressed": {"type": "boolean", "description": "A number in the entry is withheld"},
        "suppressed_reason": {"type": ["string", "null"]},
        "actual_suppressed": {"type": "boolean"},
        "actual_display": {**TEXT, "description": "As shown on the page, e.g. 'fewer than 5'"},
        "comparison_suppressed": {"type": "boolean"},
        "comparison_display": TEXT,
        "caveats": TEXT,
        "history": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["period", "value", "suppressed"],
                "properties": {
                    "period": TEXT,
                    "value": NUMBER,
                    "suppressed": {"type": "boolean"},
                },
            },
        },
    },
}  # fmt: skip
FILTERS = [
    ("period", "Financial-year quarter, e.g. 2019-20-Q4; the latest rated quarter if absent"),
    ("priority", "A priority's slug"),
    ("owner", "A partner's code, e.g. HC"),
    ("rag", "red, amber, green, grey or not_rated"),
    ("direction", "improving, worsening, stable or no_comparison"),
    ("variation", "An SPC variation, e.g. concern or improvement_high"),
    ("assurance", "pass, fail or hit_and_miss"),
    (
        "partnership",
        "A partnership's slug, for an account or token that reads several; the token's "
        "own partnership, or the account's first, if absent",
    ),
]
SECURITY = [{"token": []}, {"session": []}]


def _response(description, schema=None) -> dict:
    if schema is None:
        return {"description": description}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def document() -> dict:
    problem = {"$ref": "#/components/schemas/Problem"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "SCP Scorecard API",
            "version": "1.1.0",
            "description": "Approved figures of the Safe City Partnership's scorecard. "
            "Numbers are JSON numbers, missing values null, yes/no fields booleans.",
        },
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {
                "token": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "Token <key> (manage.py create_api_token)",
                },
                "session": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
            },
            "schemas": {
                "Record": RECORD,
                "Problem": PROBLEM,
                "PublicIndicator": PUBLIC_INDICATOR,
            },
        },
        "paths": {
            "/api/v1/scorecard/": {
                "get": {
                    "operationId": "scorecard",
                    "summary": "Every indicator for one quarter, with the dashboard's filters",
                    "security": SECURITY,
                    "parameters": [
                        {
                            "name": n,
                            "in": "query",
                            "required": False,
                            "description": d,
                            "schema": {"type": "string"},
                        }
                        for n, d in FILTERS
                    ],  # fmt: skip
                    "responses": {
                        "200": _response(
                            "The quarter's records",
                            {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["period", "generated_at", "count", "results"],
                                "properties": {
                                    "period": {"type": ["string", "null"]},
                                    "generated_at": {"type": "string", "format": "date-time"},
                                    "count": {"type": "integer", "minimum": 0},
                                    "results": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Record"},
                                    },
                                },
                            },
                        ),
                        "400": _response("An unknown filter value or period", problem),
                        "401": _response("No session and no valid token", problem),
                        "403": _response("The account has no role", problem),
                        "404": _response("No such partnership for this account or token", problem),
                    },
                }
            },
            "/api/v1/indicators/{code}/": {
                "get": {
                    "operationId": "indicator",
                    "summary": "One indicator: definition, targets and every quarter's record",
                    "security": SECURITY,
                    "parameters": [
                        {"name": "code", "in": "path", "required": True, "schema": TEXT},
                        {
                            "name": "partnership",
                            "in": "query",
                            "required": False,
                            "description": FILTERS[-1][1],
                            "schema": TEXT,
                        },
                    ],
                    "responses": {
                        "200": _response(
                            "The indicator",
                            {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["indicator", "name", "owner", "measure", "periods"],
                                "properties": {
                                    "indicator": TEXT,
                                    "name": TEXT,
                                    "description": TEXT,
                                    "priority": TEXT,
                                    "owner": TEXT,
                                    "measure": MEASURE,
                                    "polarity": TEXT,
                                    "unit": TEXT,
                                    "data_source": TEXT,
                                    "caveats": TEXT,
                                    "strategies": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "additionalProperties": False,
                                            "required": ["strategy", "priority"],
                                            "properties": {"strategy": TEXT, "priority": TEXT},
                                        },
                                    },
                                    "targets": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "additionalProperties": False,
                                            "required": ["year", "target_type", "value"],
                                            "properties": {
                                                "year": TEXT,
                                                "target_type": TEXT,
                                                "value": NUMBER,
                                            },
                                        },
                                    },
                                    "periods": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Record"},
                                    },
                                },
                            },  # fmt: skip
                        ),
                        "401": _response("No session and no valid token", problem),
                        "403": _response("The account has no role", problem),
                        "404": _response(
                            "No such indicator, or no such partnership for this account or token",
                            problem,
                        ),
                    },
                }
            },
            "/public/scorecard.json": {
                "get": {
                    "operationId": "public_scorecard",
                    "summary": "The published scorecard (public, no sign-in; small counts suppressed)",
                    "security": [],
                    "responses": {
                        "200": _response(
                            "The latest publication",
                            {
                                "type": "object",
                                "additionalProperties": False,
                                "required": [
                                    "title",
                                    "period",
                                    "published_for_meeting",
                                    "licence",
                                    "suppression",
                                    "indicators",
                                ],
                                "properties": {
                                    "title": TEXT,
                                    "partnership": TEXT,
                                    "period": TEXT,
                                    "published_for_meeting": {"type": "string", "format": "date"},
                                    "licence": TEXT,
                                    "provisional": {
                                        "type": "array",
                                        "items": TEXT,
                                        "description": "The partners whose returns were "
                                        "not approved when the figures were published (empty: "
                                        "none outstanding)",
                                    },
                                    "suppression": TEXT,
                                    "indicators": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/PublicIndicator"},
                                    },
                                },
                            },  # fmt: skip
                        ),
                        "404": _response("Nothing has been published yet"),
                    },
                }
            },
        },
    }


def response_schema(path: str, status: int) -> dict | None:
    """The JSON Schema a response must match (with the components to resolve its refs),
    or None for a path the document does not cover."""
    doc = document()
    for template, item in doc["paths"].items():
        prefix = template.split("{")[0]
        if path == template or ("{" in template and path.startswith(prefix)):
            response = item["get"]["responses"].get(str(status))
            if response is None or "content" not in response:
                return None
            schema = response["content"]["application/json"]["schema"]
            return {**schema, "components": doc["components"]}
    return None
