"""How the app reads JSON from outside: standard JSON only, nested no deeper than needed.

Installed as ``app.json`` in ``create_app``, so ``request.get_json()`` and the submission
fast path both read bodies through it. A refusal is a ``ValueError``, which
``get_json(silent=True)`` turns into None, so every JSON view answers 400
``malformed_json`` without a line of its own.
"""

from __future__ import annotations

import json
from typing import Any

from flask.json.provider import DefaultJSONProvider

# An answer body is three levels deep (body → answers → a multiple-choice list). Python's
# decoder recurses once per level: thousands of levels raise RecursionError (a 500), and a
# few hundred that still parse would be carried through validation for nothing.
MAX_DEPTH = 20


class MalformedJSON(ValueError):
    """A body that is not JSON this app accepts (nesting, NaN/Infinity, bad encoding)."""


def _refuse_constant(name: str) -> float:
    """``NaN`` and ``Infinity`` are accepted by Python's decoder but are not JSON."""
    raise MalformedJSON(f"{name} is not a JSON number")


def nested_deeper_than(value: Any, limit: int) -> bool:
    """Whether arrays and objects in ``value`` nest more than ``limit`` levels (no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider with loading limited to standard JSON of bounded depth."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Decode ``s``; ``MalformedJSON`` (a ``ValueError``) for anything refused."""
        kwargs.setdefault("parse_constant", _refuse_constant)
        try:
            value = json.loads(s, **kwargs)
        except RecursionError:
            raise MalformedJSON("nested too deeply") from None
        if nested_deeper_than(value, MAX_DEPTH):
            raise MalformedJSON("nested too deeply")
        return value
