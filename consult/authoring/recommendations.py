"""Authoring recommendations: the policy recommendations a consultation asks about (code, title
and text in every language), and which questions are tagged with each, saved in one go.

Results are reported by recommendation (the recommendation × stakeholder-group matrix), and
rankings of recommendations store their codes: once the survey has responses, recommendations
keep their codes and stay. Flush, never commit; every problem is raised at once (beside its
row's field: ``c<row>-code``, ``c<row>-label-<lang>``; a tag's ``tag-<question>``).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from consult.authoring.answered import has_responses
from consult.authoring.common import Row, check_code, kept_texts, recode
from consult.problems import Problems, Refusal
from consult.surveys.models import Recommendation, Survey


@dataclass
class _Item:
    code: str
    was: str
    label: dict[str, str]
    text: dict[str, str]


def rows_of(survey: Survey) -> list[Row]:
    return [
        Row(code=r.code, was=r.code, label=dict(r.label), text=dict(r.description or {}))
        for r in survey.recommendations
    ]


def save_recommendations(
    session: Session, survey: Survey, rows: list[Row], tags: dict[str, str] | None = None
) -> None:
    """The survey's recommendations become ``rows`` (blank rows left out), in order; ``tags``:
    question code → recommendation code ("" for none), for the questions listed."""
    problems = Problems()
    items = _items(session, survey, rows, problems)
    final = {item.was: item.code for item in items if item.was}
    codes = {item.code for item in items}
    tagging = _tags(survey, tags or {}, final, codes, problems)
    kept = set(final)
    for rec in survey.recommendations:
        if rec.code in kept:
            continue
        tagged = [
            q.code for q in survey.questions
            if q.recommendation is rec and tagging.get(q.code, rec.code) == rec.code
        ]  # fmt: skip
        if tagged:
            message = _l("Questions are tagged with %(rec)s: %(codes)s.", rec=rec.code,
                         codes=", ".join(tagged))  # fmt: skip
            problems.add(str(message))
        elif has_responses(session, survey):
            problems.add(str(_l("This survey has responses: its recommendations stay.")))
    problems.raise_any()
    _apply(session, survey, items, tagging)


def _items(session: Session, survey: Survey, rows: list[Row], problems: Problems) -> list[_Item]:
    items: list[_Item] = []
    existing = {r.code for r in survey.recommendations}
    answered = None
    default = survey.default_language
    for at, row in enumerate(rows):
        if row.blank():
            continue
        code, was = row.code.strip(), row.was if row.was in existing else ""
        try:
            check_code(code, {item.code for item in items})
            if was and was != code:
                answered = has_responses(session, survey) if answered is None else answered
                if answered:
                    raise Refusal.fields(
                        {
                            "code": str(
                                _l("This survey has responses: the code of a recommendation stays.")
                            )
                        }
                    )
        except Refusal as error:
            problems.add(error.by_field().get("code") or str(error), f"c{at}-code")
        if not row.label.get(default, "").strip():
            message = str(_l("A recommendation needs its title."))
            problems.add(message, f"c{at}-label-{default}")
        label, text = (
            kept_texts(row.label, survey.languages),
            kept_texts(row.text, survey.languages),
        )
        items.append(_Item(code, was, label, text))
    return items


def _tags(
    survey: Survey, tags: dict[str, str], final: dict[str, str], codes: set[str],
    problems: Problems,
) -> dict[str, str]:  # fmt: skip
    """Question code → the recommendation's code after this save ("" for none)."""
    found = {}
    questions = {q.code for q in survey.questions}
    for question, code in tags.items():
        if question not in questions:
            continue
        now = final.get(code, code)
        if now and now not in codes:
            problems.add(str(_l("Choose one of the recommendations.")), f"tag-{question}")
            continue
        found[question] = now
    return found


def _apply(session: Session, survey: Survey, items: list[_Item], tagging: dict[str, str]) -> None:
    by_code = {r.code: r for r in survey.recommendations}
    kept = {item.was for item in items if item.was}
    for rec in [r for r in survey.recommendations if r.code not in kept]:
        for question in survey.questions:
            if question.recommendation is rec:
                question.recommendation = None
        survey.recommendations.remove(rec)
    session.flush()  # the dropped go first: a new one may take one of their codes
    existing = [(by_code[item.was], item.code) for item in items if item.was]
    recode(session, [rec for rec, _code in existing], [code for _rec, code in existing])
    for position, item in enumerate(items):
        found = by_code.get(item.was) if item.was else None
        if found is None:
            found = Recommendation(code=item.code, position=position, label={}, description={})
            survey.recommendations.append(found)
        found.position, found.label, found.description = position, item.label, item.text
    survey.recommendations.sort(key=lambda r: r.position)
    now = {r.code: r for r in survey.recommendations}
    for question in survey.questions:
        if question.code in tagging:
            question.recommendation = now.get(tagging[question.code])
    session.flush()
