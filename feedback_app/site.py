"""Public pages that belong to no survey: the front page, the favicon and robots.txt."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template
from PIL import Image

bp = Blueprint("site", __name__)

# Staff areas, the API and the one-time links have nothing for a search engine; survey pages
# say ``noindex`` themselves, since a crawler that ignores robots.txt must not list them.
ROBOTS_TXT = "\n".join(
    [
        "User-agent: *",
        *(
            f"Disallow: {path}"
            for path in ("/studio", "/dashboard", "/admin", "/api", "/login", "/logout", "/invite")
        ),
        "",
    ]
)
FAVICON_SIZES = [(16, 16), (32, 32), (48, 48)]


@bp.get("/")
def index():
    """A short explanation for people who arrive without a survey link."""
    return render_template("site/index.html")


@bp.get("/robots.txt")
def robots_txt():
    """Keep crawlers out of the staff areas, the API and sign-in links."""
    response = Response(ROBOTS_TXT, mimetype="text/plain")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/favicon.ico")
def favicon():
    """The app icon as a real ICO file, for browsers that ask for it without a ``<link>``."""
    response = Response(_favicon_bytes(current_app.static_folder), mimetype="image/x-icon")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@cache
def _favicon_bytes(static_folder: str) -> bytes:
    """``icons/app-192.png`` scaled into a multi-size ICO, built once per process."""
    buffer = io.BytesIO()
    with Image.open(Path(static_folder) / "icons" / "app-192.png") as icon:
        icon.convert("RGBA").save(buffer, "ICO", sizes=FAVICON_SIZES)
    return buffer.getvalue()
