"""The weekly digest: ``flask digest send``.

Officials get, per followed district, the last 7 days' index of each core indicator with
its change against the 90 days before, that change's significance in words (the intervals'
overlap, as in the alerts), n and the events held in the week. Artists get the week's
figures of their own projects' surveys. Every figure is the dashboard's (``windows``):
withheld below MIN_GROUP_SIZE answers. No comments and no single answers are ever sent.

One digest per person and ISO week (the outbox key), however often the command runs.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.links import public_url
from feedback_app.models import Account, Project, Role, Survey, Tier
from feedback_app.services.figures.district_filters import Filters
from feedback_app.services.figures.district_results import response_counts
from feedback_app.services.notifications import subscriptions
from feedback_app.services.notifications.mailer import queue
from feedback_app.services.notifications.unsubscribe import subscriber_message
from feedback_app.services.notifications.windows import (
    DIGEST_INDICATORS,
    Windows,
    change,
    compare,
    empty_figure,
    window_figures,
)


def _new_events(windows: Windows, **where) -> list[Survey]:
    """Resident events held in the week."""
    stmt = (
        select(Survey)
        .join(Project, Project.id == Survey.project_id)
        .where(
            Survey.tier == Tier.RESIDENT,
            Survey.is_demo.is_(False),
            Survey.event_date >= windows.recent_first,
            Survey.event_date <= windows.recent_last,
        )
        .order_by(Survey.event_date, Survey.id)
    )
    if "district_id" in where:
        stmt = stmt.where(Project.district_id == where["district_id"])
    if "project_ids" in where:
        stmt = stmt.where(Project.id.in_(where["project_ids"]))
    return list(db.session.scalars(stmt))


def _rows(recent: dict, baseline: dict, entity, min_group: int) -> list[dict]:
    """One row per indicator: this week, the 90 days before, the change and its words."""
    rows = []
    for indicator in DIGEST_INDICATORS:
        now = recent.get((entity, indicator)) or empty_figure(min_group)
        before = baseline.get((entity, indicator)) or empty_figure(min_group)
        rows.append(
            {
                "indicator": indicator,
                "recent": now,
                "baseline": before,
                "change": change(now, before),
                "verdict": compare(now, before),
            }
        )
    return rows


def official_digest(account: Account, windows: Windows, min_group: int) -> list[dict]:
    """The followed districts' sections of an official's digest."""
    recent, baseline = window_figures(windows, "district", min_group, DIGEST_INDICATORS)
    week = Filters(date_from=windows.recent_first, date_to=windows.recent_last)
    responses = response_counts(week, "district", min_group)
    followed = subscriptions.followed_district_ids(account)
    sections = []
    for district in subscriptions.all_districts():
        if district.id not in followed:
            continue
        sections.append(
            {
                "district": district,
                "responses": responses.get(district.id, 0),
                "rows": _rows(recent, baseline, district.id, min_group),
                "events": _new_events(windows, district_id=district.id),
                "dashboard_url": public_url(
                    "dashboard.index",
                    period="all",
                    district=district.slug,
                    **{
                        "from": windows.recent_first.isoformat(),
                        "to": windows.recent_last.isoformat(),
                    },
                ),
            }
        )
    return sections


def artist_digest(account: Account, windows: Windows, min_group: int) -> list[dict]:
    """One section per survey of the artist's projects answered in the week."""
    project_ids = [project.id for project in account.projects]
    sections = []
    for project_id in project_ids:
        recent, baseline = window_figures(
            windows, "survey", min_group, DIGEST_INDICATORS, project=project_id
        )
        week = Filters(
            date_from=windows.recent_first, date_to=windows.recent_last, project=project_id
        )
        responses = response_counts(week, "survey", min_group)
        answered = {survey_id for survey_id, _indicator in recent} | set(responses)
        for survey in db.session.scalars(
            select(Survey).where(Survey.id.in_(answered)).order_by(Survey.event_date)
        ):
            sections.append(
                {
                    "survey": survey,
                    "responses": responses.get(survey.id, 0),
                    "rows": _rows(recent, baseline, survey.id, min_group),
                    "results_url": public_url("studio.results", survey_id=survey.id),
                }
            )
    return sections


def _recipients() -> list[Account]:
    return list(
        db.session.scalars(
            select(Account)
            .where(Account.role.in_((Role.OFFICIAL, Role.ARTIST)), Account.active.is_(True))
            .where(Account.digest_mail.is_(True))
            .order_by(Account.id)
        )
    )


def queue_digests(today: date, min_group: int) -> int:
    """Queue this week's digest for every subscriber who has not had it; commits."""
    windows = Windows.ending(today)
    year, week, _day = today.isocalendar()
    queued = 0
    for account in _recipients():
        if account.role == Role.OFFICIAL:
            context = {"districts": official_digest(account, windows, min_group)}
        else:
            context = {
                "surveys": artist_digest(account, windows, min_group),
                "events": _new_events(
                    windows, project_ids=[project.id for project in account.projects]
                ),
            }
        message = subscriber_message(
            "digest",
            account,
            "digest",
            windows=windows,
            min_group=min_group,
            official=account.role == Role.OFFICIAL,
            districts=context.get("districts", []),
            surveys=context.get("surveys", []),
            events=context.get("events", []),
        )
        queued += int(queue(message, f"digest:{year}-W{week:02d}:{account.id}"))
    db.session.commit()
    return queued
