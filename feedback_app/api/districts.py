"""``GET /api/v1/districts/summary``: the officials' district feed (session or bearer token)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, jsonify, request
from flask_login import current_user

from feedback_app.api.views import bp
from feedback_app.errors import json_error
from feedback_app.models import Role
from feedback_app.services.figures.district_filters import parse_filters
from feedback_app.services.figures.district_results import district_summary
from feedback_app.services.people import api_tokens

READERS = (Role.OFFICIAL, Role.ADMIN)
FILTER_NAMES = ("period", "year", "quarter", "from", "to", "district", "project", "tier")
FILTER_NAMES += ("granularity",)


def _blank_or_padded(args) -> list[str]:
    """Filters sent empty or with spaces: forms do that, API clients should not."""
    return [
        name
        for name in FILTER_NAMES
        if name in args and args[name] != args[name].strip() or name in args and not args[name]
    ]


def _reader():
    """The account asking: a bearer token wins over the session; None when anonymous."""
    header = request.headers.get("Authorization")
    if header:
        return api_tokens.account_for_bearer(header)
    return current_user if current_user.is_authenticated else None


@bp.get("/districts/summary")
def districts_summary():
    """Responses and index with 95 % interval per target district; small cells withheld."""
    account = _reader()
    if account is None:
        response, status = json_error(401, "unauthorized", "Sign in or send a bearer API token")
        response.headers["WWW-Authenticate"] = 'Bearer realm="fiilis"'
        return response, status
    if account.role not in READERS:
        return json_error(403, "forbidden", "Only officials and admins can read district figures")
    today = datetime.now(ZoneInfo("Europe/Helsinki")).date()
    filters, problems = parse_filters(request.args, today)
    problems = _blank_or_padded(request.args) + problems
    if problems:
        return json_error(400, "invalid_filter", "This filter value is not valid", problems[0])
    min_group = current_app.config["MIN_GROUP_SIZE"]
    return jsonify(district_summary(filters, min_group, today))
