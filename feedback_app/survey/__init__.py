"""Residents' blueprint: the survey at ``/s/<code>``, working without JavaScript."""

from feedback_app.survey.views import bp

__all__ = ["bp"]
