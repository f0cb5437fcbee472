"""All models, importable from one place (Alembic's autogenerate needs them registered)."""

from .invitations import Draft, Invitation, InvitationUse
from .people import Role, SurveyMember, User
from .response import Answer, Channel, Response
from .survey import (
    Choice,
    Question,
    QuestionRole,
    Recommendation,
    Section,
    StakeholderGroup,
    Survey,
    SurveyState,
    SurveyStateError,
)

__all__ = [
    "Answer",
    "Channel",
    "Choice",
    "Draft",
    "Invitation",
    "InvitationUse",
    "Question",
    "QuestionRole",
    "Recommendation",
    "Response",
    "Role",
    "Section",
    "StakeholderGroup",
    "Survey",
    "SurveyMember",
    "SurveyState",
    "SurveyStateError",
    "User",
]
