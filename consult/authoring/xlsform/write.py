"""XLSForm out: a survey as a workbook that ``import_xlsform`` reads back to the same survey, and
that Excel, KoboToolbox and ODK open (consult's extras are extra columns and sheets).

Every text cell is written as text: formula-looking labels get Excel's quote prefix, so a label
such as "=cmd|..." never becomes a formula in the organiser's Excel.
"""

from __future__ import annotations

from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Font

from consult.spreadsheets.sanitise import clean_text, needs_quote_prefix
from consult.surveys.checks import other_label
from consult.surveys.models import Question, QuestionRole, Survey
from consult.surveys.questions import question_type

LANGUAGE_NAMES = {"en": "English", "ur": "Urdu", "zh": "Chinese", "ar": "Arabic", "fr": "French"}
PARAMETER_KEYS = ("min", "max", "max_length", "min_selections", "max_selections")
GROUPS_LIST = "stakeholder_groups"
# consult's bounds (min, max, max_length, min/max_selections) in an extension column of their own:
# pyxform checks the standard "parameters" column against its own list for each type.
BOUNDS = "consult_parameters"
RECOMMENDATIONS_LIST = "recommendations"
# consult's sheet of the survey's texts (title, description, thanks) in every language.
TEXTS = "consult_texts"


def language_column(base: str, code: str) -> str:
    return f"{base}::{LANGUAGE_NAMES.get(code, code)} ({code})"


def write_xlsform(survey: Survey, target: str | IO[bytes]) -> None:
    book = Workbook()
    book.remove(book.active)
    sheet = book.create_sheet("survey")
    langs = survey.languages
    lists = _Lists(survey)
    survey_rows = [_group_rows(survey, section, lists) for section in survey.sections]
    _write(
        sheet,
        ["type", "name", *_i18n_columns("label", langs), *_i18n_columns("hint", langs),
         "required", *_i18n_columns("required_message", langs), "relevant", "constraint",
         *_i18n_columns("constraint_message", langs), "appearance", "default", BOUNDS,
         "calculation", "choice_filter", "role", "recommendation"],
        [row for rows in survey_rows for row in rows],
    )  # fmt: skip
    _write(
        book.create_sheet("choices"),
        ["list_name", "name", *_i18n_columns("label", langs), "stakeholder_group",
         *lists.columns],
        lists.rows,
    )  # fmt: skip
    if survey.recommendations:
        _write(
            book.create_sheet("recommendations"),
            ["name", *_i18n_columns("label", langs), *_i18n_columns("description", langs)],
            [
                {"name": r.code, **_i18n("label", r.label), **_i18n("description", r.description)}
                for r in survey.recommendations
            ],
        )
    _write(
        book.create_sheet("settings"),
        ["form_title", "form_id", "default_language", "anonymous", "k_min",
         "allow_choice_duplicates"],
        [{
            "form_title": survey.text(survey.title, survey.default_language),
            "form_id": survey.slug,
            "default_language": language_column("x", survey.default_language).split("::")[1],
            "anonymous": "yes" if survey.anonymous else "no", "k_min": str(survey.k_min),
            **({"allow_choice_duplicates": "yes"} if _duplicates(survey) else {}),
        }],
    )  # fmt: skip
    # The survey's texts in every language: pyxform's settings sheet takes one title only.
    _write(
        book.create_sheet(TEXTS),
        ["name", *_i18n_columns("label", langs)],
        [{"name": key, **_i18n("label", getattr(survey, key))}
         for key in ("title", "description", "thanks") if getattr(survey, key)],
    )  # fmt: skip
    book.save(target)


def _duplicates(survey: Survey) -> bool:
    """Whether a list names a choice twice (a cascading select's copies, see cascades.py)."""
    return any(
        len(variants) > 1
        for q in survey.questions
        for variants in q.settings.get("choice_columns", {}).values()
    )


def _i18n_columns(base: str, langs: list[str]) -> list[str]:
    return [language_column(base, code) for code in langs]


def _i18n(base: str, text: dict[str, str] | None) -> dict[str, str]:
    return {language_column(base, code): value for code, value in (text or {}).items()}


