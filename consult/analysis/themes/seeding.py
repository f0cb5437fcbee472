"""``consult themes seed`` and the page's upload: themes (and assignments) from a workbook.

Sheet ``themes`` (contract): ``question`` or ``recommendation``, ``code``, ``label::English (en)``
(one per language), ``description`` (and optionally ``description::Urdu (ur)`` ...). A theme
whose code exists is changed, otherwise added. Sheet ``Assignments`` (what ``consult themes
export`` writes): ``response_id``, ``question``, ``themes`` (codes, space-separated), ``source``
(machine or reviewed), and ``proposed`` (the machine's themes of a reviewed comment, optional);
each listed comment's themes are replaced. All or nothing: every problem is reported with its
sheet and row, and nothing is saved unless there is none.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from consult.analysis.themes.models import Source, Theme, ThemeAssignment, ThemeReview
from consult.analysis.themes.themes import (
    Scope,
    ThemeInput,
    save_theme,
    survey_themes,
    themes_by_question,
)
from consult.collection.models import Answer, Response
from consult.problems import Problem, Problems, Refusal
from consult.spreadsheets.uploads import UploadError, check_zip
from consult.surveys.models import Survey

THEMES, ASSIGNMENTS = "themes", "Assignments"
MAX_BYTES = 20 * 1024 * 1024
LANGUAGE_COLUMN = re.compile(r"^(label|description)::(?:.*\(([^()]+)\)|\s*([^\s()]+))\s*$")
CHUNK = 500


@dataclass
class Sheets:
    # Sheet name (lower case) → header (lower case) and rows, every cell as text.
    found: dict[str, tuple[list[str], list[list[str]]]] = field(default_factory=dict)


def read_sheets(data: bytes) -> Sheets:
    """The ``themes`` and ``Assignments`` sheets of an .xlsx (bounded before parsing)."""
    if len(data) > MAX_BYTES:
        raise UploadError(_("The file is larger than %(n)d MB.", n=MAX_BYTES // (1024 * 1024)))
    check_zip(data)
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - any parse failure is the file's fault
        raise UploadError(
            _("The .xlsx file could not be read (%(e)s).", e=type(error).__name__)
        ) from None
    sheets = Sheets()
    try:
        for sheet in book.worksheets:
            if sheet.title.lower() not in (THEMES, ASSIGNMENTS.lower()):
                continue
            rows = [
                ["" if v is None else str(v).strip() for v in values]
                for values in sheet.iter_rows(values_only=True)
            ]
            rows = [r for r in rows if any(r)]
            if rows:
                header = [h.lower() for h in rows[0]]
                body = [(r + [""] * len(header))[: len(header)] for r in rows[1:]]
                sheets.found[sheet.title.lower()] = (header, body)
    finally:
        book.close()
    if not sheets.found:
        raise UploadError(_("The workbook has no sheet named themes or Assignments."))
    return sheets


def seed(session: Session, survey: Survey, sheets: Sheets) -> tuple[int, int]:
    """Save the sheets' themes, then their assignments: (themes, comments) saved."""
    problems = Problems()
    saved = _seed_themes(session, survey, sheets, problems)
    problems.raise_any()
    comments = _seed_assignments(session, survey, sheets, problems)
    problems.raise_any()
    return saved, comments


def _theme_inputs(header: list[str], row: list[str]) -> ThemeInput:
    cells = dict(zip(header, row, strict=True))
    label: dict[str, str] = {}
    description: dict[str, str] = {}
    for name, value in cells.items():
        match = LANGUAGE_COLUMN.match(name)
        if match and value:
            lang = (match.group(2) or match.group(3)).strip()
            lang = {"english": "en", "urdu": "ur"}.get(lang.lower(), lang)
            (label if match.group(1) == "label" else description)[lang] = value
    if cells.get("description"):  # the plain column: the survey's default language (seed)
        description.setdefault("", cells["description"])
    return ThemeInput(
        code=cells.get("code", ""),
        scope=Scope(cells.get("question") or None, cells.get("recommendation") or None),
        label=label,
        description=description,
    )


def _seed_themes(session: Session, survey: Survey, sheets: Sheets, problems: Problems) -> int:
    if THEMES not in sheets.found:
        return 0
    header, rows = sheets.found[THEMES]
    missing = {"code"} - set(header)
    if missing or not ({"question", "recommendation"} & set(header)):
        problems.add(_("Sheet themes needs the columns code, question or recommendation, and "
                       "label::… for each language."), where="sheet themes")  # fmt: skip
        return 0
    saved = 0
    for number, row in enumerate(rows, start=2):
        typed = _theme_inputs(header, row)
        if "" in typed.description:  # the plain `description` column: the default language
            plain = typed.description.pop("")
            typed.description.setdefault(survey.default_language, plain)
        existing = session.scalar(
            select(Theme).where(Theme.survey_id == survey.id, Theme.code == typed.code.strip())
        )
        try:
            with session.begin_nested():
                save_theme(session, survey, typed, existing)
            saved += 1
        except Refusal as refusal:
            for p in refusal.problems:
                problems.add(p.message, where=f"sheet themes, row {number}, {p.field or ''}")
    return saved


