"""The OpenAPI 3.1 document. Kept beside the views it describes and tested against them."""

from __future__ import annotations

from feedback_app.services.surveys import CONTENT_LANGUAGES

CODE_PARAMETER = {
    "name": "code",
    "in": "path",
    "required": True,
    "description": "The survey's public code, as in /s/<code>.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 32, "pattern": "^[A-Za-z0-9_-]+$"},
}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


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
                "description": "A version 4 UUID made by the client; a replay is stored once.",
            },
            "locale": {
                "type": "string",
                "enum": list(CONTENT_LANGUAGES),
                "description": "Language the resident answered in; one the survey offers. "
                "Defaults to the survey's first language.",
            },
            "answers": {
                "type": "object",
                "description": "Answers keyed by question key. Face questions take 1–5, "
                "single choice an option key, multiple choice a list of option keys, text a "
                "string of at most 1000 characters.",
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
                "description": "Mean of (answer − 1) × 25; null when suppressed.",
            },
            "distribution": {
                "type": ["array", "null"],
                "items": {"type": "integer", "minimum": 0},
                "minItems": 5,
                "maxItems": 5,
                "description": "Counts of answers 1…5; null when suppressed.",
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
                    "description": "The same client_id with identical answers: nothing added.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Accepted"}}
                    },
                },
                "400": _error("Malformed JSON or a body that is not an object."),
                "404": _error("No open or closed survey has this code."),
                "409": _error("The client_id was already used with different answers."),
                "410": _error("The survey has closed."),
                "413": _error("The body is larger than the limit."),
                "415": _error("The body is not application/json."),
                "422": _error("An answer or field is invalid; field names it."),
                "429": _error("Too many submissions from one address in a short time."),
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
        "components": {"schemas": copy.deepcopy(SCHEMAS)},
    }
