"""The OpenAPI 3.1 document. Kept beside the views it describes and tested against them."""

from __future__ import annotations

from feedback_app.services.surveys.lifecycle import CONTENT_LANGUAGES

CODE_PARAMETER = {
    "name": "code",
    "in": "path",
    "required": True,
    "description": "The survey's public code, as in /s/<code>.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 32, "pattern": "^[A-Za-z0-9_-]+$"},
}

# Years 1900–2999, as the filters accept (services/figures/district_filters.py).
DAY_SCHEMA = {"type": "string", "format": "date", "pattern": "^(19|2[0-9])[0-9]{2}-"}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


# The database out of reach for the moment (down, restarting, every connection busy).
UNAVAILABLE = "The database cannot be reached for the moment: try again after Retry-After seconds."

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error", "message", "field"],
        "properties": {
            "error": {"type": "string", "description": "Machine-readable error kind."},
            "message": {"type": "string"},
            "field": {
                "type": ["string", "null"],
                "description": "The offending field, e.g. answers.joy, when there is one.",
            },
        },
    },
    "NewResponse": {
        "type": "object",
        "required": ["client_id", "answers"],
        "additionalProperties": False,
        "properties": {
            "client_id": {
                "type": "string",
                "format": "uuid",
                # Only version 4 is accepted (what crypto.randomUUID() makes).
                "pattern": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}"
                "-[0-9a-fA-F]{12}$",
                "description": "A version 4 UUID made by the client; the first answer sent "
                "with it is stored, every later one is acknowledged as a duplicate.",
            },
            "locale": {
                "type": "string",
                "enum": list(CONTENT_LANGUAGES),
                "description": "Language the resident answered in; one the survey offers. "
                "Defaults to the survey's first language.",
            },
            "answers": {
                "type": "object",
                "description": "Answers keyed by question key. Face questions take 1–5 on the "
                "agreement scale (1 Strongly disagree, 2 Disagree, 3 Neither agree nor "
                "disagree, 4 Agree, 5 Strongly agree); leave out a question to skip it, but "
                "give at least one answer. Single choice takes an option key, multiple "
                "choice a list of option keys, text a string of at most 1000 characters.",
                "additionalProperties": {
                    "oneOf": [
                        {"type": "integer", "minimum": 1, "maximum": 5},
                        {"type": "string", "maxLength": 1000},
                        {"type": "array", "items": {"type": "string"}},
                        {"type": "null"},
                    ]
                },
            },
        },
        "example": {
            "client_id": "3f2b8c1e-9a4d-4c7b-8e2f-1a2b3c4d5e6f",
            "locale": "fi",
            "answers": {"joy": 4, "belonging": 5, "safety": 3},
        },
    },
    "Accepted": {
        "type": "object",
        "required": ["status", "client_id", "summary_url"],
        "properties": {
            "status": {"type": "string", "enum": ["created", "duplicate"]},
            "client_id": {"type": "string", "format": "uuid"},
            "summary_url": {"type": "string"},
        },
    },
    "IndicatorSummary": {
        "type": "object",
        "required": ["n", "index", "distribution", "suppressed"],
        "properties": {
            "n": {"type": "integer", "minimum": 0},
            "index": {
                "type": ["number", "null"],
                "minimum": 0,
                "maximum": 100,
                "description": "Mean of (answer − 1) × 25: 0 when everyone strongly disagreed, "
                "100 when everyone strongly agreed; null when suppressed.",
            },
            "distribution": {
                "type": ["array", "null"],
                "items": {"type": "integer", "minimum": 0},
                "minItems": 5,
                "maxItems": 5,
                "description": "Counts of answers 1 (Strongly disagree) … 5 (Strongly agree); "
                "null when suppressed.",
            },
            "suppressed": {
                "type": "boolean",
                "description": "True when fewer than min_group answers: too few to show.",
            },
        },
    },
    "SurveySummary": {
        "type": "object",
        "required": ["code", "title", "responses", "min_group", "indicators"],
        "properties": {
            "code": {"type": "string"},
            "title": {"type": "string"},
            "responses": {"type": "integer", "minimum": 0},
            "min_group": {"type": "integer", "minimum": 1},
            "indicators": {
                "type": "object",
                "additionalProperties": {"$ref": "#/components/schemas/IndicatorSummary"},
            },
        },
    },
    "Health": {
        "type": "object",
        "required": ["status", "database"],
        "properties": {"status": {"type": "string"}, "database": {"type": "string"}},
    },
}

