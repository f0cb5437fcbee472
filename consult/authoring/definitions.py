"""Surveys from a definition (a dict, as in ``consult/data/*.yaml``), checked strictly.

A definition error names where it is (``sections[2].questions[1].scale``), so whoever edits the
YAML file finds the line at once; nothing is added to the session unless the whole file is valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml
from sqlalchemy.orm import Session

from consult.analysis import thresholds
from consult.surveys.checks import check_matrix, check_rules, check_settings, other_label
from consult.surveys.codes import CHOICE_CODE, CODE, SLUG
from consult.surveys.models import (
    Choice,
    DefinitionError,
    Question,
    QuestionRole,
    Recommendation,
    Section,
    StakeholderGroup,
    Survey,
    SurveyState,
)
from consult.surveys.questions import TYPES
from consult.surveys.questions.choice import OTHER

__all__ = ["builtin_definition", "create_survey"]

SURVEY_KEYS = {
    "slug", "languages", "default_language", "anonymous", "k_min", "title", "description",
    "thanks", "groups", "recommendations", "scales", "sections", "analysis",
}  # fmt: skip

SECTION_KEYS = {"code", "title", "intro", "recommendation", "questions", "appearance"}
QUESTION_KEYS = {
    "code", "type", "role", "required", "label", "hint", "choices", "scale", "max_length",
    "min", "max", "min_selections", "max_selections", "relevant", "constraint",
    "constraint_message", "required_message", "appearance", "other", "default", "calculation",
    "choice_filter", "choice_columns", "recommendation",
}  # fmt: skip
SETTINGS_KEYS = (
    "max_length", "min", "max", "min_selections", "max_selections", "relevant", "constraint",
    "appearance", "other", "default", "calculation", "choice_filter", "choice_columns",
)  # fmt: skip
# Settings that are text in every language of the survey.
I18N_SETTINGS = ("constraint_message", "required_message")


def builtin_definition(name: str = "nisp-consultation") -> dict[str, Any]:
    text = resources.files("consult.data").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def create_survey(session: Session, data: dict[str, Any], state: SurveyState) -> Survey:
    """Build a survey (and everything in it) from ``data``; flushes, never commits."""
    _check_keys(data, SURVEY_KEYS, "survey")
    languages = _require(data, "languages", list, "survey")
    default = data.get("default_language", languages[0])
    if default not in languages:
        raise DefinitionError("survey", f"{default!r} is not in languages", "default_language")
    languages = [default, *(lang for lang in languages if lang != default)]
    slug = _require(data, "slug", str, "survey")
    if not SLUG.match(slug):
        raise DefinitionError("survey", "use lower-case letters, digits and hyphens", "slug")
    survey = Survey(
        slug=slug,
        languages=languages,
        state=state,
        title=_i18n(data, "title", "survey", languages, required=True),
        description=_i18n(data, "description", "survey", languages),
        thanks=_i18n(data, "thanks", "survey", languages),
        anonymous=bool(data.get("anonymous", True)),
        k_min=int(data.get("k_min", 5)),
        settings=_analysis(data.get("analysis")),
    )
    _groups(survey, data.get("groups", []))
    recommendations = _recommendations(survey, data.get("recommendations", []))
    places: dict[str, str] = {}  # question code → where it is defined, for messages
    scales = _scales(data.get("scales", {}), languages)
    for position, item in enumerate(_require(data, "sections", list, "survey")):
        _section(survey, item, position, _Context(recommendations, scales, places))
    check_rules(survey.questions, places)
    session.add(survey)
    session.flush()
    return survey


def _groups(survey: Survey, items: list[Any]) -> None:
    for position, item in enumerate(items):
        where = f"groups[{position}]"
        _check_keys(item, {"code", "label"}, where)
        label = _i18n(item, "label", where, survey.languages, True)
        survey.groups.append(
            StakeholderGroup(code=_code(item, where), position=position, label=label)
        )


def _recommendations(survey: Survey, items: list[Any]) -> dict[str, Recommendation]:
    found: dict[str, Recommendation] = {}
    for position, item in enumerate(items):
        where = f"recommendations[{position}]"
        _check_keys(item, {"code", "label", "description"}, where)
        rec = Recommendation(
            code=_code(item, where),
            position=position,
            label=_i18n(item, "label", where, survey.languages, True),
            description=_i18n(item, "description", where, survey.languages),
        )
        found[rec.code] = rec
        survey.recommendations.append(rec)
    return found


@dataclass
class _Context:
    """What the sections of one definition share while they are read."""

    recommendations: dict[str, Recommendation]
    scales: dict[str, list[Choice]]
    # Question code → where it is defined (for messages).
    places: dict[str, str]


def _section(survey: Survey, item: Any, position: int, context: _Context) -> None:
    where = f"sections[{position}]"
    _check_keys(item, SECTION_KEYS, where)
    languages = survey.languages
    section = Section(
        code=_code(item, where),
        position=position,
        title=_i18n(item, "title", where, languages),
        intro=_i18n(item, "intro", where, languages),
    )
    survey.sections.append(section)
    appearance = item.get("appearance")
    if appearance not in (None, "table-list"):
        raise DefinitionError(where, "only 'table-list' is supported", "appearance")
    rec_code = item.get("recommendation")
    if rec_code is not None and rec_code not in context.recommendations:
        raise DefinitionError(where, f"no recommendation {rec_code!r}", "recommendation")
    in_section = []
    for q_pos, q_item in enumerate(_require(item, "questions", list, where)):
        q_where = f"{where}.questions[{q_pos}]"
        question = _question(q_item, q_where, languages, context.scales)
        if question.code in context.places:
            raise DefinitionError(q_where, f"{question.code!r} is used twice", "code")
        question.position, question.section = q_pos, section
        own = q_item.get("recommendation")  # a question's own tag, else its section's
        if own is not None and own not in context.recommendations:
            raise DefinitionError(q_where, f"no recommendation {own!r}", "recommendation")
        if (own or rec_code) is not None:
            question.recommendation = context.recommendations[own or rec_code]
        if question.role == QuestionRole.group and not survey.groups:
            raise DefinitionError(q_where, "role 'group' needs a 'groups' list", "role")
        survey.questions.append(question)
        context.places[question.code] = q_where
        in_section.append(question)
    if appearance == "table-list":
        check_matrix(in_section, where)


def _question(
    item: dict[str, Any], where: str, languages: list[str], scales: dict[str, list[Choice]]
) -> Question:
    _check_keys(item, QUESTION_KEYS, where)
    type_name = _require(item, "type", str, where)
    if type_name not in TYPES:
        raise DefinitionError(where, f"unknown type {type_name!r}", "type")
    role = item.get("role")
    if role is not None and role not in set(QuestionRole):
        raise DefinitionError(where, f"unknown role {role!r}", "role")
    question = Question(
        code=_code(item, where),
        type=type_name,
        role=role,
        required=bool(item.get("required", False)),
        label=_i18n(item, "label", where, languages, True),
        hint=_i18n(item, "hint", where, languages),
        settings={key: item[key] for key in SETTINGS_KEYS if key in item},
    )
    for key in I18N_SETTINGS:
        if key in item:
            question.settings[key] = _i18n(item, key, where, languages)
    check_settings(question, where)
    qtype = TYPES[type_name]
    if qtype.numbered_points:
        name = _require(item, "scale", str, where)
        if name not in scales:
            raise DefinitionError(where, f"no scale named {name!r}", "scale")
        question.choices = [
            Choice(code=c.code, position=c.position, label=c.label) for c in scales[name]
        ]
    for position, choice in enumerate(item.get("choices", [])):
        c_where = f"{where}.choices[{position}]"
        _check_keys(choice, {"code", "label"}, c_where)
        question.choices.append(
            Choice(
                code=_code(choice, c_where, CHOICE_CODE),
                position=position,
                label=_i18n(choice, "label", c_where, languages, True),
            )
        )
    if question.settings.get("other") and not any(c.code == OTHER for c in question.choices):
        question.choices.append(
            Choice(code=OTHER, position=len(question.choices), label=other_label(languages))
        )
    if qtype.has_choices and role not in ("group", "recommendations") and not question.choices:
        raise DefinitionError(where, f"a {type_name} question needs choices")
    return question


def _scales(data: dict[str, Any], languages: list[str]) -> dict[str, list[Choice]]:
    scales = {}
    for name, points in data.items():
        choices = []
        for position, point in enumerate(points):
            where = f"scales.{name}[{position}]"
            _check_keys(point, {"value", "label"}, where)
            if point.get("value") != position + 1:
                raise DefinitionError(where, "points are numbered 1, 2, 3, ... in order", "value")
            choices.append(
                Choice(
                    code=str(position + 1),
                    position=position,
                    label=_i18n(point, "label", where, languages, True),
                )
            )
        scales[name] = choices
    return scales


def _analysis(item: Any) -> dict[str, Any]:
    """``analysis:`` (consensus and split thresholds) as Survey.settings; nothing if absent."""
    if item is None:
        return {}
    _check_keys(item, set(thresholds.RANGES), "survey.analysis")
    found = {key: thresholds.check(key, value) for key, value in item.items()}
    for key, value in found.items():
        if value is None:
            low, high = thresholds.RANGES[key]
            raise DefinitionError("survey.analysis", f"a number from {low:g} to {high:g}", key)
    return {"analysis": found}


def _check_keys(item: Any, allowed: set[str], where: str) -> None:
    if not isinstance(item, dict):
        raise DefinitionError(where, "expected a mapping")
    unknown = set(item) - allowed
    if unknown:
        raise DefinitionError(where, f"unknown key(s) {', '.join(sorted(unknown))}")


def _require(item: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = item.get(key)
    if not isinstance(value, kind) or not value:
        raise DefinitionError(where, f"missing or not a {kind.__name__}", key)
    return value


def _code(item: dict[str, Any], where: str, pattern: re.Pattern[str] = CODE) -> str:
    code = item.get("code")
    if not isinstance(code, str) or not pattern.match(code):
        raise DefinitionError(where, f"{code!r} is not a code (a-z, 0-9, _)", "code")
    return code


def _i18n(
    item: dict[str, Any], key: str, where: str, languages: list[str], required: bool = False
) -> dict[str, str]:
    value = item.get(key)
    if value is None:
        if required:
            raise DefinitionError(where, "missing", key)
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise DefinitionError(where, "expected {language: text}", key)
    if required and not value.get(languages[0]):
        raise DefinitionError(where, f"no text in {languages[0]!r}", key)
    return {lang: text.strip() for lang, text in value.items()}
