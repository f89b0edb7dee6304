"""The installable app: manifest, service worker script, icons and the survey page's hooks."""

from __future__ import annotations

import json
import re

import pytest
from PIL import Image

from feedback_app.pwa import OFFLINE_ASSETS
from tests.test_static_files import hashed_url

MANIFEST_NAMES = {
    "fi": "Fiilis – asukaspalaute",
    "sv": "Fiilis – invånarrespons",
    "en": "Fiilis – resident feedback",
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_manifest_makes_the_app_installable(client, lang):
    """Name, scope, standalone display, colours and 192/512/maskable PNG icons."""
    response = client.get(f"/manifest.webmanifest?lang={lang}")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] == MANIFEST_NAMES[lang]
    assert manifest["short_name"] == "Fiilis"
    assert manifest["lang"] == lang
    assert manifest["start_url"] == f"/?lang={lang}"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0000bf"
    assert manifest["background_color"] == "#ffffff"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200
        assert image.mimetype == "image/png"
        image.close()


@pytest.mark.parametrize(
    "path", ["/", "/s/test", "/s/test/thanks", "/login", "/privacy", "/s/missing"]
)
def test_every_page_links_the_manifest(client, make_survey, path):
    """base.html carries the manifest link, so every page does, error pages included."""
    make_survey(code="test")
    html = client.get(path).get_data(as_text=True)
    assert re.search(r'<link rel="manifest" href="/manifest\.webmanifest\?lang=(fi|sv|en)">', html)


def test_service_worker_is_served_from_the_root(client, app):
    """Scope / needs the script at /sw.js; it is revalidated on every check and versioned."""
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    script = response.get_data(as_text=True)
    assert "__FIILIS_" not in script
    assert re.search(r'var VERSION = "[0-9a-f]{12}";', script)
    assets = json.loads(re.search(r"var ASSETS = (\[.*?\]);", script).group(1))
    # Exactly the content-hashed URLs pages load, so the install is answered from HTTP cache.
    assert assets == [hashed_url(name) for name in OFFLINE_ASSETS]
    assert f'importScripts("{hashed_url("js/outbox.js")}");' in script
    assert 'cache: "reload"' not in script
    for asset in assets:
        reply = client.get(asset)
        assert reply.status_code == 200, asset
        assert reply.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        reply.close()
    assert "worker-src 'self'" in response.headers["Content-Security-Policy"]


def test_worker_never_caches_the_api_or_staff_pages(client):
    """Only survey pages are stored; the API is passed straight to the network."""
    script = client.get("/sw.js").get_data(as_text=True)
    assert 'url.pathname.indexOf("/api/") === 0) return;' in script
    assert re.search(r"SURVEY_PAGE = /\^\\/s\\/", script)


def test_worker_version_follows_the_assets(app, tmp_path):
    """Changing a precached file gives the worker new bytes, so browsers update it."""
    from feedback_app.pwa import worker_version

    with app.test_request_context():
        before = worker_version(b"source")
        assert worker_version(b"source") == before
        assert worker_version(b"other source") != before


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_survey_page_hands_translated_messages_to_the_script(client, make_survey, lang):
    """survey.js says 'saved, will be sent' in the page's language, from data attributes."""
    make_survey(code="test")
    html = client.get(f"/s/test?lang={lang}").get_data(as_text=True)
    saved = {"fi": "Ei verkkoyhteyttä.", "sv": "Ingen nätverksanslutning."}[lang]
    assert f'data-msg-saved="{saved}' in html
    assert 'data-thanks="/s/test/thanks?lang=' in html
    assert f'<script src="{hashed_url("js/outbox.js")}" defer></script>' in html
    assert 'data-worker="/sw.js"' in html
    assert "<script>" not in html  # no inline script: the CSP forbids it


def test_make_icons_draws_the_pngs(runner, tmp_path):
    """``flask make-icons`` writes 192, 512 and maskable PNGs of the right sizes."""
    result = runner.invoke(args=["make-icons", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    expected = {"app-192.png": 192, "app-512.png": 512, "app-maskable-512.png": 512}
    for name, size in expected.items():
        with Image.open(tmp_path / name) as image:
            assert image.size == (size, size)
            assert image.getpixel((size // 2, size // 10))[:3] == (0, 0, 191)
    with Image.open(tmp_path / "app-maskable-512.png") as image:
        assert image.getpixel((0, 0))[3] == 255  # maskable icons fill the whole square
    with Image.open(tmp_path / "app-512.png") as image:
        assert image.getpixel((0, 0))[3] == 0  # the plain icon has rounded corners
