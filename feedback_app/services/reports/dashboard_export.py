"""The dashboard's downloads: the CSV (in either dialect) and the XLSX workbook.

Nothing here computes an index, an interval or a suppression of its own: every figure comes
from ``district_results`` and ``district_reports`` with the dashboard's filters, so the files
agree with the screen, and a group the screen withholds is withheld in the files too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from feedback_app.models import Tier
from feedback_app.services.charts.chart_style import indicator_name
from feedback_app.services.figures import district_reports, district_results
from feedback_app.services.figures.district_filters import Filters
from feedback_app.services.reports import exports, report_content
from feedback_app.services.reports.export_method import method_sheet

CSV_COLUMNS = (
    "level",
    "district",
    "district_sv",
    "project",
    "event",
    "event_date",
    "grant_period",
    "tier",
    "period",
    "indicator",
    "n",
    "index",
    "ci95_low",
    "ci95_high",
    "suppressed",
    "scale_version",
)
SOFT_HYPHEN = "\u00ad"
# The breakdown levels of district_results, and the word the files use for each.
LEVELS = {"district": "district", "project": "project", "survey": "event"}


@dataclass
class Contents:
    """Everything one download holds, gathered once from the figure services."""

    filters: Filters
    min_group: int
    summary: dict
    projects: dict
    events: dict
    periods: list[dict]
    scale_version: int | None


def period_rows(
    filters: Filters, min_group: int, places: dict[str, dict]
) -> tuple[list[dict], int | None]:
    """One row per district, project and event × month or quarter × indicator.

    ``places`` maps each level to ``{id: names}``. Every row counts answers of one wording,
    named in ``scale_version`` (feedback_app.scale).
    """
    rows, newest = [], None
    for level, word in LEVELS.items():
        cells, version, _earlier = district_results.trend_cells_of_one_scale(
            filters, min_group, None, level
        )
        newest = newest or version
        keys = district_results.indicator_keys(cells)
        buckets = sorted({bucket for (_g, bucket, _k) in cells})
        for group_id, names in places[level].items():
            for bucket in buckets:
                for key in keys:
                    counts = cells.get((group_id, bucket, key))
                    if counts:
                        value = district_results.figure(counts, min_group)
                        rows.append(
                            {**names, "level": word, "period": bucket, "indicator": key}
                            | {"figure": value, "scale_version": version}
                        )
    return rows, newest


def gather(filters: Filters, min_group: int, today: date) -> Contents:
    """The summary, the project and event breakdowns and the rows per period, for ``filters``."""
    summary = district_results.district_summary(filters, min_group, today)
    projects = district_reports.breakdown(filters, "project", min_group, None)
    events = district_reports.breakdown(filters, "survey", min_group, None)
    report_content.with_places(events["rows"])
    ids = {d.slug: d.id for d in district_results.target_districts(filters)}
    places = {
        "district": {
            ids[row["slug"]]: {"district": row["name"], "district_sv": row["name_sv"]}
            for row in summary["districts"]
        },
        "project": {
            row["id"]: {
                "district": row["district"],
                "district_sv": row["district_sv"],
                "project": row["name"],
            }
            for row in projects["rows"]
        },
        "survey": {
            row["id"]: {
                "district": row["place"]["name"],
                "district_sv": row["place"]["name_sv"],
                "project": row["project"],
                "event": row["name"],
                "event_date": row["event_date"],
            }
            for row in events["rows"]
        },
    }
    periods, version = period_rows(filters, min_group, places)
    return Contents(filters, min_group, summary, projects, events, periods, version)


def grant_period_label(filters: Filters) -> str:
    """``2025–2027``, or empty for every grant period."""
    return f"{filters.period}–{filters.period + 2}" if filters.period else ""


def csv_body(contents: Contents, dialect: exports.Dialect) -> bytes:
    """The CSV: one row per group × period × indicator, columns as in the README."""
    too_few = _("too few answers")
    period = grant_period_label(contents.filters)
    lines = []
    for row in contents.periods:
        value = row["figure"]
        low, high = value["ci95"] or (None, None)
        lines.append(
            (
                row["level"],
                row["district"],
                row["district_sv"],
                row.get("project", ""),
                row.get("event", ""),
                row.get("event_date"),
                period,
                contents.filters.tier,
                row["period"],
                row["indicator"],
                value["n"],
                too_few if value["suppressed"] else value["index"],
                low,
                high,
                value["suppressed"],
                row["scale_version"],
            )
        )
    return exports.csv_bytes(CSV_COLUMNS, lines, dialect)


def _district_name(names: dict, lang: str) -> str:
    return names["district_sv"] if lang == "sv" and names.get("district_sv") else names["district"]


def _figure_columns() -> list[str]:
    return [
        _("Indicator"),
        _("Indicator key"),
        _("Answers (n)"),
        _("Index 0–100"),
        _("95 % CI, lower"),
        _("95 % CI, upper"),
    ]


def _figure_cells(key: str, value: dict) -> list[object]:
    """Indicator, n, index and interval as numbers; blanks where the figure is withheld."""
    low, high = value["ci95"] or (None, None)
    # The screen's names carry soft hyphens for narrow cards; a spreadsheet cell wants none.
    name = indicator_name(key).replace(SOFT_HYPHEN, "")
    return [name, key, value["n"], value["index"], low, high]


def _note(value: dict) -> str | None:
    """Why a figure is empty, in the screen's words: no answers, or too few to show."""
    if value["n"] == 0:
        return _("no answers")
    return _("too few answers") if value["suppressed"] else None


