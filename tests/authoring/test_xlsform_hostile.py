"""Hostile and broken XLSForms: refused quickly, in little memory, with the row; nothing kept."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from sqlalchemy import func, select

from consult.authoring.xlsform.convert import import_xlsform
from consult.authoring.xlsform.read import XLSFormError
from consult.surveys.models import Survey

LIMIT_SECONDS = 5
LIMIT_BYTES = 300 * 1024 * 1024


def workbook(survey_rows, choices_rows=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey_rows:
        sheet.append(row)
    if choices_rows is not None:
        choices = book.create_sheet("choices")
        for row in choices_rows:
            choices.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HEAD = ["type", "name", "label", "relevant"]
YES_NO = [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]]


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<a>" + "0" * 200_000_000 + "</a>")
    return buffer.getvalue()


def billion_laughs() -> bytes:
    """A valid workbook whose sheet XML declares nested entities (defusedxml must refuse it)."""
    good = workbook([HEAD, ["text", "a", "A"]])
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
            for i in range(1, 10)
        )
        + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    source = zipfile.ZipFile(io.BytesIO(good))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = laughs.encode()
            archive.writestr(item, data)
    return buffer.getvalue()


def formula_without_value() -> bytes:
    return workbook([HEAD, ["text", "a", '=CONCAT("A","B")']])


HOSTILE = {
    "empty workbook": (lambda: workbook([]), "no question"),
    "empty file": (lambda: b"", "empty"),
    "csv renamed": (lambda: b"type,name,label\ntext,a,A\n", "not a valid .xlsx"),
    "zip bomb": (zip_bomb, "unpacks to far more data"),
    "billion laughs": (billion_laughs, "could not be read"),
    "duplicate names": (
        lambda: workbook([HEAD, ["text", "a", "A"], ["integer", "a", "B"]]),
        "row 3 (a)",
    ),
    "missing list": (
        lambda: workbook([HEAD, ["select_one nolist", "a", "A"]], YES_NO),
        "row 2: no list named 'nolist'",
    ),
    "relevance syntax error": (
        lambda: workbook([HEAD, ["text", "a", "A"], ["text", "b", "B", "${a} = = 'x'"]]),
        "row 3: relevant",
    ),
    "unknown name": (
        lambda: workbook([HEAD, ["text", "a", "A"], ["text", "b", "B", "${nobody} = 'x'"]]),
        "row 3 (b)",
    ),
    "relevance cycle": (
        lambda: workbook(
            [HEAD, ["text", "a", "A", "${b} = 'x'"], ["text", "b", "B", "${a} = 'y'"]]
        ),
        "refers back to itself",
    ),
    "100 KB label": (lambda: workbook([HEAD, ["text", "a", "x" * 100_000]]), "row 2"),
    "formula without value": (formula_without_value, "row 2: a formula"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_files_are_refused_quickly_in_little_memory_and_nothing_is_kept(session, name):
    make, expected = HOSTILE[name]
    data = make()
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(XLSFormError) as refused:
            import_xlsform(session, data, fallback_name="hostile")
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert expected in str(refused.value)
    assert elapsed < LIMIT_SECONDS
    assert peak < LIMIT_BYTES
    assert session.scalar(select(func.count(Survey.id))) == 0


def test_defusedxml_is_what_openpyxl_parses_with():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def test_a_sheet_claiming_a_million_rows_is_read_to_its_last_row_quickly(session):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(HEAD)
    sheet.append(["text", "a", "A"])
    for row in range(3, 3000):  # stray formatting far below the form
        sheet.cell(row=row, column=1).number_format = "0.00"
        sheet.cell(row=row, column=1).value = None
    sheet.cell(row=1_048_576, column=1).value = None
    sheet.cell(row=1_048_576, column=1).number_format = "0.00"
    buffer = io.BytesIO()
    book.save(buffer)
    started = time.perf_counter()
    survey = import_xlsform(session, buffer.getvalue(), fallback_name="long").survey
    assert time.perf_counter() - started < LIMIT_SECONDS
    assert [q.code for q in survey.questions] == ["a"]


def test_an_html_label_is_kept_as_text_and_shown_escaped(client, session):
    label = '<script>alert("x")</script><b>bold</b>'
    data = workbook([HEAD, ["text", "a", label]])
    survey = import_xlsform(session, data, slug="html-label").survey
    survey.open()
    session.flush()
    assert survey.questions[0].label == {"en": label}
    page = client.get("/s/html-label").get_data(as_text=True)
    assert "&lt;script&gt;alert" in page and '<script>alert("x")' not in page


def test_unsupported_features_are_refused_or_left_out_and_listed(session):
    rows = [
        HEAD,
        ["start", "started", ""],
        ["deviceid", "device", ""],
        ["geoshape", "area", "Where?"],
        ["text", "a", "A"],
        ["select_one_from_file towns.csv", "town", "Town"],
        ["image", "photo", "Photo"],
    ]
    with pytest.raises(XLSFormError) as refused:
        import_xlsform(session, workbook(rows), fallback_name="meta")
    # Every problem at once, each with its row; warnings are not problems.
    assert [m.split(":")[0] for m in refused.value.messages()] == [
        "sheet survey, row 4",
        "sheet survey, row 6",
    ]
    assert "choices from a file" in str(refused.value)
    imported = import_xlsform(session, workbook(rows), fallback_name="meta", skip_unsupported=True)
    assert [q.code for q in imported.survey.questions] == ["started", "a"]
    assert len(imported.skipped) == 2 and "row 4: geo shapes" in imported.skipped[0]
    assert [w.split(":")[0] for w in imported.warnings] == [
        "sheet survey, row 3",
        "sheet survey, row 7",
    ]
