"""The printable report as a PDF: an HTML page with SVG charts, typeset by WeasyPrint.

WeasyPrint lays out HTML and CSS with real fonts through Pango, keeps every word as text
(selectable, searchable, read aloud) and writes a tagged PDF (PDF/UA-1) with the page's
language and title, so the report stays accessible without a second, print-only layout
language in the code. Charts are inline SVG and stay vectors in the PDF.
"""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import format_date
from flask_babel import gettext as _
from weasyprint import HTML

from feedback_app.question_bank import CORE_KEYS
from feedback_app.services.charts.dashboard_charts import FACE_NAMES, indicator_name, value_text
from feedback_app.services.linked_events.client import event_url
from feedback_app.services.reports import report_charts
from feedback_app.services.reports.report_content import Report

PDF_VARIANT = "pdf/ua-1"


def group_name(row: dict, lang: str) -> str:
    """A district in the report's language, or an event or project by its own name."""
    if "name_sv" in row and lang == "sv":
        return row["name_sv"]
    return row["name"]


def figure_text(cell: dict) -> str:
    """Index with its interval, or the words that say it is withheld."""
    if cell["n"] == 0:
        return _("no answers")
    return value_text(cell)  # the dashboard table's wording, so paper and screen agree


def title(report: Report) -> str:
    """The report's heading, by what it covers."""
    if report.kind == "event":
        return _("Event report")
    if report.kind == "project":
        return _("Project report")
    return _("Period report")


def scope_lines(report: Report, lang: str) -> list[tuple[str, str]]:
    """The cover's scope: period or dates, districts, project, event, respondents' tier."""
    lines = []
    filters = report.filters
    if report.kind == "period":
        if filters.period:
            lines.append((_("Grant period"), f"{filters.period}–{filters.period + 2}"))
        else:
            lines.append((_("Grant period"), _("All grant periods")))
    first, last = filters.day_range()
    if first or last:
        window = f"{format_date(first) if first else ''} – {format_date(last) if last else ''}"
        lines.append((_("Dates"), window))
    names = ", ".join(group_name(row, lang) for row in report.districts)
    lines.append((_("Districts"), names or _("No districts in this selection")))
    if report.project:
        project = report.project
        lines.append((_("Project"), f"{project.name} ({project.institution})"))
        lines.append((_("Grant period"), project.period.label))
    if report.survey:
        survey = report.survey
        place = f", {survey.venue}" if survey.venue else ""
        lines.append((_("Event"), f"{survey.title}, {format_date(survey.event_date)}{place}"))
        if survey.linked_event_id:
            base = current_app.config["LINKED_EVENTS_URL"]
            lines.append((_("Linked Events"), event_url(base, survey.linked_event_id)))
    return lines


def trend_charts(report: Report, lang: str) -> list[dict]:
    """One trend chart per core indicator, each with its figures as a table."""
    if not report.trend or not report.trend["buckets"]:
        return []
    buckets, series = report.trend["buckets"], report.trend["series"]
    charts = []
    for key in CORE_KEYS:
        chart = report_charts.trend(buckets, series, key)
        for line in chart["lines"]:
            line["label"] = group_name(
                {"name": line["name"], "name_sv": line["name_sv"] or line["name"]}, lang
            )
        # Quarters down, groups across: a period has up to twelve quarters, but few districts.
        table = [
            {"bucket": bucket, "cells": [figure_text(item["values"][key][i]) for item in series]}
            for i, bucket in enumerate(buckets)
        ]
        names = [group_name(item, lang) for item in series]
        charts.append({"key": key, "chart": chart, "table": table, "names": names})
    return charts


def context(report: Report, lang: str) -> dict:
    """Everything the report template needs, already worded in ``lang``."""
    names = [group_name(row, lang) for row in report.comparison]
    comparison = report_charts.comparison(report.comparison, names)
    return {
        "report": report,
        "lang": lang,
        "title": title(report),
        "scope": scope_lines(report, lang),
        "printed": format_date(report.printed, "long"),
        "indicators": list(CORE_KEYS),
        "indicator_names": {key: indicator_name(key) for key in CORE_KEYS},
        "face_names": [str(name) for name in FACE_NAMES],
        "comparison": comparison,
        "trends": trend_charts(report, lang),
        "group_name": group_name,
        "figure_text": figure_text,
        "short_date": lambda day: format_date(day, "short"),
    }


def render_pdf(report: Report, lang: str) -> bytes:
    """The report as PDF bytes, in the interface language of the current request."""
    html = render_template("reports/report.html", **context(report, lang))
    # No base URL: the page loads no file, image or font from anywhere (no network access).
    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)


def filename(report: Report) -> str:
    """A download name that says what the report covers."""
    if report.survey:
        return f"fiilis-report-{report.survey.code}.pdf"
    if report.project:
        return f"fiilis-report-project-{report.project.id}.pdf"
    return f"fiilis-report-{report.filters.period or 'all'}.pdf"
