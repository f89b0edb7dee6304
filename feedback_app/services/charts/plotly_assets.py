"""plotly.js for the dashboard: which bundle, its compressed forms, its URL name, style ids.

The dashboard draws bar and scatter traces only, so it loads plotly.js's official "basic"
partial bundle (``plotly.js-basic-dist-min``: bar, pie, scatter; about a quarter of the full
library). ``make assets`` installs it with ``npm ci`` from ``frontend/package-lock.json`` into
``vendor/plotly/`` (ignored by git: no third-party code in the repository) and writes its
gzip and brotli forms next to it (``python -m feedback_app.services.charts.plotly_assets``).
Without that step the full plotly.min.js shipped in the Python ``plotly`` package is served,
gzip-compressed once per process.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import sys
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

BUNDLE_FILE = "plotly-basic.min.js"
ENCODINGS = ("br", "gzip")


@dataclass(frozen=True)
class PlotlyBundle:
    """One plotly.js file and its compressed forms; ``name`` changes with its content."""

    name: str
    raw: bytes
    encoded: dict[str, bytes]


def plotly_version() -> str:
    """The version of plotly.js shipped inside the installed ``plotly`` package."""
    from plotly.offline import get_plotlyjs_version

    return get_plotlyjs_version()


def package_source() -> bytes:
    """plotly.min.js (every trace type) as shipped in the installed ``plotly`` package."""
    return resources.files("plotly").joinpath("package_data/plotly.min.js").read_bytes()


@cache
def plotly_bundle(directory: str) -> PlotlyBundle:
    """The partial bundle installed in ``directory`` with its .br and .gz files, else the
    Python package's full file with a gzip form made here (read once per process)."""
    path = Path(directory) / BUNDLE_FILE
    if path.is_file():
        raw, kind = path.read_bytes(), "basic"
        encoded = {
            encoding: Path(f"{path}.{suffix}").read_bytes()
            for encoding, suffix in (("br", "br"), ("gzip", "gz"))
            if Path(f"{path}.{suffix}").is_file()
        }
    else:
        raw, kind = package_source(), "full"
        encoded = {}
    encoded.setdefault("gzip", gzip.compress(raw, compresslevel=9, mtime=0))
    digest = hashlib.sha256(raw).hexdigest()[:12]
    return PlotlyBundle(f"{kind}-{plotly_version()}-{digest}", raw, encoded)


def plotly_source(directory: str) -> bytes:
    """The plotly.js the dashboard loads, uncompressed."""
    return plotly_bundle(directory).raw


def best_encoding(bundle: PlotlyBundle, accepted) -> str | None:
    """The smallest stored form the browser accepts (brotli, then gzip), or ``None``.

    ``accepted`` is werkzeug's ``request.accept_encodings``; its quality is 0 for a coding the
    browser refused or did not name.
    """
    for encoding in ENCODINGS:
        if encoding in bundle.encoded and accepted[encoding] > 0:
            return encoding
    return None


@cache
def plotly_style_guards(directory: str) -> tuple[str, ...]:
    """Ids of the <style> elements plotly.js adds on load unless an element with the id exists.

    Under our CSP those inline styles would be blocked (a console error, and styles for map
    traces we never draw), so the page places an empty, inert <template> with each id
    instead of relaxing ``style-src``.
    """
    pattern = (
        rb'getElementById\("([0-9a-f]{16,64})"\)\)\{var \w+=document\.createElement\("style"\)'
    )
    found = re.findall(pattern, plotly_source(directory))
    return tuple(sorted({m.decode() for m in found}))


def precompress(directory: str) -> list[Path]:
    """Write ``<bundle>.gz`` (gzip -9) and ``<bundle>.br`` (brotli, quality 11) next to the
    installed bundle, for ``make assets``; returns the files written."""
    import brotli

    path = Path(directory) / BUNDLE_FILE
    raw = path.read_bytes()
    written = [Path(f"{path}.gz"), Path(f"{path}.br")]
    written[0].write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    written[1].write_bytes(brotli.compress(raw, quality=11))
    return written


if __name__ == "__main__":
    for written_path in precompress(sys.argv[1]):
        print(f"{written_path}: {written_path.stat().st_size} bytes")