def _seed_assignments(session: Session, survey: Survey, sheets: Sheets, problems: Problems) -> int:
    if ASSIGNMENTS.lower() not in sheets.found:
        return 0
    header, rows = sheets.found[ASSIGNMENTS.lower()]
    if not {"response_id", "question", "themes"} <= set(header):
        problems.add(_("Sheet Assignments needs the columns response_id, question and themes."),
                     where="sheet Assignments")  # fmt: skip
        return 0
    plan = _plan(session, survey, header, rows, problems)
    if problems:
        return 0
    answer_ids = sorted(plan)
    t, r = ThemeAssignment.__table__.c, ThemeReview.__table__.c
    for start in range(0, len(answer_ids), CHUNK):
        part = answer_ids[start : start + CHUNK]
        session.execute(delete(ThemeAssignment).where(t.answer_id.in_(part)))
        session.execute(delete(ThemeReview).where(r.answer_id.in_(part)))
    new, reviews = [], []
    for answer_id, (source, themes, proposed) in plan.items():
        new += [{"answer_id": answer_id, "theme_id": tid, "source": source} for tid in themes]
        if source == Source.reviewed:
            reviews.append({"answer_id": answer_id, "survey_id": survey.id})
            new += [{"answer_id": answer_id, "theme_id": tid, "source": Source.machine}
                    for tid in proposed]  # fmt: skip
    if new:
        session.execute(insert(ThemeAssignment), new)
    if reviews:
        session.execute(insert(ThemeReview), reviews)
    session.flush()
    return len(plan)


Plan = dict[int, tuple[Source, list[int], list[int]]]


def _plan(
    session: Session, survey: Survey, header: list[str], rows: list[list[str]], problems: Problems
) -> Plan:
    """answer id → (source, theme ids, machine theme ids), checking every row."""
    themes = survey_themes(session, survey)
    applies = {
        qid: {t.code: t.id for t in ts} for qid, ts in themes_by_question(survey, themes).items()
    }
    questions = {q.code: q.id for q in survey.questions if q.id in applies}
    r = Response.__table__.c
    responses = dict(
        session.execute(select(r.public_id, r.id).where(r.survey_id == survey.id)).all()
    )
    a = Answer.__table__.c
    answers = {
        (rid, qid): aid
        for aid, rid, qid in session.execute(
            select(a.id, a.response_id, a.question_id).where(a.question_id.in_(list(applies)))
        )
    }
    plan: Plan = {}
    for number, row in enumerate(rows, start=2):
        cells = dict(zip(header, row, strict=True))
        where = f"sheet Assignments, row {number}"
        found = _row(cells, questions, responses, answers, applies, where)
        if isinstance(found, Problem):
            problems.add(found.message, where=found.where)
        else:
            plan[found[0]] = found[1]
    return plan


def _row(
    cells: dict[str, str],
    questions: dict[str, int],
    responses: dict[str, int],
    answers: dict[tuple[int | None, int], int],
    applies: dict[int, dict[str, int]],
    where: str,
) -> Problem | tuple[int, tuple[Source, list[int], list[int]]]:
    qid = questions.get(cells.get("question", ""))
    if qid is None:
        return Problem(_("%(code)s is no themed comment question.", code=cells.get("question")),
                       where=where)  # fmt: skip
    answer_id = answers.get((responses.get(cells.get("response_id", "")), qid))
    if answer_id is None:
        return Problem(_("No comment of response %(id)s on this question.",
                         id=cells.get("response_id")), where=where)  # fmt: skip
    source = cells.get("source") or Source.machine
    if source not in (Source.machine, Source.reviewed):
        return Problem(_("The source is machine or reviewed."), where=where)
    ids = []
    for column in ("themes", "proposed"):
        codes = (cells.get(column) or "").split()
        unknown = [c for c in codes if c not in applies[qid]]
        if unknown:
            return Problem(_("No theme %(code)s for this question.", code=unknown[0]), where=where)
        ids.append([applies[qid][c] for c in dict.fromkeys(codes)])
    return answer_id, (Source(source), ids[0], ids[1])
