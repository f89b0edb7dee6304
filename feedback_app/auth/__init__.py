"""Staff sign-in: ``/login``, ``/logout`` and ``/invite/<token>``. Residents never sign in."""

from feedback_app.auth import invite  # noqa: F401  (registers /invite/<token> on bp)
from feedback_app.auth.views import bp

__all__ = ["bp"]
