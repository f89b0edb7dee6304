"""A staff member's own e-mail settings (``/account``) and the one-click unsubscribe link."""

from feedback_app.account.views import bp

__all__ = ["bp"]
