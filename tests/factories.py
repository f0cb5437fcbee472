"""Test data: surveys from definitions, accounts, responses."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from consult.accounts.models import User
from consult.accounts.roles import Role
from consult.accounts.users import add_member, create_user
from consult.authoring.definitions import builtin_definition, create_survey
from consult.surveys.models import Survey, SurveyState

PASSWORD = "correct horse battery"
_serial = itertools.count(1)


@cache
def _nisp() -> dict[str, Any]:
    return builtin_definition()


def nisp(session: Session, state: SurveyState = SurveyState.open, **overrides: Any) -> Survey:
    data = copy.deepcopy(_nisp())
    data.update(overrides)
    return create_survey(session, data, state)


@contextmanager
def committed_nisp(
    engine: Engine, slug: str, fill: Callable[[Session, Survey], None]
) -> Iterator[int]:
    """A NISP survey filled by ``fill`` and committed (for code that reads on a connection of
    its own, as forked helpers do); its id, and the survey deleted afterwards."""
    with Session(engine) as session:
        survey = nisp(session, slug=slug)
        fill(session, survey)
        session.commit()
        survey_id = survey.id
    try:
        yield survey_id
    finally:
        with Session(engine) as session:
            session.execute(delete(Survey).where(Survey.id == survey_id))
            session.commit()


def small_definition(slug: str = "small", **overrides: Any) -> dict[str, Any]:
    """A short survey with one question of every type."""
    scale = [{"value": i, "label": {"en": f"point {i}", "ur": f"درجہ {i}"}} for i in range(1, 6)]
    data: dict[str, Any] = {
        "slug": slug,
        "languages": ["en", "ur"],
        "title": {"en": "Small survey", "ur": "مختصر سوالنامہ"},
        "groups": [
            {"code": "media", "label": {"en": "Media", "ur": "میڈیا"}},
            {"code": "academia", "label": {"en": "Academia", "ur": "تعلیمی و تحقیقی حلقے"}},
        ],
        "recommendations": [
            {"code": "alpha", "label": {"en": "Alpha", "ur": "الف"}},
            {"code": "beta", "label": {"en": "Beta", "ur": "ب"}},
            {"code": "gamma", "label": {"en": "Gamma", "ur": "ج"}},
        ],
        "scales": {"agreement": scale},
        "sections": [
            {
                "code": "main",
                "recommendation": "alpha",
                "title": {"en": "Main"},
                "questions": [
                    {
                        "code": "group",
                        "type": "single_choice",
                        "role": "group",
                        "required": True,
                        "label": {"en": "Group"},
                    },
                    {
                        "code": "colour",
                        "type": "single_choice",
                        "role": "region",
                        "required": True,
                        "label": {"en": "Colour"},
                        "choices": [
                            {"code": c, "label": {"en": c.title()}}
                            for c in ("red", "green", "blue")
                        ],
                    },
                    {
                        "code": "tools",
                        "type": "multiple_choice",
                        "max_selections": 2,
                        "label": {"en": "Tools"},
                        "choices": [
                            {"code": c, "label": {"en": c.title()}}
                            for c in ("pen", "phone", "radio")
                        ],
                    },
                    {
                        "code": "agree",
                        "type": "scale",
                        "scale": "agreement",
                        "required": True,
                        "label": {"en": "Agree?"},
                    },
                    {
                        "code": "rank",
                        "type": "ranking",
                        "role": "recommendations",
                        "required": True,
                        "label": {"en": "Rank"},
                    },
                    {
                        "code": "years",
                        "type": "integer",
                        "min": 0,
                        "max": 70,
                        "label": {"en": "Years"},
                    },
                    {
                        "code": "name",
                        "type": "short_text",
                        "max_length": 50,
                        "label": {"en": "Short"},
                    },
                    {"code": "comment", "type": "long_text", "label": {"en": "Comment"}},
                    {"code": "info", "type": "note", "label": {"en": "A note"}},
                ],
            }
        ],
    }
    data.update(overrides)
    return data


def small(session: Session, state: SurveyState = SurveyState.open, **overrides: Any) -> Survey:
    return create_survey(session, small_definition(**overrides), state)


def valid_small_answers() -> dict[str, str]:
    """Form data answering every question of the small survey validly."""
    return {
        "q_group": "media",
        "q_colour": "green",
        "q_tools": "pen",
        "q_agree": "4",
        "q_rank-alpha": "2",
        "q_rank-beta": "1",
        "q_rank-gamma": "3",
        "q_years": "12",
        "q_name": "Ayesha",
        "q_comment": "More coordination.",
    }


def user(
    session: Session, role: Role, email: str | None = None, survey: Survey | None = None
) -> User:
    account = create_user(
        session, email or f"{role.value}-{next(_serial)}@example.org", role, PASSWORD
    )
    if survey is not None:
        add_member(session, survey, account)
    return account


def login(client: FlaskClient, account: User) -> None:
    """Sign in through the session, as the sign-in page would (a sign-in row, the stamps)."""
    import time

    from sqlalchemy.orm import object_session

    from consult.accounts import sessions

    raw = sessions.begin(object_session(account), account)
    now = int(time.time())
    with client.session_transaction() as sess:
        sess.update({"_user_id": str(account.id), "_fresh": True, "sid": raw,
                     "sv": account.session_version, "t0": now, "seen": now})  # fmt: skip


def every_type_definition(slug: str = "every-type") -> dict[str, Any]:
    """A survey using every question type and rule: skip logic, constraints, other, a matrix."""
    data = small_definition(slug)
    data["scales"]["seven"] = [
        {"value": i, "label": {"en": f"level {i}", "ur": f"سطح {i}"}} for i in range(1, 8)
    ]
    yes_no = [{"code": "yes", "label": {"en": "Yes", "ur": "جی ہاں"}},
              {"code": "no", "label": {"en": "No", "ur": "جی نہیں"}}]  # fmt: skip
    data["sections"][0]["questions"][2]["other"] = True  # tools: other, please specify
    data["sections"] += [
        {
            "code": "work",
            "title": {"en": "Work", "ur": "کام"},
            "questions": [
                {"code": "agree_terms", "type": "consent", "label": {"en": "I agree"}},
                {"code": "works", "type": "single_choice", "required": True,
                 "appearance": "minimal", "default": "yes", "label": {"en": "Do you work?"},
                 "choices": yes_no},
                {"code": "sector", "type": "single_choice", "other": True,
                 "relevant": "${works} = 'yes'",
                 "label": {"en": "Sector"},
                 "choices": [{"code": "public", "label": {"en": "Public"}}]},
            ],
        },
        {
            "code": "job",
            "title": {"en": "Job"},
            "questions": [
                {"code": "salary", "type": "decimal", "required": True, "min": 0, "max": 1e7,
                 "relevant": "${works} = 'yes'", "label": {"en": "Salary"},
                 "required_message": {"en": "Tell us the salary.", "ur": "تنخواہ بتائیں۔"}},
                {"code": "started", "type": "date", "min": "1950-01-01", "max": "2030-12-31",
                 "relevant": "${works} = 'yes'", "label": {"en": "Started"}},
            ],
        },
        {
            "code": "views",
            "title": {"en": "Views"},
            "appearance": "table-list",
            "questions": [
                {"code": "trust", "type": "scale", "scale": "seven", "required": True,
                 "label": {"en": "I trust the police"}},
                {"code": "safe", "type": "scale", "scale": "seven",
                 "label": {"en": "I feel safe"}},
            ],
        },
        {
            "code": "end",
            "title": {"en": "End"},
            "questions": [
                {"code": "age", "type": "integer", "constraint": ". >= 18 and . < 120",
                 "constraint_message": {"en": "Adults only.", "ur": "صرف بالغ۔"},
                 "label": {"en": "Age"}},
            ],
        },
    ]  # fmt: skip
    return data


def every_type(session: Session, state: SurveyState = SurveyState.open) -> Survey:
    return create_survey(session, every_type_definition(), state)


def answered(
    session: Session,
    survey: Survey,
    values: dict[str, str],
    language: str = "en",
    channel: Any = None,
) -> int:
    """Store one response whose answers are ``values`` (question code → stored value), through
    the same service a web submission uses; returns its id."""
    from consult.collection.models import Channel
    from consult.collection.responses import Submission, new_nonce, submit

    by_code = {q.code: q.id for q in survey.questions}
    submission = Submission(
        answers={by_code[code]: value for code, value in values.items()},
        language=language,
        channel=channel or Channel.web,
        nonce=new_nonce(),
    )
    return submit(session, survey, submission)


def paged_definition(slug: str = "nisp-paged") -> dict[str, Any]:
    """Five pages of the NISP consultation, fully translated, that branch on the server: the
    profile, three recommendations and the priorities (with the ranking of all six)."""
    data = copy.deepcopy(_nisp())
    keep = ("profile", "coordination", "monitoring", "resources", "priorities")
    data["slug"] = slug
    data["sections"] = [s for s in data["sections"] if s["code"] in keep]
    last = data["sections"][-1]["questions"]
    years = next(q for q in last if q["code"] == "years_experience")
    years["relevant"] = "${group} != ''"  # a rule across pages: sections become pages
    return data
