"""The five-point agreement scale every face question is answered on.

The core questions are statements ("I felt safe here."), so the faces carry agreement labels.
Changing a label's wording makes a new indicator version: answers stay comparable only within
one wording, so each stored answer keeps the ``SCALE_VERSION`` it was given under.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# 1: "Very unhappy … Very happy" (before 2026-12); 2: the agreement labels below.
SCALE_VERSION = 2
FACE_LABELS = (
    _l("Strongly disagree"),
    _l("Disagree"),
    _l("Neither agree nor disagree"),
    _l("Agree"),
    _l("Strongly agree"),
)


def face_label(score: int) -> str:
    """The label of one face (1–5) in the interface language."""
    return str(FACE_LABELS[score - 1])
