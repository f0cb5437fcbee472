"""The question editor's page: one form with the question's texts in every language, its
settings, its role, the rows of its list (choices, scale points or stakeholder groups), and its
conditions, saved by one submit.

Every button submits the whole form (``rows.act``): adding, removing or moving a row, taking a
scale preset or copying another question's choices come back as the same page with the change
made and nothing typed lost; only "save" stores (static/js/builder.js does the row buttons in
the page, and saves without a reload, when it runs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import render_template, request, url_for
from flask_babel import lazy_gettext as _l

from consult import db
from consult.authoring import answered, choices, groups, presets
from consult.authoring.common import Row
from consult.authoring.conditions import (
    BY_CONDITIONS,
    ConditionRow,
    RelevanceInput,
    input_of,
    relevance,
    sources,
)
from consult.authoring.content import questions_of
from consult.authoring.questions import QuestionInput
from consult.authoring.views import rows as posted_rows
from consult.problems import Problems
from consult.surveys.models import Question, QuestionRole, Section, Survey
from consult.surveys.questions import QuestionType, question_type

COMPARISONS = {
    "=": _l("is"), "!=": _l("is not"), "<": _l("is below"), "<=": _l("is at most"),
    ">": _l("is above"), ">=": _l("is at least"), "selected": _l("includes"),
    "not_selected": _l("does not include"), "answered": _l("is answered"),
    "not_answered": _l("is not answered"),
}  # fmt: skip
ROLES = {
    "": _l("An ordinary question"),
    QuestionRole.group: _l("The stakeholder-group question: its choices are the survey's groups"
                           " (group links, invitations, targets and quotas)"),
    QuestionRole.region: _l("The province or region question: its choices are the regions"
                            " (with targets) in the monitor"),
    QuestionRole.recommendations: _l("A ranking of the survey's recommendations"),
}  # fmt: skip
TEXTS = ("label", "hint", "constraint_message", "required_message")


@dataclass
class Editor:
    """The page as typed: flat fields, the list's rows and the conditions, numbered as named."""

    qtype: QuestionType
    values: dict[str, str]
    rows: list[tuple[int, Row]] = field(default_factory=list)
    conditions: list[tuple[int, ConditionRow]] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def from_question(survey: Survey, question: Question) -> Editor:
    qtype = question_type(question.type)
    settings = question.settings
    values: dict[str, str] = {
        "code": question.code, "required": "1" if question.required else "",
        "recommendation": question.recommendation.code if question.recommendation else "",
        "other": "1" if settings.get("other") else "", "role": question.role or "",
        **{k: str(settings.get(k, "")) for k in qtype.setting_inputs if k != "other"},
        **{k: str(settings.get(k, "")) for k in ("constraint", "default")},
        "preset": "",
    }  # fmt: skip
    for name in TEXTS:
        texts = (settings.get(name) if name.endswith("message") else getattr(question, name)) or {}
        values |= {f"{name}-{lang}": text for lang, text in texts.items()}
    rule = input_of(survey, str(settings.get("relevant", "")))
    values |= {"relevant": rule.typed, "relevant_mode": rule.mode, "join": rule.join}
    if question.role == QuestionRole.group:
        rows = groups.group_rows(survey)
    elif question.role == QuestionRole.region:
        rows = groups.with_region_targets(survey, choices.rows_of(question))
    else:
        rows = choices.rows_of(question)
    return Editor(qtype, values, list(enumerate(rows)), list(enumerate(rule.rows)))


def blank(survey: Survey, section: Section, qtype: QuestionType) -> Editor:
    """A new question's page: a free code, and points from a preset (or the page's table)."""
    taken = {q.code for q in survey.questions}
    number = len(survey.questions) + 1
    while f"q{number}" in taken:
        number += 1
    role = request.args.get("role", "")  # the overview's "add the stakeholder-group question"
    values = {"code": f"q{number}", "relevant_mode": BY_CONDITIONS, "join": "all",
              "preset": presets.DEFAULT, "role": role if role in qtype.roles else ""}  # fmt: skip
    rows = [Row() for _ in range(qtype.starting_rows)]
    if qtype.numbered_points:
        if _matrix_page(survey, section):
            rows = choices.rows_of(questions_of(survey, section)[0])
            values["preset"] = ""
        else:
            labels = presets.points(presets.DEFAULT, survey.languages) or []
            rows = [Row(label=label) for label in labels]
    return Editor(qtype, values, list(enumerate(rows)), [])


def from_request(survey: Survey, qtype: QuestionType) -> Editor:
    form = request.form
    values = {k: v for k, v in form.items() if k != "csrf_token" and not posted_rows.is_row_name(k)}
    langs = survey.languages
    rows = posted_rows.numbered(form, "c", lambda parts: posted_rows.list_row(parts, langs))
    conditions = posted_rows.numbered(form, "k", posted_rows.condition_row)
    return Editor(qtype, values, rows, conditions)


