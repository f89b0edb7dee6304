"""Absolute links on the configured public address, never on the request's Host."""

from __future__ import annotations

from flask import current_app, url_for


def public_url(endpoint: str, **values) -> str:
    """``url_for(endpoint, **values)`` on ``PUBLIC_BASE_URL``.

    QR codes, posters, invitation and password links leave the app and are trusted by the
    people who receive them; built from the Host header, a forged request could make the app
    print or hand out an attacker's address.
    """
    return current_app.config["PUBLIC_BASE_URL"] + url_for(endpoint, **values)