PATHS = {
    "/api/v1/surveys/{code}/responses": {
        "post": {
            "operationId": "createResponse",
            "summary": "Submit one anonymous response",
            "parameters": [CODE_PARAMETER],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/NewResponse"}}
                },
            },
            "responses": {
                "201": {
                    "description": "Stored.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Accepted"}}
                    },
                },
                "200": {
                    "description": "The client_id was already used (on any survey, with any "
                    "answers): status duplicate, nothing added. Every replay gets this same "
                    "answer, so it reveals nothing about what was stored.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Accepted"}}
                    },
                },
                "400": _error("Malformed JSON or a body that is not an object."),
                "404": _error("No open or closed survey has this code."),
                "410": _error("The survey has closed."),
                "413": _error("The body is larger than the limit."),
                "415": _error("The body is not application/json."),
                "422": _error("An answer or field is invalid; field names it."),
                "429": _error("Too many submissions from one address in a short time."),
                "409": _error(
                    "The survey changed several times during this request: nothing was "
                    "stored; send the same body again (see Retry-After)."
                ),
                "503": _error(f"{UNAVAILABLE} Nothing was stored; send the same body again."),
            },
        }
    },
    "/api/v1/surveys/{code}/summary": {
        "get": {
            "operationId": "getSurveySummary",
            "summary": "Results of one survey, withheld below the minimum group size",
            "parameters": [CODE_PARAMETER],
            "responses": {
                "200": {
                    "description": "Counts and index per face-scale indicator.",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/SurveySummary"}
                        }
                    },
                },
                "404": _error("No published survey has this code."),
                "429": _error("Too many requests."),
                "503": _error(UNAVAILABLE),
            },
        }
    },
    "/api/v1/openapi.json": {
        "get": {
            "operationId": "getOpenApi",
            "summary": "This document",
            "responses": {
                "200": {
                    "description": "The OpenAPI document.",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    },
    "/healthz": {
        "get": {
            "operationId": "getHealth",
            "summary": "Whether the app and its database answer",
            "responses": {
                "200": {
                    "description": "Healthy.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Health"}}
                    },
                },
                "503": {
                    "description": "The database does not answer.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Health"}}
                    },
                },
            },
        }
    },
}


# --- Officials' district feed (dashboard): a session cookie or an admin-issued bearer token.
SECURITY_SCHEMES = {
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token an admin issues to an official (fiilis_…).",
    },
    "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "session"},
}
_FIGURE = {"type": ["number", "null"], "minimum": 0, "maximum": 100}
SCHEMAS["DistrictIndicator"] = {
    "type": "object",
    "required": ["n", "index", "ci95", "distribution", "suppressed", "change"],
    "properties": {
        "n": {"type": "integer", "minimum": 0, "description": "Answers to this indicator."},
        "index": {**_FIGURE, "description": "Mean of (answer − 1) × 25; null when suppressed."},
        "ci95": {
            "type": ["array", "null"],
            "items": {"type": "number", "minimum": 0, "maximum": 100},
            "minItems": 2,
            "maxItems": 2,
            "description": "95 % confidence interval [low, high]; null when suppressed.",
        },
        "distribution": {
            "type": ["array", "null"],
            "items": {"type": "integer", "minimum": 0},
            "minItems": 5,
            "maxItems": 5,
            "description": "Counts of answers 1 (Strongly disagree) … 5 (Strongly agree).",
        },
        "suppressed": {"type": "boolean", "description": "Fewer than min_group answers."},
        "change": {
            "type": ["number", "null"],
            "description": "Index change from previous_quarter to quarter; null when either "
            "quarter has fewer than min_group answers.",
        },
        "change_ci95": {
            "type": ["array", "null"],
            "items": {"type": "number"},
            "minItems": 2,
            "maxItems": 2,
            "description": "95 % confidence interval [low, high] of the change (two "
            "independent quarters, normal approximation); null when change is null.",
        },
        "change_verdict": {
            "type": ["string", "null"],
            "enum": ["higher", "lower", "same", None],
            "description": "higher or lower when change_ci95 leaves out zero, same when the "
            "change is within the margin of error; null when change is null.",
        },
    },
}
SCHEMAS["DistrictSummary"] = {
    "type": "object",
    "required": ["min_group", "tier", "quarter", "previous_quarter", "earlier_scale", "districts"],
    "properties": {
        "min_group": {"type": "integer", "minimum": 1},
        "tier": {"type": "string", "enum": ["resident", "area_actor", "art_institution"]},
        "quarter": {"type": "string", "pattern": "^[0-9]{4}-Q[1-4]$"},
        "previous_quarter": {"type": "string", "pattern": "^[0-9]{4}-Q[1-4]$"},
        "earlier_scale": {
            "type": "boolean",
            "description": "Answers given under earlier answer labels were left out: every "
            "figure counts the newest wording of the scale in the selection only.",
        },
        "districts": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["slug", "name", "name_sv", "responses", "indicators"],
                "properties": {
                    "slug": {"type": "string"},
                    "name": {"type": "string", "description": "Finnish name."},
                    "name_sv": {"type": "string", "description": "Swedish name."},
                    "responses": {
                        "type": "integer",
                        "minimum": 0,
                        "description": "Responses, whatever they answered, from survey × month "
                        "cells of at least min_group responses.",
                    },
                    "indicators": {
                        "type": "object",
                        "additionalProperties": {"$ref": "#/components/schemas/DistrictIndicator"},
                    },
                },
            },
        },
    },
}