def act(editor: Editor, action: str, survey: Survey, question: Question | None) -> None:
    """A button other than save: change the page as asked (nothing is stored)."""
    if posted_rows.act(action, "c", editor.rows, Row):
        return
    if posted_rows.act(action, "k", editor.conditions, ConditionRow):
        return
    if action == "preset":
        labels = presets.points(editor.values.get("preset", ""), survey.languages)
        if labels is None:
            editor.errors["preset"] = str(_l("Choose a preset."))
            return
        was = [row.was for _n, row in editor.rows]
        editor.rows = [
            (at, Row(was=was[at] if at < len(was) else "", label=label))
            for at, label in enumerate(labels)
        ]
    elif action == "copy":
        copied = choices.copied_rows(survey, question, editor.values.get("copy_from", ""))
        if copied is None:
            editor.errors["copy_from"] = str(_l("Choose a question that has choices."))
            return
        editor.rows = list(enumerate(copied))


def to_input(editor: Editor, survey: Survey) -> QuestionInput:
    values, langs, qtype = editor.values, survey.languages, editor.qtype

    def texts(name: str) -> dict[str, str]:
        return {lang: values.get(f"{name}-{lang}", "") for lang in langs}

    return QuestionInput(
        code=values.get("code", "").strip(), required=values.get("required") == "1",
        label=texts("label"), hint=texts("hint"),
        recommendation=values.get("recommendation", ""),
        settings={name: values.get(name, "") for name in qtype.setting_inputs},
        relevant=values.get("relevant", ""), constraint=values.get("constraint", ""),
        default=values.get("default", ""), constraint_message=texts("constraint_message"),
        required_message=texts("required_message"),
        role=values.get("role", "") if qtype.roles else None,
        rows=[row for _n, row in editor.rows] if qtype.has_choices else None,
        conditions=_relevance_input(editor),
    )  # fmt: skip


def _relevance_input(editor: Editor) -> RelevanceInput:
    values = editor.values
    return RelevanceInput(
        mode=values.get("relevant_mode", BY_CONDITIONS), join=values.get("join", "all"),
        rows=[row for _n, row in editor.conditions], typed=values.get("relevant", ""),
    )  # fmt: skip


def page(
    survey: Survey, editor: Editor, question: Question | None, section: Section,
    errors: dict[str, str] | None = None, refusal: str = "",
) -> str:  # fmt: skip
    """The editor drawn with what was typed (rows numbered from 0 again)."""
    qtype = editor.qtype
    written = relevance(survey, question, _relevance_input(editor), Problems())
    role = editor.values.get("role", "")
    condition_sources = sources(survey, question)
    return render_template(
        "admin/builder/question.html",
        survey=survey, question=question, section=section, qtype=qtype,
        values=editor.values, errors={**editor.errors, **(errors or {})}, refusal=refusal,
        rows=[row for _n, row in editor.rows],
        conditions=[row for _n, row in editor.conditions] or [ConditionRow()],
        written=written, roles={k: v for k, v in ROLES.items() if k == "" or k in qtype.roles},
        list_kind=_list_kind(qtype, role), sources=condition_sources,
        comparisons_of={
            q.code: " ".join(question_type(q.type).comparisons) for q in condition_sources
        },
        comparisons=COMPARISONS, presets=presets.presets(),
        preset_points={p.key: p.points for p in presets.presets()},
        copy_sources=choices.copy_sources(survey, question),
        answered=question is not None and answered.is_answered(db.session(), question),
        action_url=action_url(survey, question, section), matrix=_matrix_page(survey, section),
    )  # fmt: skip


def _matrix_page(survey: Survey, section: Section) -> bool:
    """The page is a table of scales sharing their points (a scale matrix)."""
    mine = questions_of(survey, section)
    return bool(mine and mine[0].settings.get("matrix"))


def _list_kind(qtype: QuestionType, role: str) -> str:
    if not qtype.has_choices or role == QuestionRole.recommendations:
        return ""
    if role == QuestionRole.group:
        return "groups"
    return "points" if qtype.numbered_points else "choices"


def action_url(survey: Survey, question: Question | None, section: Section) -> str:
    if question is None:
        return url_for("builder.add_question", slug=survey.slug, section=section.code)
    return url_for("builder.question", slug=survey.slug, question=question.code)


def wants_json() -> bool:
    """The page's script saves without a reload, and reads the answer as JSON."""
    return request.headers.get("X-Requested-With") == "consult-builder"


def saved_answer(url: str) -> dict[str, Any]:
    return {"saved": True, "url": url, "message": str(_l("Saved."))}
