"""What a printable report holds, gathered from the figure services the screens use.

Nothing here computes an index, an interval or a suppression of its own: the report calls
``district_results`` and ``district_reports`` with the same filters as the dashboard, so a
rule changed there (a new window, a new threshold) changes the printed figures too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Answer, District, Project, Question, Survey
from feedback_app.question_bank import COMMENT_KEY, CORE_KEYS
from feedback_app.services.figures import district_reports, district_results
from feedback_app.services.figures.district_filters import Filters

COMMENT_LIMIT = 12
# A few voices from several events rather than a dozen from the newest one.
COMMENTS_PER_EVENT = 3
# More districts than any grant period has targets: a longer list is a malformed link.
MAX_DISTRICTS = 20


class UnknownDistricts(LookupError):
    """Some district slugs in the request name no district; ``slugs`` lists them."""

    def __init__(self, slugs: list[str]):
        super().__init__(", ".join(slugs))
        self.slugs = slugs


@dataclass
class Report:
    """One report's content: scope, figures per group, trends, events and comments."""

    kind: str  # "period", "project" or "event"
    filters: Filters
    min_group: int
    printed: date
    districts: list[dict] = field(default_factory=list)  # name, name_sv
    project: Project | None = None
    survey: Survey | None = None
    headline: list[dict] = field(default_factory=list)  # rows: name, responses, indicators
    comparison: list[dict] = field(default_factory=list)
    trend: dict = field(default_factory=dict)
    events: list[dict] = field(default_factory=list)
    comments: list[dict] = field(default_factory=list)
    indicators: tuple[str, ...] = CORE_KEYS


def _known_districts(slugs: list[str]) -> list[District]:
    """The districts named by ``slugs``, in the order given; unknown slugs raise."""
    stmt = select(District).where(District.slug.in_(slugs))
    found = {district.slug: district for district in db.session.scalars(stmt)}
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise UnknownDistricts(missing)
    return [found[slug] for slug in slugs]


def _quarters_between(first: str, last: str) -> list[str]:
    """Every ``YYYY-Qn`` from ``first`` to ``last``, so an empty quarter shows as a gap."""
    year, quarter = int(first[:4]), int(first[-1])
    end = (int(last[:4]), int(last[-1]))
    buckets = []
    while (year, quarter) <= end:
        buckets.append(f"{year}-Q{quarter}")
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return buckets


def quarterly_trend(filters: Filters, groups: list[dict], min_group: int) -> dict:
    """Figures per quarter for each group (``id``, names), with every quarter in between."""
    cells = district_results.trend_cells(filters.narrowed(granularity="quarter"), min_group)
    present = sorted({bucket for (_g, bucket, _k) in cells})
    buckets = _quarters_between(present[0], present[-1]) if present else []
    series = []
    for group in groups:
        values = {
            key: [
                district_results.figure(cells.get((group["id"], b, key), [0] * 5), min_group)
                for b in buckets
            ]
            for key in CORE_KEYS
        }
        series.append({**group, "values": values})
    return {"buckets": buckets, "series": series}


def approved_comments(events: list[dict], min_group: int) -> list[dict]:
    """Shown (not hidden) comments from events with at least ``min_group`` responses.

    A comment from a small event could be matched to the few people who were there, so
    the same threshold that withholds a figure withholds its comments.
    """
    eligible = {row["id"]: row["name"] for row in events if row["responses"] >= min_group}
    if not eligible:
        return []
    # Comment questions first (a small table), then their answers through the answers'
    # question index: joining answers to responses would scan every answer of the period.
    questions = dict(
        db.session.execute(
            select(Question.id, Question.survey_id).where(
                Question.survey_id.in_(eligible), Question.key == COMMENT_KEY
            )
        ).all()
    )
    if not questions:
        return []
    rows = db.session.execute(
        select(Answer.question_id, Answer.text)
        .where(
            Answer.question_id.in_(questions),
            Answer.text.is_not(None),
            Answer.hidden.is_(False),
        )
        # Ids grow with arrival, so the highest ids are the newest comments.
        .order_by(Answer.id.desc())
        .limit(COMMENT_LIMIT * COMMENTS_PER_EVENT * 4)
    )
    chosen, per_event = [], Counter()
    for question_id, text in rows:
        survey_id = questions[question_id]
        if per_event[survey_id] < COMMENTS_PER_EVENT and len(chosen) < COMMENT_LIMIT:
            per_event[survey_id] += 1
            chosen.append({"event": eligible[survey_id], "text": text})
    # Printed by event and text, never in the order they arrived: an order of arrival would
    # let a reader match a comment to the person seen answering last.
    return sorted(chosen, key=lambda comment: (comment["event"], comment["text"]))


