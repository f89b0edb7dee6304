"""Static files: content-hashed URLs cached for a year, plain URLs revalidated, never a 5xx."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import pytest
from werkzeug.test import Client
from werkzeug.wrappers import Response

from feedback_app.static_files import StaticFiles

STATIC = Path(__file__).resolve().parents[1] / "static"
IMMUTABLE = "public, max-age=31536000, immutable"


def hashed_url(name: str) -> str:
    """The URL a page must use for ``static/<name>``: the content's hash in the file name."""
    digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]
    stem, suffix = name.rsplit(".", 1)
    return f"/static/{stem}.{digest}.{suffix}"


def fetch(client, url: str):
    """GET a file and release its handle (static files are streamed)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def test_pages_link_content_hashed_urls(client, make_survey):
    """The survey page's CSS, scripts and icons are named by their bytes."""
    make_survey(code="test")
    html = client.get("/s/test?lang=fi").get_data(as_text=True)
    for name in ("css/app.css", "js/outbox.js", "js/survey.js", "icons/face-3.svg"):
        assert hashed_url(name) in html, name
    assert 'href="/static/css/app.css"' not in html


@pytest.mark.parametrize(
    "name",
    ["css/app.css", "css/dashboard.css", "js/survey.js", "icons/face-1.svg", "icons/app-192.png"],
)
def test_hashed_url_is_cached_for_a_year(client, name):
    """A hashed URL never changes its bytes, so browsers keep it without asking again."""
    response = fetch(client, hashed_url(name))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.get_data() == (STATIC / name).read_bytes()
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("name", ["css/app.css", "sw.js", "icons/app-512.png"])
def test_plain_url_still_works_and_is_revalidated(client, name):
    """Old links and the manifest's icons keep working; their bytes may change, so no-cache."""
    response = fetch(client, f"/static/{name}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.get_data() == (STATIC / name).read_bytes()


def test_stale_hash_gets_todays_file_not_an_error(client):
    """A page loaded before a deploy asks for an old hash: it gets the current file."""
    response = fetch(client, "/static/css/app.0123456789ab.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.get_data() == (STATIC / "css/app.css").read_bytes()
    assert fetch(client, "/static/css/nothing.0123456789ab.css").status_code == 404
    assert fetch(client, "/static/css/nothing.css").status_code == 404


@pytest.mark.parametrize("path", ["/", "/s/test", "/s/test/thanks", "/privacy", "/sw.js"])
def test_pages_are_not_cached_as_immutable(client, make_survey, path):
    """Only files named by their content are kept for a year; pages and the worker are not."""
    make_survey(code="test")
    response = client.get(path)
    assert response.status_code == 200
    assert "immutable" not in response.headers.get("Cache-Control", "")
    assert "max-age=31536000" not in response.headers.get("Cache-Control", "")


def test_changed_file_gets_a_new_url(tmp_path):
    """The hash follows the bytes: edit a file and its URL changes, the old one stops matching."""
    (tmp_path / "css").mkdir()
    stylesheet = tmp_path / "css" / "app.css"
    stylesheet.write_text("body { color: black }")
    before = StaticFiles(tmp_path).hashed["css/app.css"]
    assert StaticFiles(tmp_path).hashed["css/app.css"] == before  # stable for equal bytes
    stylesheet.write_text("body { color: navy }")
    after = StaticFiles(tmp_path)
    assert after.hashed["css/app.css"] != before
    assert re.fullmatch(r"css/app\.[0-9a-f]{12}\.css", after.hashed["css/app.css"])
    assert not after.is_hashed_url(f"/static/{before}")
    assert after.current_name(before) == "css/app.css"


def test_precompressed_variant_is_sent_under_the_hashed_url(tmp_path):
    """A ``.gz`` beside a file is served to browsers that accept gzip, hashed URL included."""
    body = b"console.log('fiilis');\n" * 50
    (tmp_path / "lib.js").write_bytes(body)
    (tmp_path / "lib.js.gz").write_bytes(gzip.compress(body))
    files = StaticFiles(tmp_path)
    assert set(files.hashed) == {"lib.js"}  # the compressed copy is no file of its own
    client = Client(files.middleware(Response("app", status=404)))
    response = client.get(f"/static/{files.hashed['lib.js']}", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert gzip.decompress(response.get_data()) == body
    response.close()
    assert client.get("/static/other.js").status_code == 404  # passed on to the app
