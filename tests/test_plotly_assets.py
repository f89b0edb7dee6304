"""The dashboard's plotly.js: the partial bundle when installed, pre-compressed, long cached."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest

from feedback_app.services.charts import plotly_assets

SCRIPT = re.compile(r'src="(/dashboard/static/plotly-[^"]+\.min\.js)"')


@pytest.fixture
def bundle_dir(app, tmp_path):
    """A partial bundle installed the way `make assets` does, with its .br and .gz files."""
    source = b"/** plotly.js (basic - minified) */" + plotly_assets.package_source()[:200_000]
    (tmp_path / plotly_assets.BUNDLE_FILE).write_bytes(source)
    plotly_assets.precompress(str(tmp_path))
    app.config["PLOTLY_BUNDLE_DIR"] = str(tmp_path)
    yield source
    plotly_assets.plotly_bundle.cache_clear()
    plotly_assets.plotly_style_guards.cache_clear()


def script_url(client) -> str:
    return SCRIPT.search(client.get("/dashboard/?lang=fi").get_data(as_text=True)).group(1)


def test_the_installed_partial_bundle_is_served_in_brotli(bundle_dir, official, client):
    url = script_url(official)
    assert "/plotly-basic-" in url
    response = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert brotli.decompress(response.data) == bundle_dir
    assert len(response.data) < len(bundle_dir) / 2


def test_gzip_and_identity_for_browsers_without_brotli(bundle_dir, official, client):
    url = script_url(official)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == bundle_dir
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.data == bundle_dir


def test_the_url_changes_with_the_content(app, bundle_dir, official, client, tmp_path):
    first = script_url(official)
    (tmp_path / plotly_assets.BUNDLE_FILE).write_bytes(bundle_dir + b"\n")
    plotly_assets.plotly_bundle.cache_clear()
    second = script_url(official)
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_without_the_partial_bundle_the_packages_file_is_served_gzipped(
    app, official, client, tmp_path
):
    app.config["PLOTLY_BUNDLE_DIR"] = str(tmp_path / "missing")
    try:
        url = script_url(official)
        assert f"/plotly-full-{plotly_assets.plotly_version()}-" in url
        response = client.get(url, headers={"Accept-Encoding": "br, gzip"})
        assert response.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.data) == plotly_assets.package_source()
    finally:
        plotly_assets.plotly_bundle.cache_clear()
