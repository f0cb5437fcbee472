"""How the summary workbook words and shows one figure: labels, "<k", user text."""

from __future__ import annotations

from typing import Any

from xlsxwriter.workbook import Workbook

from consult.analysis.summarising import NOT_GIVEN, OVERALL, WEIGHTED, Cell, Result, Status, Summary
from consult.exports.summary.wording import channel_name, words
from consult.i18n import NATIVE_NAMES
from consult.spreadsheets.sanitise import clean_display_text, needs_quote_prefix
from consult.surveys.models import QuestionRole

# Numeric formats: a string in such a cell ("<5", "hidden") gets the "small" look instead.
NUMERIC = {"pct", "num", "int"}


def unit_label(summary: Summary, unit: str, lang: str, by: str = "group") -> str:
    """The words for a column or row of figures: a group, a province, an overall."""
    w = words(lang)
    survey = summary.survey
    if unit == OVERALL:
        return w["overall"]
    if unit == WEIGHTED:
        return w["weighted"]
    if unit == NOT_GIVEN:
        return w["not_given"]
    if by == "group":
        group = next((g for g in survey.groups if g.code == unit), None)
        return survey.text(group.label, lang) if group else unit
    for question in survey.questions:
        if question.role == QuestionRole.region:
            labels = dict(question.options())
            return survey.text(labels[unit], lang) if unit in labels else unit
    return unit


def cell_value(cell: Cell, stat: str, k: int, lang: str) -> str | float | None:
    """What a figure's cell shows: the number, or why there is none."""
    if cell.status == Status.small:
        return words(lang)["small"].format(k=k)
    if cell.status == Status.hidden:
        return words(lang)["hidden"]
    if cell.status == Status.empty:
        return None
    return cell.figures.get(stat)


def n_value(cell: Cell, k: int, lang: str) -> str | float | None:
    if cell.status == Status.small:
        return words(lang)["small"].format(k=k)
    return cell.n


def safe_text(value: str) -> tuple[str, bool]:
    """User text made safe for a cell, and whether it needs the quote prefix."""
    text = clean_display_text(value)
    return text, needs_quote_prefix(text)


def language_name(code: str) -> str:
    return NATIVE_NAMES.get(code, code)


def channel_label(code: str, lang: str) -> str:
    return channel_name(code, lang)


def result_label(result: Result, lang: str) -> str:
    """A question's heading: its text in the workbook's language (codes are in the Codebook)."""
    question = result.question
    return question.survey.text(question.label, lang)


def filters_text(summary: Summary, lang: str) -> str:
    """Which responses the summary covers, in words (the Overview sheet, the brief)."""
    f, w = summary.filters, words(lang)
    # Stated every time: whether responses left out after review count.
    excluded = w["with_left_out"] if f.with_excluded else w["left_out"]
    if not f.active:
        return f"{w['no_filters']}; {excluded}"
    parts = []
    if f.group:
        parts.append(f"{w['group']}: {unit_label(summary, f.group, lang)}")
    if f.province:
        parts.append(f"{w['region']}: {unit_label(summary, f.province, lang, 'region')}")
    if f.channel:
        parts.append(f"{w['channel']}: {channel_label(f.channel, lang)}")
    if f.language:
        parts.append(f"{w['language']}: {language_name(f.language)}")
    if f.since:
        parts.append(f"{w['from']} {f.since.isoformat()}")
    if f.until:
        parts.append(f"{w['to']} {f.until.isoformat()}")
    return "; ".join([*parts, excluded])


def make_formats(book: Workbook, rtl: bool) -> dict[str, Any]:
    """The summary's cell formats by name; text ones also as "<name>_q" (quote-prefixed)."""
    reading = {"reading_order": 2} if rtl else {}
    spec: dict[str, dict[str, Any]] = {
        "title": {"bold": True, "font_size": 14},
        "caption": {"bold": True, "font_size": 12},
        "header": {"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"},
        "sub": {"bold": True, "italic": True},
        "text": {"valign": "top"},
        "wrap": {"text_wrap": True, "valign": "top"},
        "note": {"italic": True, "font_color": "#444444", "text_wrap": True},
        "mark": {"bold": True, "font_color": "#1A7F37"},
        "small": {"font_color": "#666666", "align": "center"},
        "pct": {"num_format": "0.0%"},
        "num": {"num_format": "0.00"},
        "int": {"num_format": "#,##0"},
        "date": {"num_format": "yyyy-mm-dd"},
    }
    formats = {}
    for name, props in spec.items():
        text = name not in NUMERIC and name != "date"
        formats[name] = book.add_format(props | (reading if text else {}))
        if text:  # the same look, marked as text: for user text that starts like a formula
            formats[name + "_q"] = book.add_format(props | reading | {"quote_prefix": True})
    return formats