class _Lists:
    """The choices sheet: one list per distinct set of choices, shared where questions agree."""

    def __init__(self, survey: Survey) -> None:
        self.rows: list[dict[str, str]] = []
        self.names: dict[tuple[Any, ...], str] = {}
        # The choices' own columns that cascading selects filter on (cf, province, ...).
        self.columns: list[str] = []
        if survey.groups:
            for g in survey.groups:
                self.rows.append(
                    {"list_name": GROUPS_LIST, "name": g.code, "stakeholder_group": "yes",
                     **_i18n("label", g.label)}
                )  # fmt: skip
        if survey.recommendations:
            for r in survey.recommendations:
                self.rows.append(
                    {"list_name": RECOMMENDATIONS_LIST, "name": r.code, **_i18n("label", r.label)}
                )

    def name_for(self, question: Question) -> str:
        if question.role == QuestionRole.group:
            return GROUPS_LIST
        if question.role == QuestionRole.recommendations:
            return RECOMMENDATIONS_LIST
        auto = other_label(question.survey.languages)
        choices = [
            c
            for c in question.choices
            if not (question.settings.get("other") and c.code == "other" and c.label == auto)
        ]
        columns = question.settings.get("choice_columns", {})
        key = tuple(
            (c.code, tuple(sorted(c.label.items())), repr(columns.get(c.code))) for c in choices
        )
        if key not in self.names:
            name = question.code
            self.names[key] = name
            for c in choices:
                for variant in columns.get(c.code) or [{}]:
                    self.columns += [k for k in variant if k not in self.columns]
                    self.rows.append(
                        {"list_name": name, "name": c.code, **_i18n("label", c.label), **variant}
                    )
        return self.names[key]


def _group_rows(survey: Survey, section: Any, lists: _Lists) -> list[dict[str, str]]:
    questions = section.questions
    recs = {q.recommendation.code if q.recommendation else None for q in questions}
    shared = recs.pop() if len(recs) == 1 else None
    matrix = bool(questions) and all(q.settings.get("matrix") for q in questions)
    rows = [
        {"type": "begin group", "name": section.code, **_i18n("label", section.title),
         **_i18n("hint", section.intro), "appearance": "table-list" if matrix else "field-list",
         "recommendation": shared or ""}
    ]  # fmt: skip
    for question in questions:
        rows.append(_question_row(question, lists, shared))
    rows.append({"type": "end group", "name": ""})
    return rows


def _question_row(question: Question, lists: _Lists, shared: str | None) -> dict[str, str]:
    s = question.settings
    qtype = question_type(question.type)
    kind, appearance = qtype.xlsform_type(
        question, lists.name_for(question) if qtype.has_choices else None
    )
    if s.get("appearance"):
        appearance.append(s["appearance"])
    rec = question.recommendation.code if question.recommendation else ""
    return {
        "type": kind,
        "name": question.code,
        **_i18n("label", question.label),
        **_i18n("hint", question.hint),
        "required": "yes" if question.required else "",
        **_i18n("required_message", s.get("required_message")),
        "relevant": s.get("relevant", ""),
        "constraint": s.get("constraint", ""),
        **_i18n("constraint_message", s.get("constraint_message")),
        "appearance": " ".join(appearance),
        "default": str(s.get("default", "")),
        BOUNDS: " ".join(f"{k}={s[k]}" for k in PARAMETER_KEYS if k in s),
        "calculation": s.get("calculation", ""),
        "choice_filter": s.get("choice_filter", ""),
        "role": question.role or "",
        "recommendation": rec if rec != shared else "",
    }


def _write(sheet: Any, headers: list[str], rows: list[dict[str, str]]) -> None:
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=2):
        for column, header in enumerate(headers, start=1):
            value = row.get(header, "")
            if value == "":
                continue
            cell = sheet.cell(row=number, column=column)
            cell.value = clean_text(str(value))
            cell.data_type = "s"  # text, even when it looks like a formula or a number
            if needs_quote_prefix(cell.value):
                cell.quotePrefix = True
