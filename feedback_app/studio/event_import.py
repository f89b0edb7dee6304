"""Starting a survey from a Linked Events event: search, pick, and a pre-filled new form.

``?le_text=…&le_date=…`` on the new-survey page searches; ``?event=<id>`` fills the form from
that event. Both go through ``services.linked_events`` with the configured time budget, and
either way the artist can still type the event in by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app, request

from feedback_app.models import Project
from feedback_app.services.linked_events import client
from feedback_app.services.linked_events.districts import match_district


@dataclass
class EventSearch:
    """What the search box shows: the query, the events found and what went wrong."""

    text: str = ""
    day: date | None = None
    events: list[client.LinkedEvent] = field(default_factory=list)
    searched: bool = False
    complete: bool = True
    unavailable: bool = False
    not_found: bool = False
    picked: client.LinkedEvent | None = None
    district_name: str = ""


def _settings() -> tuple[str, float]:
    return current_app.config["LINKED_EVENTS_URL"], current_app.config["LINKED_EVENTS_TIMEOUT"]


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def from_request() -> EventSearch:
    """Run the search or read the picked event named in the query string."""
    base, budget = _settings()
    found = EventSearch(
        text=request.args.get("le_text", "").strip()[:100],
        day=_day(request.args.get("le_date", "")),
    )
    event_id = request.args.get("event", "")
    try:
        if event_id:
            found.picked = client.get_event(base, event_id, budget)
        elif found.text or found.day:
            found.searched = True
            result = client.search(base, found.text, found.day, budget)
            found.events, found.complete = result.events, result.complete
    except client.LinkedEventsUnavailable:
        found.unavailable = True
    except client.EventNotFound:
        found.not_found = True
    return found


def fill_form(form, found: EventSearch, projects: list[Project], language: str) -> None:
    """Put the picked event into the new-survey form: titles, date, venue, project, id."""
    event = found.picked
    if event is None:
        return
    form.title.data = event.title
    for code in ("sv", "en"):
        form[f"title_{code}"].data = event.titles.get(code, "")
    if event.day:
        form.event_date.data = event.day
    form.venue.data = event.venue
    form.linked_event.data = event.id
    district = match_district(event.divisions, {p.district for p in projects})
    if district is not None:
        found.district_name = district.name(language)
        form.project.data = next(p.id for p in projects if p.district_id == district.id)


def event_link(event_id: str) -> str:
    """The event's address in Linked Events, for results and reports."""
    return client.event_url(current_app.config["LINKED_EVENTS_URL"], event_id)
