"""Drop alerts: ``flask alerts check`` tells officials when a district's residents felt
clearly less safe or less belonging in the last 7 days than in the 90 days before.

Rule, per district and per project, for safety and belonging: the recent 95 % interval's
upper bound lies below the baseline interval's lower bound, and the recent figure is shown
at all (at least MIN_GROUP_SIZE answers). Figures come from ``windows`` (the dashboard's
own computation).

One e-mail per drop: ``alert_states`` holds one row per (level, entity, indicator); a drop
is claimed by flipping ``dropped`` from false to true in one conditional UPDATE, so of two
checks running at once (two machines) only one claims it, and a drop already claimed is
not reported again until the figure has recovered (the intervals overlap again). The
e-mails are queued in the claim's transaction and delivered afterwards (``mailer``).
Each official gets one message per district and run, covering the district's drops and
those of its projects; artists get their own project's drops.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from feedback_app.clock import utc_now
from feedback_app.extensions import db
from feedback_app.links import public_url
from feedback_app.models import AlertState, District, Project, ResponseTally, Survey
from feedback_app.services.figures.district_cells import selected_responses
from feedback_app.services.figures.district_filters import Filters
from feedback_app.services.notifications import subscriptions
from feedback_app.services.notifications.mailer import queue
from feedback_app.services.notifications.unsubscribe import subscriber_message
from feedback_app.services.notifications.windows import (
    ALERT_INDICATORS,
    Windows,
    compare,
    empty_figure,
    window_figures,
)

LEVELS = ("district", "project")


@dataclass
class Drop:
    """A newly claimed drop of one indicator of one district or project."""

    level: str
    entity_id: int
    indicator: str
    episode: int
    recent: dict
    baseline: dict


@dataclass
class AlertRun:
    """What one check found and queued."""

    drops: list[Drop] = field(default_factory=list)
    recovered: int = 0
    queued: int = 0


def _state_insert():
    dialect = db.session.get_bind().dialect.name
    return pg_insert if dialect == "postgresql" else sqlite_insert


def _claim(level: str, entity_id: int, indicator: str) -> int | None:
    """Mark the figure as dropped; its episode number if this call did it, else None."""
    db.session.execute(
        _state_insert()(AlertState)
        .values(
            level=level,
            entity_id=entity_id,
            indicator=indicator,
            dropped=False,
            episode=0,
            changed_at=utc_now(),
        )
        .on_conflict_do_nothing(index_elements=["level", "entity_id", "indicator"])
    )
    where = (
        AlertState.level == level,
        AlertState.entity_id == entity_id,
        AlertState.indicator == indicator,
    )
    claimed = db.session.execute(
        update(AlertState)
        .where(*where, AlertState.dropped.is_(False))
        .values(dropped=True, episode=AlertState.episode + 1, changed_at=utc_now())
    )
    if claimed.rowcount != 1:
        return None
    return db.session.scalar(select(AlertState.episode).where(*where))


def _release(level: str, entity_id: int, indicator: str) -> bool:
    """The figure recovered: the next drop is reported again."""
    released = db.session.execute(
        update(AlertState)
        .where(
            AlertState.level == level,
            AlertState.entity_id == entity_id,
            AlertState.indicator == indicator,
            AlertState.dropped.is_(True),
        )
        .values(dropped=False, changed_at=utc_now())
    )
    return released.rowcount == 1


def find_drops(today: date, min_group: int) -> AlertRun:
    """Compare every district and project, claim new drops and release recovered ones."""
    windows = Windows.ending(today)
    judged = []
    for level in LEVELS:
        recent, baseline = window_figures(windows, level, min_group, ALERT_INDICATORS)
        for key in sorted(set(recent) | set(baseline)):
            now = recent.get(key) or empty_figure(min_group)
            before = baseline.get(key) or empty_figure(min_group)
            judged.append((level, *key, now, before, compare(now, before)))
    # The reads are over: end their transaction before claiming, so that on SQLite the
    # claims start a fresh write transaction (one writer at a time, waiting its turn).
    db.session.commit()
    run = AlertRun()
    for level, entity_id, indicator, now, before, verdict in judged:
        if verdict == "lower":
            episode = _claim(level, entity_id, indicator)
            if episode is not None:
                run.drops.append(Drop(level, entity_id, indicator, episode, now, before))
        elif verdict in ("steady", "higher") and _release(level, entity_id, indicator):
            run.recovered += 1
    return run


def _events(
    windows: Windows, min_group: int, district: District | None = None, project_id=None
) -> list[dict]:
    """The events whose answers in the recent window count in its figures (title, date,
    venue): the surveys whose response cells the window may use (``selected_responses``,
    so the one cell rule), so an event left out of the figure is not named beside it."""
    filters = Filters(
        date_from=windows.recent_first,
        date_to=windows.recent_last,
        district=district.slug if district else None,
        project=project_id,
    )
    rows = selected_responses(filters, [ResponseTally.survey_id], min_group)
    stmt = select(Survey).where(Survey.id.in_([row[0] for row in rows]))
    return [
        {"title": survey.title, "date": survey.event_date, "venue": survey.venue}
        for survey in db.session.scalars(stmt.order_by(Survey.event_date, Survey.id))
    ]


def _dashboard_link(windows: Windows, district: District, project_id: int | None = None) -> str:
    """The dashboard filtered to the district (and project) and the recent days."""
    args = {
        "period": "all",
        "district": district.slug,
        "from": windows.recent_first.isoformat(),
        "to": windows.recent_last.isoformat(),
    }
    if project_id:
        args["project"] = project_id
    return public_url("dashboard.index", **args)


def _items(drops: list[Drop], windows: Windows, min_group: int) -> list[dict]:
    """Template rows for the drops: place, indicator, both figures, events."""
    rows = []
    for drop in drops:
        if drop.level == "district":
            place = db.session.get(District, drop.entity_id)
            project, events = None, {"district": place}
        else:
            project = db.session.get(Project, drop.entity_id)
            place, events = project.district, {"project_id": project.id}
        rows.append(
            {
                "district": place,
                "project": project,
                "indicator": drop.indicator,
                "recent": drop.recent,
                "baseline": drop.baseline,
                "events": _events(windows, min_group, **events),
            }
        )
    return rows


def _key(account_id: int, drops: list[Drop]) -> str:
    """The outbox key of one message: the account and the exact drops it reports."""
    names = sorted(f"{d.level}:{d.entity_id}:{d.indicator}:{d.episode}" for d in drops)
    digest = hashlib.sha256("|".join(names).encode()).hexdigest()[:40]
    return f"alert:{account_id}:{digest}"


def queue_alerts(run: AlertRun, today: date, min_group: int) -> int:
    """Queue the messages for the run's drops (in the claims' transaction)."""
    windows = Windows.ending(today)
    by_district: dict[int, list[Drop]] = defaultdict(list)
    by_project: dict[int, list[Drop]] = defaultdict(list)
    for drop in run.drops:
        if drop.level == "district":
            by_district[drop.entity_id].append(drop)
        else:
            project = db.session.get(Project, drop.entity_id)
            by_district[project.district_id].append(drop)
            by_project[project.id].append(drop)
    queued = 0
    for district_id, drops in by_district.items():
        district = db.session.get(District, district_id)
        for official in subscriptions.officials_following(district_id, "alerts"):
            queued += _queue_one(official, drops, district, None, windows, min_group)
    for project_id, drops in by_project.items():
        project = db.session.get(Project, project_id)
        for artist in subscriptions.artists_of(project_id, "alerts"):
            queued += _queue_one(artist, drops, project.district, project, windows, min_group)
    return queued


def _queue_one(account, drops, district, project, windows, min_group) -> int:
    message = subscriber_message(
        "alert",
        account,
        "alerts",
        district=district,
        project=project,
        items=_items(drops, windows, min_group),
        windows=windows,
        min_group=min_group,
        dashboard_url=_dashboard_link(windows, district, project.id if project else None),
    )
    return int(queue(message, _key(account.id, drops)))


def check_alerts(today: date, min_group: int) -> AlertRun:
    """Find new drops, queue one message per recipient, and commit it all at once."""
    run = find_drops(today, min_group)
    run.queued = queue_alerts(run, today, min_group)
    db.session.commit()
    return run
