"""plotly.js as shipped inside the installed ``plotly`` package: bytes, version, style ids."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources


def plotly_version() -> str:
    """The version of plotly.js shipped inside the installed ``plotly`` package."""
    from plotly.offline import get_plotlyjs_version

    return get_plotlyjs_version()


@cache
def plotly_source() -> bytes:
    """plotly.min.js as shipped in the installed ``plotly`` package (read once per process)."""
    return resources.files("plotly").joinpath("package_data/plotly.min.js").read_bytes()


@cache
def plotly_style_guards() -> tuple[str, ...]:
    """Ids of the <style> elements plotly.js adds on load unless an element with the id exists.

    Under our CSP those inline styles would be blocked (a console error, and styles for map
    traces we never draw), so the page places an empty, inert <template> with each id
    instead of relaxing ``style-src``.
    """
    pattern = (
        rb'getElementById\("([0-9a-f]{16,64})"\)\)\{var \w+=document\.createElement\("style"\)'
    )
    return tuple(sorted({m.decode() for m in re.findall(pattern, plotly_source())}))