def period_report(filters: Filters, slugs: list[str], min_group: int, today: date) -> Report:
    """A grant period (or the dashboard's window) for the chosen districts, or all targets."""
    chosen = _known_districts(slugs) if slugs else []
    # Several districts: the summary of all targets, narrowed to the chosen rows below.
    scope = filters.narrowed(district=chosen[0].slug if len(chosen) == 1 else None)
    summary = district_results.district_summary(scope, min_group, today)
    wanted = {d.slug for d in chosen}
    rows = [row for row in summary["districts"] if not wanted or row["slug"] in wanted]
    outside = sorted(wanted - {row["slug"] for row in rows})
    if outside:
        raise UnknownDistricts(outside)
    ids = {d.slug: d.id for d in district_results.target_districts(scope)}
    groups = [{"id": ids[r["slug"]], "name": r["name"], "name_sv": r["name_sv"]} for r in rows]
    events = with_places(district_reports.breakdown(scope, "survey", min_group)["rows"])
    events = [row for row in events if not wanted or row["place"]["slug"] in wanted]
    return Report(
        kind="period",
        filters=filters,
        min_group=min_group,
        printed=today,
        districts=rows,
        headline=rows,
        comparison=rows,
        trend=quarterly_trend(scope, groups, min_group),
        events=events,
        comments=approved_comments(events, min_group),
    )


def with_places(events: list[dict]) -> list[dict]:
    """Event rows with their project's name and district (slug and names), in one query."""
    rows = db.session.execute(
        select(Survey.id, Project.name, District.slug, District.name_fi, District.name_sv)
        .join(Project, Project.id == Survey.project_id)
        .join(District, District.id == Project.district_id)
        .where(Survey.id.in_([row["id"] for row in events]))
    )
    places = {
        sid: (project, {"slug": slug, "name": fi, "name_sv": sv})
        for sid, project, slug, fi, sv in rows
    }
    for row in events:
        row["project"], row["place"] = places[row["id"]]
    return events


def project_report(project: Project, filters: Filters, min_group: int, today: date) -> Report:
    """One project: its figures, its events side by side, trends and comments."""
    scope = filters.narrowed(project=project.id, district=None)
    headline = district_reports.breakdown(scope, "project", min_group)["rows"]
    events = with_places(district_reports.breakdown(scope, "survey", min_group)["rows"])
    district = {"id": project.district_id, "name": project.district.name_fi}
    district["name_sv"] = project.district.name_sv
    return Report(
        kind="project",
        filters=scope,
        min_group=min_group,
        printed=today,
        districts=[district],
        project=project,
        headline=headline,
        comparison=events,
        trend=quarterly_trend(scope, [district], min_group),
        events=events,
        comments=approved_comments(events, min_group),
    )


def event_report(survey: Survey, min_group: int, today: date) -> Report:
    """One event (survey): its figures, answer count and comments."""
    project = survey.project
    scope = Filters(period=None, project=project.id, tier=survey.tier.value)
    rows = district_reports.breakdown(scope, "survey", min_group)["rows"]
    events = with_places([row for row in rows if row["id"] == survey.id])
    district = {"name": project.district.name_fi, "name_sv": project.district.name_sv}
    return Report(
        kind="event",
        filters=scope,
        min_group=min_group,
        printed=today,
        districts=[district],
        project=project,
        survey=survey,
        headline=events,
        events=events,
        comments=approved_comments(events, min_group),
    )
