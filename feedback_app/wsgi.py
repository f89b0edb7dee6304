"""WSGI entry point for gunicorn (``feedback_app.wsgi:app``).

Behind nginx every request comes from 127.0.0.1, so the rate limiter would count a whole
city as one sender. ``PROXY_COUNT`` (the number of trusted proxies in front, usually 1)
makes the app take the client address and scheme from ``X-Forwarded-For`` /
``X-Forwarded-Proto``. Leave it at 0 when nothing sits in front, or anyone could forge
their address.
"""

from __future__ import annotations

import os

from werkzeug.middleware.proxy_fix import ProxyFix

from feedback_app import create_app

app = create_app()
_proxies = int(os.environ.get("PROXY_COUNT", "0") or 0)
if _proxies > 0:
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=_proxies, x_proto=_proxies)
