"""Duplicating a question or a page: the copy sits right after the original, under free codes
(``agree`` → ``agree_2``), with its texts, settings, rules, tags and choices.

What a survey has once (the stakeholder-group and region questions) is not copied as such:
the copy is an ordinary question. In a copied page, rules that refer to questions of the same
page refer to their copies (a page asked again for another recommendation), rules that refer
elsewhere stay as they are. Flush, never commit.
"""

from __future__ import annotations

import copy

from sqlalchemy.orm import Session

from consult.authoring.common import renumber
from consult.authoring.content import questions_of
from consult.surveys.expressions import tokenize
from consult.surveys.models import Choice, Question, Section, Survey

RULE_SETTINGS = ("relevant", "constraint", "calculation", "choice_filter")


def free_code(code: str, taken: set[str]) -> str:
    """``code`` with the first suffix _2, _3 … not taken (kept within 64 characters)."""
    base = code
    for number in range(2, 10_000):
        candidate = f"{base[: 63 - len(str(number))]}_{number}"
        if candidate not in taken:
            return candidate
    raise ValueError("no free code")  # pragma: no cover - ten thousand copies


def renamed(expression: str, names: dict[str, str]) -> str:
    """``expression`` with each ``${old}`` reference written ``${new}`` (strings untouched)."""
    out, at = [], 0
    for token in tokenize(expression):
        if token.kind == "ref" and token.text[2:-1] in names:
            out.append(expression[at : token.at] + "${" + names[token.text[2:-1]] + "}")
            at = token.at + len(token.text)
    return "".join(out) + expression[at:]


def _copy(question: Question, code: str, section: Section, names: dict[str, str]) -> Question:
    settings = copy.deepcopy(question.settings)
    for key in RULE_SETTINGS:
        if isinstance(settings.get(key), str):
            settings[key] = renamed(settings[key], names)
    return Question(
        code=code, section=section, position=question.position, type=question.type,
        role=None, required=question.required, label=dict(question.label),
        hint=dict(question.hint or {}), settings=settings,
        recommendation=question.recommendation,
        choices=[Choice(code=c.code, position=c.position, label=dict(c.label))
                 for c in question.choices],
    )  # fmt: skip


def duplicate_question(session: Session, survey: Survey, question: Question) -> Question:
    """A copy of ``question`` right after it, on the same page."""
    code = free_code(question.code, {q.code for q in survey.questions})
    copied = _copy(question, code, question.section, {})
    mine = questions_of(survey, question.section)
    survey.questions.append(copied)
    mine.insert(mine.index(question) + 1, copied)
    renumber(mine)
    session.flush()
    return copied


def duplicate_section(session: Session, survey: Survey, section: Section) -> Section:
    """A copy of the page right after it, its questions under free codes."""
    page = Section(
        code=free_code(section.code, {s.code for s in survey.sections}),
        position=section.position, title=dict(section.title or {}),
        intro=dict(section.intro or {}),
    )  # fmt: skip
    sections = list(survey.sections)
    sections.insert(sections.index(section) + 1, page)
    survey.sections.append(page)
    renumber(sections)
    survey.sections.sort(key=lambda s: s.position)
    taken = {q.code for q in survey.questions}
    names: dict[str, str] = {}
    for question in questions_of(survey, section):
        names[question.code] = free_code(question.code, taken)
        taken.add(names[question.code])
    for question in questions_of(survey, section):
        survey.questions.append(_copy(question, names[question.code], page, names))
    session.flush()
    return page
