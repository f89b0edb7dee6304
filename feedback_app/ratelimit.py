"""The rate limiter, keyed so that it never keeps a resident's address in the clear.

The ``limiter`` instance lives here, beside its key, and ``extensions`` re-exports it: this
module imports nothing of the app's, so no import circle forms.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Callable

from flask import current_app, g, request
from flask_limiter import Limiter

# One IPv6 subscriber is given a whole /64 and can pick any of its 2^64 addresses, so a
# limit per IPv6 address would not slow a password guesser at all.
IPV6_PREFIX = 64


def sender(address: str | None) -> str:
    """What counts as one sender: the IPv4 address, or the IPv6 address's /64 network."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))
    return str(ip)


def client_key() -> str:
    """Identify the sender by a keyed hash of its address (IPv6: of its /64).

    Rate limits need some notion of "the same sender", but storing raw IP addresses in the
    limiter's storage (memory or Redis) would put personal data beside anonymous answers.
    An HMAC with the secret key is stable for the limit window and cannot be reversed.
    Flask-Limiter asks for the key twice per request (application-wide and route limits),
    so it is computed once and kept for the rest of the request.
    """
    key = g.get("rate_limit_key")
    if key is None:
        secret = current_app.config["SECRET_KEY"].encode()
        digest = hmac.new(secret, sender(request.remote_addr).encode(), hashlib.sha256)
        key = g.rate_limit_key = digest.hexdigest()[:32]
    return key


# Several workers must count together, so production keeps the counts in Redis. Should
# Redis be unreachable for a while, each worker counts on its own rather than answering
# every limited request with a 500.
limiter = Limiter(key_func=client_key, default_limits=[], in_memory_fallback_enabled=True)


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

    return limiter.shared_limit(limit, scope=scope)
