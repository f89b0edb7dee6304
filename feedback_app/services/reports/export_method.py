"""The method sheet every workbook ends with: scale, index, interval, suppression and scope.

The wording is the printed report's method page (the same catalogue entries), so paper,
workbook and screen describe the figures in the same words.
"""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from feedback_app.scale import FACE_LABELS, SCALE_VERSION
from feedback_app.services.reports.exports import Sheet

POINTS_PER_STEP = 25


def method_sheet(min_group: int, today: date, scope: list[tuple[str, object]]) -> Sheet:
    """Rows of topic, text and value; ``scope`` names the filters the figures were made with."""
    rows: list[list[object]] = [
        [_("Answer scale"), _("Each indicator is a statement answered on a five-point scale:")]
    ]
    rows += [
        [score, str(label), (score - 1) * POINTS_PER_STEP]
        for score, label in enumerate(FACE_LABELS, start=1)
    ]
    rows += [
        [_("Answer labels version"), "", SCALE_VERSION],
        [
            _("Index 0–100"),
            _(
                "The index is the mean of (answer − 1) × 25 over everyone who answered the "
                "statement: 0 means everyone chose 1, 100 means everyone chose 5. A skipped "
                "question is not counted."
            ),
        ],
        [
            _("95 %% confidence interval") % {},
            _(
                "The interval is the index ± 1.96 standard errors (normal approximation), kept "
                "within 0–100. With few answers it is wide: two figures whose intervals overlap "
                "widely may not differ at all."
            ),
        ],
        [
            _("Too few answers"),
            _(
                "A figure, its interval and any comments are shown only for a group with at "
                "least %(k)s answers (MIN_GROUP_SIZE). Smaller groups are marked “too few "
                "answers”, so that nobody's answer can be recognised. The same rule applies on "
                "the dashboard.",
                k=min_group,
            ),
            min_group,
        ],
        [
            _("Month cells"),
            _(
                "Dashboard figures are sums of cells: one event's answers to one statement in "
                "one calendar month. A cell with fewer than %(k)s answers is counted in no "
                "figure, and dates are widened to whole months, so two downloads with different "
                "filters never differ by a small group.",
                k=min_group,
            ),
        ],
        [],
    ]
    rows += [[label, value] for label, value in scope]
    rows.append([_("Printed"), format_date(today, "long")])
    return Sheet(_("Method"), [_("Topic"), _("Description"), _("Value")], rows)
