"""Officials' dashboard at ``/dashboard``: districts side by side, drill-down, exports."""

from feedback_app.dashboard import data  # noqa: F401  (registers the data routes on bp)
from feedback_app.dashboard.views import bp

__all__ = ["bp"]
