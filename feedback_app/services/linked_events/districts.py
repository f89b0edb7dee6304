"""Matching a Linked Events place's ``divisions`` to the Helsinki model's target districts.

A place lists the city's divisions it lies in (district, neighbourhood, sub-district), each
named in Finnish and Swedish. A target district matches when one of those names is its own
name, or one of the areas it is made of (``AREAS``): Kannelmäki-Malminkartano is two
neighbourhoods, while Meri-Rastila is one sub-district whose name only contains a hyphen.
"""

from __future__ import annotations

from collections.abc import Iterable

from feedback_app.models import District

# Casefolded district name → the divisions that lie in it, in Finnish and Swedish.
AREAS: dict[str, tuple[str, ...]] = {
    "kannelmäki-malminkartano": ("kannelmäki", "kannelbacka", "malminkartano", "malmgård"),
    "malmi": ("malmi", "malm", "ala-malmi", "nedre malm", "ylä-malmi", "övre malm"),
    "kontula": ("kontula", "gårdsbacka"),
    "meri-rastila": ("meri-rastila", "havsrastböle"),
}


def _names(district: District) -> set[str]:
    own = {district.name_fi.casefold(), district.name_sv.casefold()}
    return own | set(AREAS.get(district.name_fi.casefold(), ()))


def match_district(divisions: Iterable[str], districts: Iterable[District]) -> District | None:
    """The one target district the divisions name, or None (no place, no match, or two)."""
    found = {name.casefold() for name in divisions}
    matches = [d for d in districts if _names(d) & found]
    return matches[0] if len(matches) == 1 else None
