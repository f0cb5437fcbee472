"""Writing a ``Dataset`` (statfiles.py) as SPSS, Stata or R, within each format's limits.

A writer consumes the dataset: each variable's values are dropped once they are a column of
the data frame, so the two are not held whole at once.

What a format cannot hold is changed visibly and said in ``Dataset.notes``, never cut
silently: SPSS keeps 256 bytes of a variable label and 120 of a value label; Stata 80
characters of a variable label, and text longer than 2045 bytes only as strL (readstat
writes strL for such a column; the note names it). Missing values:

- SPSS: no answer is system-missing (blank text); "not applicable" is a user-missing code
  declared on the variable (-99, or -999, ... when -99 is an answer), labelled.
- Stata: no answer is ``.`` (empty text); "not applicable" is the extended missing ``.a``,
  labelled. Stata text has one missing value, so there both are empty.
- R (.rds, through pyreadr): NA for both; choices are factors with their labels. pyreadr
  writes no variable labels and writes dates as yyyy-mm-dd text (notes say so).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadr
import pyreadstat
from sqlalchemy.orm import Session

from consult.analysis.filters import Filters
from consult.exports.raw import exclusion_note
from consult.exports.statfiles import NA, Dataset, Variable, read_dataset
from consult.surveys.models import Survey
from consult.surveys.questions.statistical import Kind


@dataclass
class StatFile:
    """A written file: how many responses it holds, and what was changed to fit the format."""

    count: int
    notes: list[str]


def statistical_file(
    session: Session,
    survey: Survey,
    lang: str,
    fmt: str,
    target: Path,
    filters: Filters | None = None,
    reader: bool = False,
    excluded: int | None = None,
) -> StatFile:
    """Write the responses of ``survey`` to ``target`` as ``fmt`` (sav, dta or rds).

    ``excluded``: how many responses review left out, stated in the file's notes as in the
    workbook's codebook.
    """
    dataset = read_dataset(session, survey, lang, filters, reader)
    if excluded is not None:
        dataset.notes.append(exclusion_note(excluded, bool(filters and filters.with_excluded)))
    WRITERS[fmt](dataset, target)
    return StatFile(dataset.count, dataset.notes)


SPSS_LABEL_BYTES = 256
SPSS_VALUE_LABEL_BYTES = 120
STATA_LABEL_CHARS = 80
STATA_STR_BYTES = 2045
MARK = "…"
SPSS_DATE_FORMATS = {Kind.date: "DATE11", Kind.datetime: "DATETIME20"}
STATA_DATE_FORMATS = {Kind.date: "%td", Kind.datetime: "%tc"}


def fit_bytes(text: str, limit: int) -> str:
    """``text`` within ``limit`` UTF-8 bytes, cut between characters and marked with …."""
    if len(text.encode()) <= limit:
        return text
    room = limit - len(MARK.encode())
    return text.encode()[:room].decode(errors="ignore").rstrip() + MARK


def fit_chars(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + MARK


def free_code(taken: Iterable[Any], text: bool = False) -> Any:
    """The first of -99, -999, -9999, ... that no value (or label) of the column uses."""
    used = set(taken)
    code = -99
    while (str(code) if text else code) in used:
        code = code * 10 - 9
    return str(code) if text else code


def _labels(variable: Variable, fit: Callable[[str], str], shortened: list[str]) -> dict[Any, str]:
    labels = {}
    for number, label in variable.column.labels.items():
        labels[float(number)] = fit(label)
        if labels[float(number)] != label:
            shortened.append(f"{variable.name}={number}")
    return labels


def _number(values: list[Any], na: Any) -> list[Any]:
    return [na if v is NA else (math.nan if v is None else v) for v in values]


def _text(values: list[Any], na: str) -> list[str]:
    return [na if v is NA else ("" if v is None else v) for v in values]


def _dates_column(
    values: list[Any], kind: Kind, formats: Mapping[Kind, str]
) -> tuple[pd.Series, str | None]:
    """Dates as they are; a column without any stays a date column (else it would be text)."""
    plain = [None if v is NA else v for v in values]
    if any(v is not None for v in plain):
        return pd.Series(plain, dtype=object), None
    return pd.Series([math.nan] * len(plain), dtype="float64"), formats[kind]


def write_sav(dataset: Dataset, target: Path) -> None:
    frame: dict[str, Any] = {}
    value_labels: dict[str, dict[Any, str]] = {}
    missing: dict[str, list[Any]] = {}
    measure: dict[str, str] = {}
    formats: dict[str, str | None] = {}
    shortened: list[str] = []
    for variable in dataset.variables:
        name, column, values = variable.name, variable.column, variable.values
        variable.values = []  # consumed: the column lives on in the frame only
        labels = _labels(variable, lambda t: fit_bytes(t, SPSS_VALUE_LABEL_BYTES), shortened)
        has_na = any(v is NA for v in values)
        if column.kind is Kind.number:
            na = float(free_code([*values, *labels])) if has_na else None
            frame[name] = pd.Series(_number(values, na), dtype="float64")
            measure[name] = "nominal" if labels and column.codes is not None else "scale"
            if na is not None:
                missing[name] = [na]
                labels[na] = fit_bytes(dataset.not_applicable, SPSS_VALUE_LABEL_BYTES)
            if labels:
                value_labels[name] = labels
        elif column.kind is Kind.text:
            na_text = free_code(values, text=True) if has_na else ""
            frame[name] = pd.Series(_text(values, na_text), dtype=object)
            measure[name] = "nominal"
            if has_na:
                missing[name] = [na_text]
                value_labels[name] = {na_text: dataset.not_applicable}
        else:
            frame[name], formats[name] = _dates_column(values, column.kind, SPSS_DATE_FORMATS)
    variable_labels = _variable_labels(dataset, lambda t: fit_bytes(t, SPSS_LABEL_BYTES))
    _note_missing(dataset, "a declared user-missing code (-99, or the first of -999, "
                  "-9999, ... that is no answer), labelled", shortened)  # fmt: skip
    pyreadstat.write_sav(
        pd.DataFrame(frame),
        str(target),
        file_label=fit_bytes(dataset.survey.text(dataset.survey.title, dataset.lang), 64),
        column_labels=variable_labels,
        variable_value_labels=value_labels,
        missing_ranges=missing,
        variable_measure=measure,
        variable_format={k: v for k, v in formats.items() if v},
        # SPSS's own bytecode compression: text columns are as wide as their longest answer.
        row_compress=True,
        # SPSS documents are lines of 80 bytes.
        note=[fit_bytes(line, 80) for note in dataset.notes for line in textwrap.wrap(note, 80)],
    )


def write_dta(dataset: Dataset, target: Path) -> None:
    frame: dict[str, Any] = {}
    value_labels: dict[str, dict[Any, str]] = {}
    missing: dict[str, list[str]] = {}
    formats: dict[str, str | None] = {}
    for variable in dataset.variables:
        name, column, values = variable.name, variable.column, variable.values
        variable.values = []  # consumed: the column lives on in the frame only
        labels: dict[Any, str] = {int(k): v for k, v in column.labels.items()}
        if column.kind is Kind.number:
            if any(v is NA for v in values):
                frame[name] = pd.Series(_number(values, "a"), dtype=object)
                missing[name] = ["a"]
                labels["a"] = dataset.not_applicable
            else:
                frame[name] = pd.Series(_number(values, None), dtype="float64")
            if labels:
                value_labels[name] = labels
        elif column.kind is Kind.text:
            texts = _text(values, "")
            frame[name] = pd.Series(texts, dtype=object)
            longest = max((len(t.encode()) for t in texts), default=0)
            if longest > STATA_STR_BYTES:
                dataset.notes.append(
                    f"{name}: answers up to {longest} bytes, more than Stata's str2045: "
                    "written whole as strL (Stata 13 or later)."
                )
        else:
            frame[name], formats[name] = _dates_column(values, column.kind, STATA_DATE_FORMATS)
    variable_labels = _variable_labels(dataset, lambda t: fit_chars(t, STATA_LABEL_CHARS))
    _note_missing(dataset, "the extended missing value .a, labelled (text: empty, as no "
                  "answer: Stata text has one missing value)", [])  # fmt: skip
    pyreadstat.write_dta(
        pd.DataFrame(frame),
        str(target),
        file_label=fit_chars(dataset.survey.text(dataset.survey.title, dataset.lang), 80),
        column_labels=variable_labels,
        variable_value_labels=value_labels,
        missing_user_values=missing,
        variable_format={k: v for k, v in formats.items() if v},
    )


def write_rds(dataset: Dataset, target: Path) -> None:
    frame: dict[str, Any] = {}
    for variable in dataset.variables:
        column, values = variable.column, variable.values
        variable.values = []  # consumed: the column lives on in the frame only
        plain = [None if v is NA else v for v in values]
        labels = column.labels
        if column.kind is Kind.number and labels and len(set(labels.values())) == len(labels):
            # A factor: its levels are the labels, in the choices' order.
            frame[variable.name] = pd.Categorical(
                [labels.get(int(v)) if v is not None else None for v in plain],
                categories=list(labels.values()),
            )
        elif column.kind is Kind.number:
            frame[variable.name] = pd.Series(_number(plain, None), dtype="float64")
        else:
            frame[variable.name] = pd.Series(plain, dtype=object)
    dataset.notes.append(
        "R: no answer and not applicable are both NA; pyreadr writes no variable labels (the "
        "workbook's codebook and the .sav have them) and writes dates as yyyy-mm-dd text."
    )
    # gzip at level 6, as R's saveRDS (pyreadr's default 9 costs twice the time).
    pyreadr.write_rds(str(target), pd.DataFrame(frame), compress="gzip", compresslevel=6)


def _variable_labels(dataset: Dataset, fit: Callable[[str], str]) -> dict[str, str | None]:
    labels: dict[str, str | None] = {}
    shortened = []
    for variable in dataset.variables:
        labels[variable.name] = fit(variable.column.label)
        if labels[variable.name] != variable.column.label:
            shortened.append(variable.name)
    if shortened:
        dataset.notes.append(
            "Variable labels shortened to fit the format, marked …, full text in the workbook's "
            f"codebook: {', '.join(shortened)}."
        )
    return labels


def _note_missing(dataset: Dataset, how: str, shortened: list[str]) -> None:
    dataset.notes.append(
        f"Missing values: no answer is system-missing; not applicable (skip logic hid the "
        f"question) is {how}. Dates: both system-missing."
    )
    if shortened:
        dataset.notes.append(f"Value labels shortened to fit, marked …: {', '.join(shortened)}.")


WRITERS: Mapping[str, Callable[[Dataset, Path], None]] = {
    "sav": write_sav,
    "dta": write_dta,
    "rds": write_rds,
}
