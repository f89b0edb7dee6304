"""Typed models. ``Response`` has no link to any account: anonymity is enforced by schema."""

from feedback_app.models.account import Account, ApiToken, Invitation, Role, project_members
from feedback_app.models.catalog import District, GrantPeriod, Project, district_periods
from feedback_app.models.notifications import AlertState, OutgoingMail, district_follows
from feedback_app.models.response import Answer, Response, ResponseTally, ScoreTally
from feedback_app.models.survey import (
    ALLOWED_TRANSITIONS,
    InvalidTransition,
    Question,
    QuestionKind,
    Survey,
    SurveyStatus,
    Tier,
)

__all__ = [
    "ALLOWED_TRANSITIONS",
    "Account",
    "AlertState",
    "Answer",
    "ApiToken",
    "District",
    "GrantPeriod",
    "InvalidTransition",
    "Invitation",
    "OutgoingMail",
    "Project",
    "Question",
    "QuestionKind",
    "Response",
    "ResponseTally",
    "Role",
    "ScoreTally",
    "Survey",
    "SurveyStatus",
    "Tier",
    "district_follows",
    "district_periods",
    "project_members",
]
