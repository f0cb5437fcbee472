"""Responses from a spreadsheet in the raw export layout: every row, or none.

For answers collected on paper and typed into Excel, or exported from another tool. The sheet is
``Responses`` (or the first sheet) of an .xlsx, with the columns of ``consult export`` (labels or
``--codes``; order free). Each row goes through the same form fields and validators as a web
answer, so what is refused on the web is refused here, with the same message. Every problem is
listed by row and column; the responses are stored only when there is none.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from consult.collection import computed
from consult.collection.form import AnswerForm, field_name, response_form_class
from consult.collection.models import Channel, Response
from consult.collection.responses import bulk_loaded, insert_responses, submission_time
from consult.collection.skiplogic import judge
from consult.problems import Problem, Refusal
from consult.spreadsheets.uploads import (
    MB,
    Limits,
    NotAWorkbook,
    UploadError,
    open_workbook,
    sheet_rows,
)
from consult.surveys.columns import FIXED_COLUMNS, exported_questions
from consult.surveys.models import Question, QuestionRole, Survey
from consult.surveys.questions import question_type
from consult.surveys.questions.base import CellError, FormData, cell_text

# Identifiers: ours are 16 hex digits; other tools' may differ, within what the column holds.
PUBLIC_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,32}$")
# A typed-in sheet of a few thousand responses is far within these; the shared strings (parsed
# whole when the workbook opens) are capped so that a small hostile file costs little.
IMPORT_LIMITS = Limits(
    size=20 * MB, unpacked=400 * MB, member=300 * MB, strings=2 * MB, rows=200_000,
    columns=5_000,
)  # fmt: skip
# Problems listed at most: past this, a count says how many more there are.
MAX_LISTED = 200
CHUNK = 1000


def at(row: int, column: str | None, message: str) -> Problem:
    """A problem in a cell, placed "row 5, column group" (in the import's language); rows are
    numbered as the spreadsheet numbers them, the header being row 1."""
    where = _("row %(row)d", row=row)
    if column:
        where += ", " + _("column %(column)s", column=column)
    return Problem(str(message), field=column, where=where)


@dataclass
class _Reader:
    """One question's columns and how they become form data."""

    question: Question
    columns: list[str]
    convert: Callable[[list[Any]], FormData]


def import_responses(
    session: Session, survey: Survey, source: str | IO[bytes], lang: str = "en"
) -> int:
    """Validate every row of ``source``, then store them all; returns how many. Flushes only.

    Problems are worded in ``lang`` (outside a request too: the command line has no locale).
    """
    with force_locale(lang):
        book = _open(source)
        try:
            return _import(session, survey, book)
        finally:
            book.close()  # a read-only workbook keeps its file open until closed


def row_reader(survey: Survey, headers: list[str] | None = None) -> RowReader:
    """A reader of rows in the raw export's layout (``headers``: the sheet's column order;
    None: the export's own). The API reads a posted response with it, as a one-row sheet."""
    readers = [
        _Reader(q, question_type(q.type).columns(q), question_type(q.type).importer(q))
        for q in exported_questions(survey)
    ]
    if headers is None:
        headers = list(FIXED_COLUMNS) + [c for r in readers for c in r.columns]
    _check_header(headers, readers)
    index = {name: i for i, name in enumerate(headers)}
    form_class = response_form_class(survey, survey.default_language, base=AnswerForm)
    group_question = next((q for q in survey.questions if q.role == QuestionRole.group), None)
    return RowReader(survey, form_class, group_question, readers, index)


def _import(session: Session, survey: Survey, book: Any) -> int:
    headers, rows = _read(book)
    reader = row_reader(survey, headers)
    problems: list[Problem] = []
    more = 0
    seen: dict[str, int] = {}
    parsed = []
    for number, cells in rows:
        found, response = reader.read(number, cells)
        public_id = response.get("public_id") if response else None
        if public_id and public_id in seen:
            found.append(
                at(
                    number,
                    "response_id",
                    _("the same response id as row %(row)d", row=seen[public_id]),
                )
            )
        elif public_id:
            seen[public_id] = number
        if found:
            space = MAX_LISTED - len(problems)
            problems += found[:space]
            more += len(found[space:]) if space < len(found) else 0
        elif response:
            parsed.append(response)
    problems += _already_stored(session, seen)
    if problems or more:
        raise Refusal(problems[:MAX_LISTED], more=more + max(0, len(problems) - MAX_LISTED))
    _store(session, survey, parsed)
    return len(parsed)


def _open(source: str | IO[bytes]) -> Any:
    """The workbook, opened within IMPORT_LIMITS (formulas kept as formulas: they are refused)."""
    try:
        data = Path(source).read_bytes() if isinstance(source, str) else source.read()
    except OSError as error:
        raise Refusal([at(1, None, _("The file cannot be read."))]) from error
    if len(data) > IMPORT_LIMITS.size:
        message = _("The file is larger than %(size)d MB.", size=IMPORT_LIMITS.size // MB)
        raise Refusal([at(1, None, message)])
    try:
        return open_workbook(data, IMPORT_LIMITS, data_only=False)
    except NotAWorkbook as error:
        raise Refusal([at(1, None, _("This is not an Excel (.xlsx) file."))]) from error
    except UploadError as error:  # within the limits of imports: their message says which
        raise Refusal([at(1, None, str(error))]) from error


def _read(book: Any) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    sheet = book["Responses"] if "Responses" in book.sheetnames else book.worksheets[0]
    iterator = enumerate(sheet_rows(sheet, IMPORT_LIMITS, values_only=False), start=1)
    try:
        _number, header_cells = next(iterator)
    except StopIteration:
        raise Refusal([at(1, None, _("The sheet is empty."))]) from None
    headers = [cell_text(c.value) for c in header_cells]
    while headers and not headers[-1]:
        headers.pop()

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, cells in iterator:
                values = list(cells)[: len(headers)]
                if all(c.value in (None, "") for c in values):
                    continue  # blank rows between entries are not responses
                yield number, values
        except UploadError as error:
            raise Refusal([at(IMPORT_LIMITS.rows, None, str(error))]) from None

    return headers, rows()


def _check_header(headers: list[str], readers: list[_Reader]) -> None:
    expected = list(FIXED_COLUMNS) + [c for r in readers for c in r.columns]
    problems = []
    for name in sorted({h for h in headers if headers.count(h) > 1}):
        problems.append(at(1, name, _("this column appears twice")))
    for name in headers:
        if name not in expected:
            problems.append(
                at(1, name or "?", _("not a column of this survey's export (check the name)"))
            )
    for name in expected:
        if name not in headers:
            problems.append(at(1, name, _("this column is missing")))
    if problems:
        raise Refusal(problems)


@dataclass
class RowReader:
    """Reads one row of the sheet into a response, or the problems that stop it."""

    survey: Survey
    form_class: Any
    group_question: Question | None
    readers: list[_Reader]
    # Column name → its position in the sheet.
    index: dict[str, int]

    def read(self, number: int, cells: list[Any]) -> tuple[list[Problem], dict[str, Any] | None]:
        problems = [
            at(number, name, _("a formula: type the value itself"))
            for name, i in self.index.items()
            if i < len(cells) and getattr(cells[i], "data_type", None) == "f"
        ]
        if problems:
            return problems, None
        value = {
            name: (cells[i].value if i < len(cells) else None) for name, i in self.index.items()
        }
        formdata: MultiDict[str, str] = MultiDict({"nonce": "import"})
        response = self._fixed(number, value, formdata, problems)
        self._answers(number, value, formdata, problems)
        form = self.form_class(formdata=formdata)
        form.validate()
        # Skip logic, as on the web: what does not apply is not required, and may not be
        # answered; constraints are judged with the row's answers.
        judged = judge(self.survey, form, self.survey.default_language)
        problems += self._form_problems(number, form)
        problems += self._not_applying(number, value, judged.skipped)
        if problems:
            return problems, None
        response["answers"] = {
            question.id: stored
            for question, fld in form.answer_fields()
            if question.code not in judged.skipped
            and (stored := question_type(question.type).to_storage(question, fld.data)) is not None
        }
        given = {
            r.question.code: cell_text(value[r.columns[0]])
            for r in self.readers
            if question_type(r.question.type).computed and cell_text(value[r.columns[0]])
        }
        now = computed.moment(self.survey, given=given)
        response["answers"] |= computed.computed_answers(
            self.survey, judged.answers, now, judged.skipped
        )
        return [], response

    def _not_applying(self, number: int, value: dict[str, Any], skipped: set[str]) -> list[Problem]:
        """An answer given to a question that does not apply to this row, by its column."""
        found = []
        for reader in self.readers:
            if reader.question.code not in skipped:
                continue
            given = [c for c in reader.columns if cell_text(value[c]) not in ("", "0")]
            if given:
                found.append(
                    at(
                        number,
                        given[0],
                        _(
                            "answered, but this question does not apply"
                            " to this row (its condition is not met)"
                        ),
                    )
                )
        return found

    def _fixed(
        self, number: int, value: dict[str, Any], formdata: MultiDict[str, str],
        problems: list[Problem],
    ) -> dict[str, Any]:  # fmt: skip
        """The fixed columns: response id, time, language, channel, group."""
        survey, response = self.survey, dict[str, Any]()
        public_id = cell_text(value["response_id"])
        if public_id and not PUBLIC_ID.match(public_id):
            problems.append(at(number, "response_id", _("use up to 32 letters and digits")))
        response["public_id"] = public_id or None
        response["submitted_at"] = _when(value["submitted_at"])
        if response["submitted_at"] is None and value["submitted_at"] not in (None, ""):
            problems.append(at(number, "submitted_at", _("not a date (use 2026-11-25)")))
        language = cell_text(value["language"]) or survey.default_language
        if language not in survey.languages:
            problems.append(at(number, "language", _("not one of this survey's languages")))
        response["language"] = language
        channel = cell_text(value["channel"]) or Channel.imported.value
        if channel not in {c.value for c in Channel}:
            message = _("use web, enumerator, paper, import or synthetic")
            problems.append(at(number, "channel", message))
        response["channel"] = channel
        self._group(number, cell_text(value["group"]), formdata, problems)
        return response

    def _group(
        self, number: int, group: str, formdata: MultiDict[str, str], problems: list[Problem]
    ) -> None:
        if not group or self.group_question is None:
            return
        groups = self.survey.groups
        code = next((g.code for g in groups if group in (g.code, *g.label.values())), None)
        if code is None:
            problems.append(at(number, "group", _("not a stakeholder group of this survey")))
        else:
            formdata.add(field_name(self.group_question), code)

    def _answers(
        self, number: int, value: dict[str, Any], formdata: MultiDict[str, str],
        problems: list[Problem],
    ) -> None:  # fmt: skip
        """Each question's cells as the form data its field reads."""
        for reader in self.readers:
            try:
                data = reader.convert([value[c] for c in reader.columns])
            except CellError as error:
                problems.append(at(number, reader.columns[error.offset], error.message))
                continue
            for suffix, values in data.items():
                for item in values:
                    formdata.add(field_name(reader.question) + suffix, item)

    def _form_problems(self, number: int, form: Any) -> list[Problem]:
        """The form's messages, each placed in the column its question came from."""
        columns = {field_name(r.question): r.columns[0] for r in self.readers}
        if self.group_question is not None:
            columns[field_name(self.group_question)] = "group"
        return [
            at(number, columns[name], str(e))
            for name, errors in form.errors.items()
            if name in columns
            for e in errors
        ]


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time())
    text = cell_text(value)
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _already_stored(session: Session, seen: dict[str, int]) -> list[Problem]:
    ids = list(seen)
    stored: set[str] = set()
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        stored |= set(
            session.scalars(select(Response.public_id).where(Response.public_id.in_(part)))
        )
    return [
        at(seen[pid], "response_id", _("a response with this id is already stored"))
        for pid in sorted(stored, key=seen.__getitem__)
    ]


def _store(session: Session, survey: Survey, parsed: list[dict[str, Any]]) -> None:
    groups = {g.code: g.id for g in survey.groups}
    roles = {q.id: q.role for q in survey.questions}
    for start in range(0, len(parsed), CHUNK):
        batch = parsed[start : start + CHUNK]
        rows = []
        for item in batch:
            answers = item["answers"]
            group = next((v for q, v in answers.items() if roles[q] == QuestionRole.group), None)
            region = next((v for q, v in answers.items() if roles[q] == QuestionRole.region), None)
            when = item["submitted_at"] or submission_time(survey)
            if survey.anonymous:  # anonymous surveys keep only the day, as for web answers
                when = when.replace(hour=0, minute=0, second=0, microsecond=0)
            rows.append(
                {
                    "survey_id": survey.id,
                    "public_id": item["public_id"] or secrets.token_hex(8),
                    "group_id": groups.get(group) if group else None,
                    "region": region,
                    "language": item["language"],
                    "channel": item["channel"],
                    "submitted_at": when,
                }
            )
        insert_responses(session, rows, [item["answers"] for item in batch])
    bulk_loaded(session, len(parsed))
