"""Artists' studio at ``/studio`` and the QR/poster downloads at ``/s/<code>/…``."""

from feedback_app.studio import question_views, results_views  # noqa: F401  (register routes)
from feedback_app.studio.sharing import sharing_bp
from feedback_app.studio.views import bp

__all__ = ["bp", "sharing_bp"]
