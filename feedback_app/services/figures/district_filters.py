"""The officials' dashboard filters: grant period, year, quarter or dates, district, project, tier.

Parsed once from query arguments into a plain ``Filters`` value that the aggregation, the
charts, the CSV and the API all share, so every view of the numbers uses the same selection.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import District, GrantPeriod, Project, Tier

# A district slug as ``catalog_admin.slugify`` makes them: words of letters and digits
# joined by single hyphens (``kannelmaki-malminkartano``). The OpenAPI document's pattern
# for ``district`` is this one.
DISTRICT_SLUG = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*", re.ASCII)

TIERS = tuple(t.value for t in Tier)
FIRST_YEAR, LAST_YEAR = 1900, 2999
GRANULARITIES = ("quarter", "month")


@dataclass(frozen=True)
class Filters:
    """One selection of responses; ``None`` means "no restriction"."""

    period: int | None = None  # start year of the grant period
    year: int | None = None
    quarter: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    district: str | None = None  # district slug
    project: int | None = None
    tier: str = Tier.RESIDENT.value
    granularity: str = "quarter"

    def day_range(self) -> tuple[date | None, date | None]:
        """First and last day selected by dates, or by year and quarter."""
        if self.date_from or self.date_to:
            return self.date_from, self.date_to
        if self.year and self.quarter:
            return quarter_bounds(self.year, self.quarter)
        if self.year:
            return date(self.year, 1, 1), date(self.year, 12, 31)
        return None, None

    def query_args(self, lang: str | None = None) -> dict[str, str]:
        """The filters (and the page language) as query arguments, for links that keep them."""
        args = {
            "lang": lang,
            "period": self.period if self.period is not None else "all",
            "year": self.year,
            "quarter": self.quarter,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "district": self.district,
            "project": self.project,
            "tier": self.tier,
            "granularity": self.granularity,
        }
        return {key: str(value) for key, value in args.items() if value not in (None, "")}

    def narrowed(self, **changes) -> Filters:
        """A copy with some filters changed (used by drill-down links)."""
        return replace(self, **changes)


def quarter_of(day: date) -> tuple[int, int]:
    """``(year, quarter)`` of a day."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a calendar quarter."""
    start = date(year, 3 * quarter - 2, 1)
    following = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, following - timedelta(days=1)


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    """The quarter before ``(year, quarter)``."""
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def grant_periods() -> list[GrantPeriod]:
    """All grant periods, newest first."""
    return list(db.session.scalars(select(GrantPeriod).order_by(GrantPeriod.start_year.desc())))


def default_period(today: date) -> int | None:
    """The running grant period's start year, else the newest one."""
    periods = grant_periods()
    for period in periods:
        if period.start_year <= today.year <= period.end_year:
            return period.start_year
    return periods[0].start_year if periods else None


def _int(args: Mapping[str, str], name: str, low: int, high: int, problems: list[str]):
    """An integer argument within bounds, else ``None`` (and a note in ``problems``)."""
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    if raw.isascii() and raw.isdigit() and low <= int(raw) <= high:
        return int(raw)
    problems.append(name)
    return None


def _day(args: Mapping[str, str], name: str, problems: list[str]) -> date | None:
    """An ISO date argument between the years 1900 and 2999, else ``None``.

    Year 1 or 9999 parse as dates but no answer can lie there, and the quarter arithmetic
    around them would step outside the calendar (risk: a 500 from a typed URL).
    """
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        problems.append(name)
        return None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        problems.append(name)
        return None
    return day


def whole_months(first: date | None, last: date | None) -> tuple[date | None, date | None]:
    """A date window widened to whole calendar months.

    Figures are made of survey × month cells (district_results), so a window must select
    whole cells: two day-level windows a day apart would otherwise differ by the answers
    of that one day (risk: differencing complementary windows into a group under k).
    """
    if first:
        first = first.replace(day=1)
    if last:
        following = (
            date(last.year + 1, 1, 1)
            if last.month == 12
            else last.replace(month=last.month + 1, day=1)
        )
        last = following - timedelta(days=1)
    return first, last


def parse_filters(args: Mapping[str, str], today: date) -> tuple[Filters, list[str]]:
    """Read filters from query arguments; returns them and the names of invalid arguments.

    Invalid values are dropped rather than guessed, so a typo never shows other figures
    under a misleading heading; callers decide whether to refuse (API) or warn (pages).
    """
    problems: list[str] = []
    raw_period = args.get("period")
    if raw_period is None:
        period = default_period(today)
    elif raw_period.strip() in ("", "all"):
        period = None  # every grant period
    else:
        period = _int(args, "period", FIRST_YEAR, LAST_YEAR, problems)
    year = _int(args, "year", FIRST_YEAR, LAST_YEAR, problems)
    quarter = _int(args, "quarter", 1, 4, problems)
    if quarter and not year:
        year = today.year
    date_from, date_to = whole_months(_day(args, "from", problems), _day(args, "to", problems))
    # A "to" before "from" selects nothing, and the figures say so: no guessing.
    district = (args.get("district") or "").strip() or None
    if district and (len(district) > 60 or not DISTRICT_SLUG.fullmatch(district)):
        problems.append("district")
        district = None
    project = _int(args, "project", 1, 2**31 - 1, problems)
    tier = (args.get("tier") or Tier.RESIDENT.value).strip()
    if tier not in TIERS:
        problems.append("tier")
        tier = Tier.RESIDENT.value
    granularity = (args.get("granularity") or "quarter").strip()
    if granularity not in GRANULARITIES:
        problems.append("granularity")
        granularity = "quarter"
    filters = Filters(
        period, year, quarter, date_from, date_to, district, project, tier, granularity
    )
    return filters, problems


def known(filters: Filters, problems: list[str]) -> Filters:
    """The filters without a district or project that does not exist (named in ``problems``).

    ``district=nowhere`` is well formed but selects nothing; left in place it would show
    an empty page that looks like a district without answers.
    """
    if filters.district and not db.session.scalar(
        select(District.id).where(District.slug == filters.district)
    ):
        problems.append("district")
        filters = filters.narrowed(district=None)
    if filters.project and not db.session.get(Project, filters.project):
        problems.append("project")
        filters = filters.narrowed(project=None)
    return filters
