"""The ceiling for bench/submit.py: a bare Flask endpoint that inserts the same rows.

No validation, no CSRF, no templates, no ORM: one response row and its answers in one
transaction, as fast as Flask, SQLAlchemy Core and the database allow on this machine.
"""

from __future__ import annotations

import os
import secrets
from datetime import datetime

from flask import Flask, redirect, request
from sqlalchemy import insert, select

from consult.collection.models import Answer, Response
from consult.db import make_engine
from consult.surveys.models import Question, Survey

engine = make_engine(os.environ["CONSULT_DATABASE_URL"])
with engine.connect() as conn:
    survey_id = conn.scalar(select(Survey.id).where(Survey.slug == "nisp-consultation"))
    question_ids = dict(conn.execute(select(Question.code, Question.id)).all())

app = Flask(__name__)


@app.post("/s/nisp-consultation")
def submit():  # noqa: ANN201
    form = request.form
    answers: dict[int, str] = {}
    for key in form:
        if key.startswith("q_"):
            code = key[2:].split("-", 1)[0]
            answers[question_ids[code]] = " ".join(form.getlist(key))
    with engine.begin() as conn:
        response_id = conn.scalar(
            insert(Response)
            .values(
                survey_id=survey_id,
                public_id=secrets.token_hex(8),
                language="en",
                channel="web",
                submitted_at=datetime.now().replace(hour=0, minute=0, second=0, microsecond=0),
            )
            .returning(Response.id)
        )
        conn.execute(
            insert(Answer),
            [
                {"response_id": response_id, "question_id": q, "value": v}
                for q, v in answers.items()
            ],
        )
    return redirect("/s/nisp-consultation/thanks")
