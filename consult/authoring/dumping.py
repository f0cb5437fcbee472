"""A survey as a definition: the dict ``consult/data/*.yaml`` holds, read back by
``definitions.create_survey`` into the same survey (the API serves it as JSON).

The inverse of definitions.py: what create_survey derives is left out again (the "other"
choice it adds, ``matrix`` marks it sets on a table-list page, a section's recommendation it
copies onto each question), so dumping, loading and dumping again gives the same dict.
"""

from __future__ import annotations

from typing import Any

from consult.authoring.definitions import I18N_SETTINGS, SETTINGS_KEYS
from consult.surveys.models import Question, Section, Survey
from consult.surveys.questions import TYPES
from consult.surveys.questions.choice import OTHER


def dump_survey(survey: Survey) -> dict[str, Any]:
    """``survey`` as a definition dict (JSON- and YAML-ready)."""
    scales: dict[str, list[dict[str, Any]]] = {}
    data: dict[str, Any] = {
        "slug": survey.slug,
        "languages": list(survey.languages),
        "default_language": survey.default_language,
        "anonymous": survey.anonymous,
        "k_min": survey.k_min,
        "title": dict(survey.title),
    }
    data |= _texts({"description": survey.description, "thanks": survey.thanks})
    if survey.groups:
        data["groups"] = [{"code": g.code, "label": dict(g.label)} for g in survey.groups]
    if survey.recommendations:
        data["recommendations"] = [
            {"code": r.code, "label": dict(r.label), **_texts({"description": r.description})}
            for r in survey.recommendations
        ]
    data["sections"] = [_section(section, scales) for section in survey.sections]
    if scales:
        data["scales"] = scales
    if survey.settings.get("analysis"):
        data["analysis"] = dict(survey.settings["analysis"])
    return data


def _texts(values: dict[str, dict[str, str] | None]) -> dict[str, dict[str, str]]:
    """Only the translatable texts that hold something."""
    return {key: dict(value) for key, value in values.items() if value}


def _section(section: Section, scales: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    item: dict[str, Any] = {"code": section.code}
    item |= _texts({"title": section.title, "intro": section.intro})
    questions = sorted(section.questions, key=lambda q: q.position)
    if questions and all(q.settings.get("matrix") for q in questions):
        item["appearance"] = "table-list"
    item["questions"] = [_question(q, scales) for q in questions]
    return item


def _question(question: Question, scales: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    item: dict[str, Any] = {"code": question.code, "type": question.type}
    if question.role:
        item["role"] = str(question.role)
    if question.required:
        item["required"] = True
    item["label"] = dict(question.label)
    item |= _texts({"hint": question.hint})
    settings = question.settings or {}
    item |= {key: settings[key] for key in SETTINGS_KEYS if key in settings}
    item |= {key: dict(settings[key]) for key in I18N_SETTINGS if settings.get(key)}
    if question.recommendation is not None:
        item["recommendation"] = question.recommendation.code
    choices = sorted(question.choices, key=lambda c: c.position)
    if TYPES[question.type].numbered_points:
        item["scale"] = _scale(question, choices, scales)
    elif choices and question.role not in ("group", "recommendations"):
        item["choices"] = [
            {"code": c.code, "label": dict(c.label)}
            for c in choices
            if not (c.code == OTHER and settings.get("other"))
        ]
    return item


def _scale(question: Question, choices: list[Any], scales: dict[str, list[dict[str, Any]]]) -> str:
    """The name of the scale with these points: an existing one if the same, else a new one."""
    points = [{"value": i + 1, "label": dict(c.label)} for i, c in enumerate(choices)]
    for name, known in scales.items():
        if known == points:
            return name
    name = f"scale_{len(scales) + 1}"
    scales[name] = points
    return name
