"""Searching and reading events in the Linked Events API (``LINKED_EVENTS_URL``).

Shapes read (Linked Events v1): a list is ``{"meta": {"count", "next", "previous"},
"data": [event, ...]}``; an event has ``id``, ``name`` ({language: text or null}),
``start_time`` (ISO 8601 with offset, may be null) and ``location``: null, a reference
``{"@id": ".../place/<id>/"}``, or with ``include=location`` the place itself with ``name``
and ``divisions`` ([{"type", "ocd_id", "name": {language: text}}, ...]).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import requests

HELSINKI = ZoneInfo("Europe/Helsinki")
TITLE_LANGUAGES = ("fi", "sv", "en")
PAGE_SIZE = 20
MAX_PAGES = 3
# "helsinki:agf3tsnbzu", "kulke:64821", "linkedevents:agjv…": a data source, a colon, a key.
EVENT_ID = re.compile(r"^[A-Za-z0-9_.-]{1,40}:[A-Za-z0-9_.-]{1,60}$")


class LinkedEventsUnavailable(Exception):
    """The service did not answer in time, answered with an error, or sent no valid JSON."""


class EventNotFound(LookupError):
    """No event with that id in Linked Events (or the id cannot be one)."""


@dataclass(frozen=True)
class LinkedEvent:
    """One event as the studio uses it; missing parts are empty, never guessed."""

    id: str
    titles: dict[str, str]
    day: date | None
    venue: str
    divisions: tuple[str, ...] = field(default=())

    @property
    def title(self) -> str:
        """The Finnish title, else the Swedish or English one."""
        return next((self.titles[code] for code in TITLE_LANGUAGES if code in self.titles), "")


@dataclass(frozen=True)
class SearchResult:
    """Events found; ``complete`` is False when later pages could not be read in time."""

    events: list[LinkedEvent]
    complete: bool = True


def is_event_id(value: str) -> bool:
    """Whether ``value`` has the shape of a Linked Events id."""
    return bool(EVENT_ID.match(value or ""))


def event_url(base_url: str, event_id: str) -> str:
    """The event's own address in the API: the link shown in results and reports."""
    return urljoin(_base(base_url), f"event/{event_id}/")


def search(base_url: str, text: str, day: date | None, budget: float) -> SearchResult:
    """Events matching ``text`` (and starting on ``day``), at most ``MAX_PAGES`` pages.

    The whole search, every page included, ends within ``budget`` seconds.
    """
    deadline = time.monotonic() + budget
    params = {"text": text, "include": "location", "page_size": PAGE_SIZE, "sort": "start_time"}
    if day is not None:
        params |= {"start": day.isoformat(), "end": day.isoformat()}
    url: str | None = urljoin(_base(base_url), "event/")
    events: list[LinkedEvent] = []
    for page in range(MAX_PAGES):
        try:
            body = _get_json(url, params if page == 0 else None, deadline)
        except LinkedEventsUnavailable:
            if page == 0:
                raise
            return SearchResult(events, complete=False)
        events.extend(_event(item) for item in _list(body.get("data")) if _usable(item))
        url = _next_page(base_url, body)
        if url is None:
            return SearchResult(events)
    return SearchResult(events, complete=False)


def get_event(base_url: str, event_id: str, budget: float) -> LinkedEvent:
    """One event with its place, read within ``budget`` seconds."""
    if not is_event_id(event_id):
        raise EventNotFound(event_id)
    deadline = time.monotonic() + budget
    url = event_url(base_url, event_id)
    body = _get_json(url, {"include": "location"}, deadline, missing_ok=True)
    if body is None or not _usable(body):
        raise EventNotFound(event_id)
    event = _event(body)
    location = body.get("location")
    if isinstance(location, dict) and "name" not in location and location.get("@id"):
        # Not expanded: read the place itself, if it is one of this service's own.
        place_url = location["@id"]
        if _same_service(base_url, place_url):
            try:
                place = _get_json(place_url, None, deadline, missing_ok=True)
            except LinkedEventsUnavailable:
                place = None
            if isinstance(place, dict):
                event = _event({**body, "location": place})
    return event


def _base(base_url: str) -> str:
    return base_url if base_url.endswith("/") else base_url + "/"


def _same_service(base_url: str, url: str) -> bool:
    """Only follow links that stay on the configured service (no request elsewhere)."""
    base, other = urlsplit(_base(base_url)), urlsplit(url)
    return (base.scheme, base.netloc) == (other.scheme, other.netloc) and other.path.startswith(
        base.path
    )


def _next_page(base_url: str, body: dict) -> str | None:
    meta = body.get("meta")
    link = meta.get("next") if isinstance(meta, dict) else None
    if isinstance(link, str) and _same_service(base_url, link):
        return link
    return None


def _get_json(url: str, params: dict | None, deadline: float, missing_ok: bool = False):
    """GET ``url`` as JSON before ``deadline``; 404 gives None when ``missing_ok``."""
    remaining = deadline - time.monotonic()
    if remaining <= 0.05:
        raise LinkedEventsUnavailable("no time left")
    started = time.monotonic()
    try:
        with requests.get(
            url,
            params=params,
            timeout=(min(remaining, 3.0), remaining),
            headers={"Accept": "application/json"},
            stream=True,
        ) as response:
            if missing_ok and response.status_code == 404:
                return None
            if response.status_code != 200:
                raise LinkedEventsUnavailable(f"HTTP {response.status_code}")
            # The read timeout counts per read; the deadline bounds a slow trickle as well.
            chunks = []
            for chunk in response.iter_content(16384):
                chunks.append(chunk)
                if time.monotonic() - started > remaining:
                    raise LinkedEventsUnavailable("too slow")
            body = b"".join(chunks)
    except requests.RequestException as error:
        raise LinkedEventsUnavailable(type(error).__name__) from error
    try:
        data = json.loads(body)
    except ValueError as error:
        raise LinkedEventsUnavailable("invalid JSON") from error
    if not isinstance(data, dict):
        raise LinkedEventsUnavailable("unexpected JSON")
    return data


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _usable(item) -> bool:
    return isinstance(item, dict) and isinstance(item.get("id"), str) and is_event_id(item["id"])


def _texts(value) -> dict[str, str]:
    """A Linked Events multilingual field, keeping only non-empty fi/sv/en texts."""
    if not isinstance(value, dict):
        return {}
    return {
        code: " ".join(value[code].split())[:200]
        for code in TITLE_LANGUAGES
        if isinstance(value.get(code), str) and value[code].strip()
    }


def _day(value) -> date | None:
    """The Helsinki date of an ISO 8601 start time; None when missing or unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(HELSINKI).date() if moment.tzinfo else moment.date()


def _event(item: dict) -> LinkedEvent:
    place = item.get("location")
    venue, divisions = "", ()
    if isinstance(place, dict):
        names = _texts(place.get("name"))
        venue = next((names[code] for code in TITLE_LANGUAGES if code in names), "")
        divisions = tuple(
            text
            for division in _list(place.get("divisions"))
            if isinstance(division, dict)
            for text in _texts(division.get("name")).values()
        )
    return LinkedEvent(
        id=item["id"],
        titles=_texts(item.get("name")),
        day=_day(item.get("start_time")),
        venue=venue,
        divisions=divisions,
    )