def _level_word(word: str) -> str:
    return {"district": _("District"), "project": _("Project"), "event": _("Event")}[word]


def workbook(contents: Contents, lang: str, today: date) -> bytes:
    """The XLSX workbook: districts, projects, events, periods and the method, in ``lang``."""
    note = _("Note")
    districts = exports.Sheet(
        _("Districts"),
        [_("District"), _("Responses"), *_figure_columns()]
        + [_("Change from previous quarter"), note],
        [
            [_district_name({"district": r["name"], "district_sv": r["name_sv"]}, lang)]
            + [r["responses"], *_figure_cells(key, value), value["change"], _note(value)]
            for r in contents.summary["districts"]
            for key, value in r["indicators"].items()
        ],
    )
    projects = exports.Sheet(
        _("Projects"),
        [_("District"), _("Project"), _("Institution"), _("Responses"), *_figure_columns(), note],
        [
            [_district_name(r, lang), r["name"], r["institution"], r["responses"]]
            + [*_figure_cells(key, value), _note(value)]
            for r in contents.projects["rows"]
            for key, value in r["indicators"].items()
        ],
    )
    events = exports.Sheet(
        _("Events"),
        [_("District"), _("Project"), _("Event"), _("Date"), _("Venue"), _("Responses")]
        + [*_figure_columns(), note],
        [
            [
                _district_name(
                    {"district": r["place"]["name"], "district_sv": r["place"]["name_sv"]}, lang
                ),
                r["project"],
                r["name"],
                r["event_date"],
                r["venue"],
                r["responses"],
            ]
            + [*_figure_cells(key, value), _note(value)]
            for r in contents.events["rows"]
            for key, value in r["indicators"].items()
        ],
    )
    by_month = contents.filters.granularity == "month"
    periods = exports.Sheet(
        _("By month") if by_month else _("By quarter"),
        [_("Level"), _("District"), _("Project"), _("Event"), _("Date"), _("Period")]
        + [*_figure_columns(), note, _("Answer labels version")],
        [
            [
                _level_word(r["level"]),
                _district_name(r, lang),
                r.get("project"),
                r.get("event"),
                r.get("event_date"),
                r["period"],
            ]
            + [*_figure_cells(r["indicator"], r["figure"]), _note(r["figure"]), r["scale_version"]]
            for r in contents.periods
        ],
    )
    method = method_sheet(contents.min_group, today, scope_lines(contents, lang))
    return exports.xlsx_bytes([districts, projects, events, periods, method])


def tier_word(tier: str) -> str:
    """The respondents' tier as the dashboard names it."""
    return {
        Tier.RESIDENT.value: _("Residents"),
        Tier.AREA_ACTOR.value: _("Area actors"),
    }.get(tier, _("Art institutions"))


def scope_lines(contents: Contents, lang: str) -> list[tuple[str, object]]:
    """The filters the figures were made with, for the method sheet."""
    filters = contents.filters
    lines: list[tuple[str, object]] = [
        (_("Grant period"), grant_period_label(filters) or _("All grant periods"))
    ]
    first, last = filters.day_range()
    if first or last:
        window = f"{format_date(first) if first else ''} – {format_date(last) if last else ''}"
        lines.append((_("Dates"), window))
    names = [
        row["name_sv"] if lang == "sv" else row["name"] for row in contents.summary["districts"]
    ]
    lines.append((_("Districts"), ", ".join(names) or _("No districts in this selection")))
    if filters.project:
        lines += [(_("Project"), row["name"]) for row in contents.projects["rows"]]
    lines.append((_("Respondents"), tier_word(filters.tier)))
    change = f"{contents.summary['previous_quarter']} → {contents.summary['quarter']}"
    lines.append((_("Change from previous quarter"), change))
    if contents.scale_version:
        lines.append((_("Answer labels version"), contents.scale_version))
    return lines


def filename(filters: Filters, extension: str) -> str:
    """``fiilis-districts-2025.xlsx``, by the grant period."""
    return f"fiilis-districts-{filters.period or 'all'}.{extension}"
