"""Surveys from a definition (a dict, as in ``consult/data/*.yaml``), checked strictly.

A definition error names where it is (``sections[2].questions[1].scale``), so whoever edits the
YAML file finds the line at once; nothing is added to the session unless the whole file is valid.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

import yaml
from sqlalchemy.orm import Session

from consult.analysis import thresholds as analysis_settings
from consult.surveys.checks import (
    DefinitionError,
    check_matrix,
    check_rules,
    check_settings,
    other_label,
)
from consult.surveys.codes import CHOICE_CODE, CODE
from consult.surveys.models import (
    Choice,
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

__all__ = ["DefinitionError", "builtin_definition", "create_survey"]

SURVEY_KEYS = {
    "slug", "languages", "default_language", "anonymous", "k_min", "title", "description",
    "thanks", "groups", "recommendations", "scales", "sections", "analysis",
}  # fmt: skip

SECTION_KEYS = {"code", "title", "intro", "recommendation", "questions", "appearance"}
QUESTION_KEYS = {
    "code", "type", "role", "required", "label", "hint", "choices", "scale", "max_length",
    "min", "max", "min_selections", "max_selections", "relevant", "constraint",
    "constraint_message", "required_message", "appearance", "other", "default",
}  # fmt: skip
SETTINGS_KEYS = (
    "max_length", "min", "max", "min_selections", "max_selections", "relevant", "constraint",
    "appearance", "other", "default",
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
        raise DefinitionError(f"survey.default_language: {default!r} is not in languages")
    languages = [default, *(lang for lang in languages if lang != default)]
    slug = _require(data, "slug", str, "survey")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", slug):
        raise DefinitionError("survey.slug: use lower-case letters, digits and hyphens")

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
    for position, item in enumerate(data.get("groups", [])):
        where = f"groups[{position}]"
        _check_keys(item, {"code", "label"}, where)
        survey.groups.append(
            StakeholderGroup(
                code=_code(item, where),
                position=position,
                label=_i18n(item, "label", where, languages, True),
            )
        )
    recommendations: dict[str, Recommendation] = {}
    for position, item in enumerate(data.get("recommendations", [])):
        where = f"recommendations[{position}]"
        _check_keys(item, {"code", "label", "description"}, where)
        rec = Recommendation(
            code=_code(item, where),
            position=position,
            label=_i18n(item, "label", where, languages, True),
            description=_i18n(item, "description", where, languages),
        )
        recommendations[rec.code] = rec
        survey.recommendations.append(rec)
    scales = _scales(data.get("scales", {}), languages)

    seen: set[str] = set()
    places: dict[str, str] = {}  # question code → where it is defined, for messages
    for s_pos, s_item in enumerate(_require(data, "sections", list, "survey")):
        where = f"sections[{s_pos}]"
        _check_keys(s_item, SECTION_KEYS, where)
        section = Section(
            code=_code(s_item, where),
            position=s_pos,
            title=_i18n(s_item, "title", where, languages),
            intro=_i18n(s_item, "intro", where, languages),
        )
        survey.sections.append(section)
        appearance = s_item.get("appearance")
        if appearance not in (None, "table-list"):
            raise DefinitionError(f"{where}.appearance: only 'table-list' is supported")
        rec_code = s_item.get("recommendation")
        if rec_code is not None and rec_code not in recommendations:
            raise DefinitionError(f"{where}.recommendation: no recommendation {rec_code!r}")
        in_section = []
        for q_pos, q_item in enumerate(_require(s_item, "questions", list, where)):
            q_where = f"{where}.questions[{q_pos}]"
            question = _question(q_item, q_where, languages, scales)
            if question.code in seen:
                raise DefinitionError(f"{q_where}.code: {question.code!r} is used twice")
            seen.add(question.code)
            question.position = q_pos
            question.section = section
            if rec_code is not None:
                question.recommendation = recommendations[rec_code]
            if question.role == QuestionRole.group and not survey.groups:
                raise DefinitionError(f"{q_where}.role: role 'group' needs a 'groups' list")
            survey.questions.append(question)
            places[question.code] = q_where
            in_section.append(question)
        if appearance == "table-list":
            check_matrix(in_section, where)
    check_rules(survey.questions, places)
    session.add(survey)
    session.flush()
    return survey


def _question(
    item: dict[str, Any], where: str, languages: list[str], scales: dict[str, list[Choice]]
) -> Question:
    _check_keys(item, QUESTION_KEYS, where)
    type_name = _require(item, "type", str, where)
    if type_name not in TYPES:
        raise DefinitionError(f"{where}.type: unknown type {type_name!r}")
    role = item.get("role")
    if role is not None and role not in set(QuestionRole):
        raise DefinitionError(f"{where}.role: unknown role {role!r}")
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
    if type_name == "scale":
        name = _require(item, "scale", str, where)
        if name not in scales:
            raise DefinitionError(f"{where}.scale: no scale named {name!r}")
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
    needs_options = type_name in ("single_choice", "multiple_choice", "ranking", "scale")
    if needs_options and role not in ("group", "recommendations") and not question.choices:
        raise DefinitionError(f"{where}: a {type_name} question needs choices")
    return question


def _scales(data: dict[str, Any], languages: list[str]) -> dict[str, list[Choice]]:
    scales = {}
    for name, points in data.items():
        choices = []
        for position, point in enumerate(points):
            where = f"scales.{name}[{position}]"
            _check_keys(point, {"value", "label"}, where)
            if point.get("value") != position + 1:
                raise DefinitionError(f"{where}.value: points are numbered 1, 2, 3, ... in order")
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
    _check_keys(item, set(analysis_settings.RANGES), "survey.analysis")
    found = {key: analysis_settings.check(key, value) for key, value in item.items()}
    for key, value in found.items():
        if value is None:
            low, high = analysis_settings.RANGES[key]
            raise DefinitionError(f"survey.analysis.{key}: a number from {low:g} to {high:g}")
    return {"analysis": found}


def _check_keys(item: Any, allowed: set[str], where: str) -> None:
    if not isinstance(item, dict):
        raise DefinitionError(f"{where}: expected a mapping")
    unknown = set(item) - allowed
    if unknown:
        raise DefinitionError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")


def _require(item: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = item.get(key)
    if not isinstance(value, kind) or not value:
        raise DefinitionError(f"{where}.{key}: missing or not a {kind.__name__}")
    return value


def _code(item: dict[str, Any], where: str, pattern: re.Pattern[str] = CODE) -> str:
    code = item.get("code")
    if not isinstance(code, str) or not pattern.match(code):
        raise DefinitionError(f"{where}.code: {code!r} is not a code (a-z, 0-9, _)")
    return code


def _i18n(
    item: dict[str, Any], key: str, where: str, languages: list[str], required: bool = False
) -> dict[str, str]:
    value = item.get(key)
    if value is None:
        if required:
            raise DefinitionError(f"{where}.{key}: missing")
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise DefinitionError(f"{where}.{key}: expected {{language: text}}")
    if required and not value.get(languages[0]):
        raise DefinitionError(f"{where}.{key}: no text in {languages[0]!r}")
    return {lang: text.strip() for lang, text in value.items()}
