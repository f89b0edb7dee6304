"""Progressive web app: the web app manifest, the service worker at ``/sw.js`` and its icons."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import click
from flask import Blueprint, Response, current_app, request, url_for
from flask_babel import gettext as _

from feedback_app.i18n import RESIDENT_LANGUAGES, text_direction

# cli_group=None puts ``make-icons`` straight under ``flask --app feedback_app``.
bp = Blueprint("pwa", __name__, cli_group=None)

THEME_COLOUR = "#0000bf"  # HDS "bus" blue
BACKGROUND_COLOUR = "#ffffff"
ICON_SIZES = (192, 512)

# What the worker stores on install so a survey opens with no network at all. The resident
# path needs nothing else: no web fonts, no chart library.
OFFLINE_ASSETS = (
    "css/app.css",
    "js/outbox.js",
    "js/survey.js",
    "js/kiosk.js",
    *(f"icons/face-{score}.svg" for score in range(1, 6)),
    "icons/app-192.png",
)


def _static_file(filename: str) -> Path:
    """The path of a file under ``static/``."""
    return Path(current_app.static_folder) / filename


def worker_version(source: bytes) -> str:
    """A short hash of the worker and every file it precaches.

    The hash is written into the worker's text, so changing any asset changes the worker's
    bytes: the browser installs the new worker, which fills a new cache and drops the old one.
    """
    digest = hashlib.sha256(source)
    for filename in OFFLINE_ASSETS:
        path = _static_file(filename)
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:12]


@bp.get("/sw.js")
def service_worker():
    """The service worker, served from the root so its scope can be the whole site."""
    source = _static_file("sw.js").read_bytes()
    # The same content-hashed URLs the survey page loads: the install is answered from the
    # browser's HTTP cache instead of downloading every file a second time.
    assets = [url_for("static", filename=name) for name in OFFLINE_ASSETS]
    text = (
        source.decode("utf-8")
        .replace("__FIILIS_VERSION__", worker_version(source))
        .replace("__FIILIS_OUTBOX__", url_for("static", filename="js/outbox.js"))
        .replace('["__FIILIS_ASSETS__"]', json.dumps(assets))
    )
    response = Response(text, mimetype="text/javascript")
    # Browsers check for a new worker on navigation; it must never come from a stale cache.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


def manifest_document(lang: str) -> dict:
    """The web app manifest in one interface language."""

    def icon(name: str) -> str:
        return url_for("static", filename=f"icons/app-{name}.png")

    icons = [
        {"src": icon(size), "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"}
        for size in ICON_SIZES
    ]
    icons.append(
        {
            "src": icon("maskable-512"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        }
    )
    return {
        "id": "/",
        "name": _("Fiilis – resident feedback"),
        "short_name": "Fiilis",
        "description": _("Short anonymous surveys at the Helsinki model's arts events."),
        "lang": lang,
        "dir": text_direction(lang),
        "start_url": url_for("site.index", lang=lang),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
    }


@bp.get("/manifest.webmanifest")
def manifest():
    """The manifest, named in the language of the page that links it."""
    lang = request.args.get("lang", "fi")
    lang = lang if lang in RESIDENT_LANGUAGES else "fi"
    body = json.dumps(manifest_document(lang), ensure_ascii=False, indent=1)
    response = Response(body, mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.cli.command("make-icons")
@click.option("--out", type=click.Path(file_okay=False), default=None, help="Target folder.")
def make_icons_command(out: str | None) -> None:
    """Draw the app icons (192, 512 and a maskable 512 PNG) with Pillow."""
    from feedback_app.icons import write_app_icons

    folder = Path(out) if out else Path(current_app.static_folder) / "icons"
    for path in write_app_icons(folder):
        click.echo(f"wrote {path}")
