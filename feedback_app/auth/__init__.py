"""Staff sign-in: ``/login`` and ``/logout``. Residents never sign in."""

from feedback_app.auth.views import bp

__all__ = ["bp"]