def _query(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


PATHS["/api/v1/districts/summary"] = {
    "get": {
        "operationId": "getDistrictSummary",
        "summary": "Target districts side by side (officials and admins)",
        "description": "Responses and index 0–100 with a 95 % interval for joy, belonging and "
        "safety per district, and the change against the previous quarter. Figures from fewer "
        "than min_group answers are null with suppressed=true. Aggregated from score tallies.",
        "security": [{"bearerAuth": []}, {"sessionCookie": []}],
        "parameters": [
            _query(
                "period",
                {"type": "string", "pattern": "^(all|19[0-9]{2}|2[0-9]{3})$"},
                "Start year of the grant period, or all; default: the running period.",
            ),
            _query("year", {"type": "integer", "minimum": 1900, "maximum": 2999}, "Calendar year."),
            _query("quarter", {"type": "integer", "minimum": 1, "maximum": 4}, "Quarter of year."),
            _query("from", DAY_SCHEMA, "First day (overrides year); widened to its month."),
            _query("to", DAY_SCHEMA, "Last day (overrides year); widened to its month."),
            _query(
                "district",
                {"type": "string", "maxLength": 60, "pattern": "^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$"},
                "District slug, e.g. malmi.",
            ),
            _query(
                "project", {"type": "integer", "minimum": 1, "maximum": 2147483647}, "Project id."
            ),
            _query(
                "tier",
                {"type": "string", "enum": ["resident", "area_actor", "art_institution"]},
                "Survey tier; default resident. Tiers are never mixed.",
            ),
            _query("granularity", {"type": "string", "enum": ["quarter", "month"]}, "Unused here."),
        ],
        "responses": {
            "200": {
                "description": "One entry per target district.",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/DistrictSummary"}}
                },
            },
            "400": _error("A filter value is not valid; field names it."),
            "401": _error("Neither a session nor a valid bearer token."),
            "403": _error("Signed in, but not an official or admin."),
            "429": _error("Too many requests."),
            "503": _error(UNAVAILABLE),
        },
    }
}


def openapi_document() -> dict:
    """The whole document, built fresh so tests can't accidentally mutate a shared copy."""
    import copy

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Fiilis API",
            "version": "1.0.0",
            "description": "Anonymous resident feedback for the Helsinki model: submit answers "
            "(also from an offline outbox) and read aggregated, small-cell-suppressed results.",
        },
        "servers": [{"url": "/"}],
        "paths": copy.deepcopy(PATHS),
        "components": {
            "schemas": copy.deepcopy(SCHEMAS),
            "securitySchemes": copy.deepcopy(SECURITY_SCHEMES),
        },
    }
