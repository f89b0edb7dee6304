"""Keys for Flask-Limiter that never keep a resident's address in the clear."""

from __future__ import annotations

import hashlib
import hmac

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
