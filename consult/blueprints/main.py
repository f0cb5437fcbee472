"""The front page: the consultations open now."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from .. import db
from ..models import Survey, SurveyState
from ..security import public

bp = Blueprint("main", __name__)


@bp.get("/")
@public
def index() -> str:
    surveys = db.session().scalars(
        select(Survey).where(Survey.state == SurveyState.open).order_by(Survey.created_at)
    )
    return render_template("index.html", surveys=list(surveys))
