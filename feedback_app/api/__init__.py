"""JSON API under ``/api/v1``, described by ``/api/v1/openapi.json``."""

from feedback_app.api.views import bp

__all__ = ["bp"]
