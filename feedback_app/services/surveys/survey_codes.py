"""Recognising a survey code typed by hand: in capitals, without ``/s/``, with a slash."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import Survey, SurveyStatus

# What a mistyped survey address can look like: ``/DEMO``, ``/s/DEMO``, ``/S/demo/``.
TYPED_PATH = re.compile(r"/(?:[sS]/)?([A-Za-z0-9_-]{1,32})/?")


def public_code_for_path(path: str) -> str | None:
    """The code of the published survey a stray ``path`` most likely means, else None.

    Only plain code-shaped paths are considered, so the lookup is one indexed query and no
    other URL (an API path, a file name) can be turned into a redirect.
    """
    match = TYPED_PATH.fullmatch(path)
    if match is None:
        return None
    typed = match.group(1)
    codes = db.session.scalars(
        select(Survey.code).where(
            func.lower(Survey.code) == typed.lower(), Survey.status != SurveyStatus.DRAFT
        )
    ).all()
    if typed in codes:
        return None if path == f"/s/{typed}" else typed
    return codes[0] if len(codes) == 1 else None
