"""The respondent form, built at run time from a survey: each question type gives its field."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, HiddenField
from wtforms.validators import DataRequired

from consult.surveys.codes import FIELD_PREFIX, field_base
from consult.surveys.codes import field_name as code_field_name
from consult.surveys.models import Question, Survey
from consult.surveys.questions import question_type


def field_name(question: Question) -> str:
    return code_field_name(question.code)


class AnswerForm(Form):
    """The answers of one response, validated by each question type's field: without Flask
    (imports read sheets through it); ResponseForm adds the web's CSRF protection."""

    # One-time token: the same form submitted twice stores one response.
    nonce = HiddenField(validators=[DataRequired()])

    # Set on each generated class: the questions with a field, and their field names.
    answerable: list[tuple[Question, str]]
    field_names: frozenset[str]

    def answer_fields(self) -> list[tuple[Question, Any]]:
        return [(q, self._fields[name]) for q, name in self.answerable]


class ResponseForm(FlaskForm, AnswerForm):
    """Base of every survey form on the web; subclasses get one field per answerable question."""


CONSENT_READ = _l("I read the consent statement aloud, and the respondent agreed to take part.")
CONSENT_NEEDED = _l("Read the consent statement aloud and tick this box before entering answers.")


def response_form_class(
    survey: Survey, lang: str, consent: bool = False, base: type[AnswerForm] = ResponseForm
) -> type[ResponseForm]:
    """A form class for ``survey`` in ``lang``: each question's type contributes its field.

    ``consent`` adds the interviewer's read-aloud consent box (enumerator entry); ``base``
    AnswerForm gives a form without CSRF that needs no Flask application (imports).
    """
    attrs: dict[str, Any] = {}
    if consent:
        attrs["consent_read"] = BooleanField(
            CONSENT_READ, validators=[DataRequired(CONSENT_NEEDED)]
        )
    answerable = []
    for question in survey.ordered_questions():
        field = question_type(question.type).field(question, lang)
        if field is not None:
            attrs[field_name(question)] = field
            answerable.append((question, field_name(question)))
    attrs["answerable"] = answerable
    attrs["field_names"] = frozenset(name for _, name in answerable)
    return type("SurveyResponseForm", (base,), attrs)


def unknown_fields(form_keys: Any, form: ResponseForm) -> list[str]:
    """Posted ``q_*`` names that are no question of this survey (a forged or stale form)."""
    known = form.field_names
    return sorted(
        field_base(key)
        for key in form_keys
        if key.startswith(FIELD_PREFIX) and field_base(key) not in known
    )
