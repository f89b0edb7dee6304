"""A signed, short-lived note on the thank-you link: was an answer stored now, or a repeat?

Residents have no cookie and no session, so the thank-you page cannot otherwise know
whether this visitor just answered. The note holds only the survey code and the outcome,
never the ``client_id`` or any answer: the link stays in the browser's history, where the
next person on a shared device can see it.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

STORED, REPEAT = "stored", "repeat"
# Long enough for a form left open during an event (the app path signs the link when the
# form is shown), short enough that an old history entry stops claiming an answer.
MAX_AGE_SECONDS = 2 * 3600


def _serializer() -> URLSafeTimedSerializer:
    """itsdangerous keyed with SECRET_KEY, with a salt of its own for this one purpose."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="survey-receipt")


def sign(code: str, outcome: str) -> str:
    """The note for survey ``code`` and ``outcome`` (``STORED`` or ``REPEAT``)."""
    return _serializer().dumps([code, outcome])


def read(code: str, note: str | None) -> str | None:
    """The outcome the note vouches for on survey ``code``; None if missing, forged or old."""
    if not note:
        return None
    try:
        signed_code, outcome = _serializer().loads(note, max_age=MAX_AGE_SECONDS)
    except (BadSignature, ValueError, TypeError):
        return None
    if signed_code != code or outcome not in (STORED, REPEAT):
        return None
    return outcome
