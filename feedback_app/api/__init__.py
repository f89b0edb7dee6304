"""JSON API under ``/api/v1``, described by ``/api/v1/openapi.json``."""

from feedback_app.api import districts  # noqa: F401  (registers the district feed on bp)
from feedback_app.api.views import bp

__all__ = ["bp"]
