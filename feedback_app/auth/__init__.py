"""Staff sign-in: ``/login``, ``/logout`` and ``/invite/<token>``. Residents never sign in."""

from feedback_app.auth import (
    invite,  # noqa: F401  (registers /invite/<token> on bp)
    oidc,
    sessions,
)
from feedback_app.auth.views import bp

# Registering the sign-in blueprint brings the session rules with it.
bp.record_once(lambda state: sessions.install(state.app))
# ... and the city's identity provider, when OIDC_ISSUER is set.
bp.record_once(lambda state: oidc.install(state.app))

__all__ = ["bp"]
