"""Absolute links on the configured public address, never on the request's Host."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for


def public_url(endpoint: str, **values) -> str:
    """``url_for(endpoint, **values)`` on ``PUBLIC_BASE_URL``.

    QR codes, posters, invitation and password links leave the app and are trusted by the
    people who receive them; built from the Host header, a forged request could make the app
    print or hand out an attacker's address. Outside a request (the e-mail commands) the
    path is built from the URL map alone, so no Host is involved there either.
    """
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        adapter = current_app.url_map.bind("localhost", script_name="/")
        path = adapter.build(endpoint, values)
    return current_app.config["PUBLIC_BASE_URL"] + path
