"""Keys for Flask-Limiter that never keep a resident's address in the clear."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from flask import current_app, request


def client_key() -> str:
    """Identify the sender by a keyed hash of the remote address.

    Rate limits need some notion of "the same sender", but storing raw IP addresses in the
    limiter's storage (memory or Redis) would put personal data beside anonymous answers.
    An HMAC with the secret key is stable for the limit window and cannot be reversed.
    """
    address = (request.remote_addr or "unknown").encode()
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, address, hashlib.sha256).hexdigest()[:32]


# A festival sends everyone through one venue Wi-Fi address, so the limits are per address
# but generous: 600 answers a minute is ten a second from one hotspot, far above what a
# crowd scanning one QR code produces, yet it stops a script flooding a survey. Configured
# as RATELIMIT_SUBMISSIONS / RATELIMIT_READS (config.py; Flask-Limiter syntax).
SUBMISSIONS = "600 per minute;20000 per day"
READS = "1200 per minute"


def submission_limit() -> str:
    """Limit on stored answers per address, shared by the API and the plain form."""
    return current_app.config.get("RATELIMIT_SUBMISSIONS") or SUBMISSIONS


def read_limit() -> str:
    """Limit on resident reads (survey pages, thank-you pages, summaries) per address."""
    return current_app.config.get("RATELIMIT_READS") or READS


def resident_limit(limit: Callable[[], str], scope: str) -> Callable:
    """``limiter.shared_limit`` for one kind of resident request, keyed by ``client_key``."""
    from feedback_app.extensions import limiter

    return limiter.shared_limit(limit, scope=scope)
