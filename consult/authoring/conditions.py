"""Skip logic without typing expressions: the condition editor's rows (question, comparison,
value; all or any) checked and written as the XLSForm expression that is stored
(surveys/conditions.py writes it), or an expert's typed expression kept as typed.

Problems are named by row field (``k<row>-question``, ``k<row>-op``, ``k<row>-value``), so the
editor shows each beside its row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from consult.problems import Problems
from consult.surveys.conditions import (
    WITHOUT_VALUE,
    Condition,
    ConditionError,
    Rule,
    read,
    write,
)
from consult.surveys.models import Question, Survey
from consult.surveys.questions import question_type

NUMERIC = frozenset({"<", "<=", ">", ">="})
# How the relevance is given: by the condition rows, or as an expression typed by an expert.
BY_CONDITIONS, TYPED = "conditions", "typed"


@dataclass
class ConditionRow:
    question: str = ""
    op: str = ""
    # An answer picked from the question's options, as "<question code>:<choice code>".
    choice: str = ""
    # A value typed (a number, a text, or an option's code or words).
    typed: str = ""

    def blank(self) -> bool:
        return not self.question.strip()


@dataclass
class RelevanceInput:
    mode: str = BY_CONDITIONS
    join: str = "all"
    rows: list[ConditionRow] = field(default_factory=list)
    # The expression as an expert typed it (used in TYPED mode).
    typed: str = ""


def sources(survey: Survey, question: Question | None) -> list[Question]:
    """The questions a condition may read, in the respondent's order."""
    return [
        q
        for q in survey.ordered_questions()
        if q is not question and question_type(q.type).comparisons
    ]


def relevance(
    survey: Survey, question: Question | None, data: RelevanceInput, problems: Problems
) -> str:
    """The expression to store ("" for none); problems by row field."""
    if data.mode == TYPED:
        return data.typed.strip()
    by_code = {q.code: q for q in sources(survey, question)}
    conditions = []
    for at, row in enumerate(data.rows):
        if row.blank():
            continue
        source = by_code.get(row.question)
        if source is None:
            problems.add(str(_l("Choose a question.")), f"k{at}-question")
            continue
        if row.op not in question_type(source.type).comparisons:
            problems.add(str(_l("Choose a comparison.")), f"k{at}-op")
            continue
        value = "" if row.op in WITHOUT_VALUE else _value(source, row, at, problems)
        if value is not None:
            conditions.append(Condition(source.code, row.op, value))
    try:
        return write(Rule(tuple(conditions), "any" if data.join == "any" else "all"))
    except ConditionError:
        problems.add(str(_l("A value may hold ' or \", not both.")), "relevant")
        return ""


def _value(source: Question, row: ConditionRow, at: int, problems: Problems) -> str | None:
    options = source.options()
    if options:
        question, _, picked = row.choice.partition(":")
        if question == source.code and any(code == picked for code, _label in options):
            return picked
        typed = row.typed.strip().casefold()
        for code, label in options:
            if typed and (typed == code.casefold() or typed in _words(label)):
                return code
        problems.add(str(_l("Choose one of the answers of this question.")), f"k{at}-value")
        return None
    typed = row.typed.strip()
    if not typed:
        problems.add(str(_l("Give the value to compare with.")), f"k{at}-value")
        return None
    if row.op in NUMERIC:
        try:
            float(typed)
        except ValueError:
            problems.add(str(_l("A number, please.")), f"k{at}-value")
            return None
    return typed


def _words(label: dict[str, str]) -> set[str]:
    return {text.strip().casefold() for text in label.values()}


def input_of(survey: Survey, expression: str) -> RelevanceInput:
    """A stored relevance as the editor shows it: rows when the editor can, else typed."""
    rule = read(expression)
    if rule is None:
        return RelevanceInput(TYPED, "all", [], expression)
    with_options = {q.code for q in survey.questions if q.options()}
    rows = [
        ConditionRow(
            c.question, c.op,
            f"{c.question}:{c.value}" if c.question in with_options and c.value else "",
            "" if c.question in with_options else c.value,
        )
        for c in rule.conditions
    ]  # fmt: skip
    return RelevanceInput(BY_CONDITIONS, rule.join, rows, expression)
