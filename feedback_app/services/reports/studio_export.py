"""An artist's survey results as CSV (either dialect) or as an XLSX workbook.

The answers come from ``artist_results.response_table`` and the figures from
``artist_results.survey_results``, the studio results page's own service, so the files
agree with the page and are withheld by the same rule.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from feedback_app.models import Survey
from feedback_app.scale import FACE_LABELS
from feedback_app.services.figures import artist_results
from feedback_app.services.figures.results import response_count
from feedback_app.services.reports import exports
from feedback_app.services.reports.export_method import method_sheet


def withheld(survey: Survey, min_group: int) -> bool:
    """Row-level answers of fewer than ``min_group`` people could single someone out."""
    return response_count(survey.id) < min_group


def csv_body(survey: Survey, language: str, dialect: exports.Dialect) -> bytes:
    """One row per response; questions headed by their text, choices by their labels."""
    questions, rows = artist_results.response_table(survey, language)
    return exports.csv_bytes([*artist_results.RESPONSE_COLUMNS, *questions], rows, dialect)


def _summary_rows(results: dict, language: str) -> list[list[object]]:
    """Per face question n, index and the count per answer; per choice option its count."""
    too_few = _("too few answers")
    rows: list[list[object]] = []
    for item in results["questions"]:
        question = item["question"]
        prompt = question.prompt(language)
        if item["suppressed"]:
            rows.append([prompt, question.key, None, None, item["n"], None, too_few])
        elif item["kind"] == "face":
            rows.append([prompt, question.key, None, None, item["n"], item["index"], None])
            rows += [
                [prompt, question.key, str(label), count, None, None, None]
                for label, count in zip(FACE_LABELS, item["distribution"], strict=True)
            ]
        else:
            labels = artist_results.option_labels(question, language)
            rows += [
                [prompt, question.key, labels.get(key, key), count, item["n"], None, None]
                for key, count in item["counts"].items()
            ]
    return rows


def workbook(survey: Survey, min_group: int, language: str, today: date) -> bytes:
    """The summary the results page shows, every response, and the method."""
    results = artist_results.survey_results(survey, min_group)
    summary = exports.Sheet(
        _("Summary"),
        [_("Question"), _("Question key"), _("Option"), _("Count")]
        + [_("Answers (n)"), _("Index 0–100"), _("Note")],
        _summary_rows(results, language),
    )
    questions, rows = artist_results.response_table(survey, language)
    responses = exports.Sheet(
        _("Responses"),
        [_("Response"), _("Hour"), _("Language"), _("Answer labels version"), *questions],
        rows,
    )
    scope = [
        (_("Event"), survey.title),
        (_("Date"), survey.event_date),
        (_("Project"), survey.project.name),
        (_("Responses"), results["responses"]),
    ]
    return exports.xlsx_bytes([summary, responses, method_sheet(min_group, today, scope)])
