"""SPSS (.sav), Stata (.dta) and R (.rds) files of the raw responses, with their labels.

The rows are the raw export's rows in codes mode (``raw.raw_table``): the same responses, the
same fixed columns (an anonymous survey's day only, in random order), the same values. Each
question type says what its columns are in a statistical file (``StatColumn``,
``surveys/questions/statistical.py``): numbers, text or dates, and which number and label each
choice code becomes. Here the cells become columns of a data frame and each missing answer is
marked either "no answer" or "not applicable" (skip logic hid the question, judged from the
stored answers by ``collection.skiplogic.not_applicable``); ``statwriters.py`` writes the
format, with what it had to change (labels shortened, long strings) in its notes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import force_locale, gettext
from sqlalchemy.orm import Session

from consult.analysis.filters import Filters
from consult.collection.skiplogic import not_applicable
from consult.exports.raw import raw_table
from consult.spreadsheets.tables import Cell
from consult.surveys.columns import FIXED_MEANING, exported_questions
from consult.surveys.models import Survey
from consult.surveys.questions import question_type
from consult.surveys.questions.statistical import Kind, StatColumn, numbered

FORMATS = ("sav", "dta", "rds")
MIMETYPES = {
    "sav": "application/x-spss-sav",
    "dta": "application/x-stata-dta",
    "rds": "application/octet-stream",
}
# Variable names both SPSS and Stata accept: ASCII letters, digits and _, at most 32.
NAME_LENGTH = 32


class NotApplicable:
    """The mark of an answer skip logic hid (distinct from no answer, which is None)."""

    def __repr__(self) -> str:
        return "NA"


NA = NotApplicable()


@dataclass
class Variable:
    """One column of the file: its name, what the type says it is, and its values."""

    name: str
    column: StatColumn
    # The question whose skip logic may make a missing value "not applicable" (None: fixed).
    question: str | None
    values: list[Any] = field(default_factory=list)
    # Cells the column could not hold (a code no longer among the choices, text in a date).
    dropped: int = 0


@dataclass
class Dataset:
    """What a writer needs: the variables with their values, and words in the file's language."""

    survey: Survey
    lang: str
    variables: list[Variable]
    count: int
    not_applicable: str
    notes: list[str] = field(default_factory=list)


def read_dataset(
    session: Session,
    survey: Survey,
    lang: str,
    filters: Filters | None = None,
    reader: bool = False,
) -> Dataset:
    """The raw rows (codes) turned into typed columns with their missing marks."""
    variables = _variables(survey, lang)
    hidden = not_applicable(survey)
    table = raw_table(session, survey, lang, codes=True, filters=filters, reader=reader,
                      extra=hidden)  # fmt: skip
    if filters is not None and filters.with_excluded:
        variables.append(Variable(_unique("excluded", variables), StatColumn("excluded"), None))
    converters = [_converter(v.column) for v in variables]
    columns = [v.values for v in variables]
    for row in table.rows:
        skipped: frozenset[str] = row.pop() if hidden is not None else frozenset()  # type: ignore[assignment]
        for variable, convert, values, cell in zip(
            variables, converters, columns, row, strict=True
        ):
            if cell is None or cell == "":
                values.append(NA if variable.question in skipped else None)
                continue
            value = convert(cell)
            if value is None:
                variable.dropped += 1
            values.append(value)
    dataset = Dataset(survey, lang, variables, table.count, _not_applicable_label(lang))
    for variable in variables:
        if variable.dropped:
            dataset.notes.append(
                f"{variable.name}: {variable.dropped} values that are not "
                f"{variable.column.kind.value}s left missing (they are in the workbook)."
            )
    return dataset


def _not_applicable_label(lang: str) -> str:
    with force_locale(lang):
        return gettext("not applicable (skipped)")


def _variables(survey: Survey, lang: str) -> list[Variable]:
    """The fixed columns, then each question's, named for SPSS and Stata."""
    found: list[Variable] = []
    groups = [(g.code, survey.text(g.label, lang)) for g in survey.groups]
    group_codes, group_labels = numbered(groups)
    kinds = {"submitted_at": Kind.date if survey.anonymous else Kind.datetime}
    for name, meaning in FIXED_MEANING.items():
        column = StatColumn(meaning, kinds.get(name, Kind.text))
        if name == "group":
            column = StatColumn(meaning, Kind.number, group_codes, group_labels)
        found.append(Variable(_unique(name, found), column, None))
    for question in exported_questions(survey):
        qtype = question_type(question.type)
        for header, column in zip(
            qtype.columns(question), qtype.stat_columns(question, lang), strict=True
        ):
            found.append(Variable(_unique(header, found), column, question.code))
    return found


def _unique(header: str, taken: list[Variable]) -> str:
    """A raw column's header as a name SPSS and Stata accept, different from those before."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", header)
    if not re.match(r"[A-Za-z]", name):
        name = f"v_{name}"
    name = name[:NAME_LENGTH]
    used = {v.name.casefold() for v in taken}
    stem, number = name, 2
    while name.casefold() in used:
        suffix = f"_{number}"
        name, number = stem[: NAME_LENGTH - len(suffix)] + suffix, number + 1
    return name


def _converter(column: StatColumn) -> Callable[[Cell], Any]:
    """A raw cell → the column's value, or None when the column cannot hold it."""
    if column.codes is not None:
        codes = column.codes
        return lambda cell: codes.get(str(cell))
    if column.kind is Kind.number:
        # Numbers as they are (small ints are shared objects); the writer makes the column float.
        return lambda cell: cell if isinstance(cell, int | float) else None
    if column.kind is Kind.date:
        return lambda cell: cell if isinstance(cell, date) else None
    if column.kind is Kind.datetime:
        return lambda cell: cell if isinstance(cell, datetime) else None
    return str
