"""Responses imported from a sheet: all rows or none, each problem named."""

from __future__ import annotations

import io

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import delete, func, select

from consult.accounts.roles import Role
from consult.collection.models import Answer, Response
from tests import factories, known_answers
from tests.conftest import form_tokens

SLUG = "nisp-consultation"


@pytest.fixture
def nisp(session):
    survey = factories.nisp(session)
    known_answers.load(session, survey)
    return survey


def _count(session):
    return session.scalar(select(func.count(Response.id)))


def _sheets(path):
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def _forget_responses(session, survey):
    ids = select(Response.id).where(Response.survey_id == survey.id)
    session.execute(delete(Answer).where(Answer.response_id.in_(ids)))
    session.execute(delete(Response).where(Response.survey_id == survey.id))
    session.expire_all()


@pytest.mark.parametrize("codes", [False, True], ids=["labels", "codes"])
def test_export_import_export_gives_the_same_workbook(runner, session, nisp, tmp_path, codes):
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    extra = ["--codes"] if codes else []
    assert runner.invoke(args=["export", SLUG, str(first), *extra]).exit_code == 0
    _forget_responses(session, nisp)
    result = runner.invoke(args=["import-responses", SLUG, str(first)])
    assert result.exit_code == 0, result.output
    assert "Imported 30 responses" in result.output
    assert runner.invoke(args=["export", SLUG, str(second), *extra]).exit_code == 0
    assert _sheets(first) == _sheets(second)


def _sheet_from_export(runner, tmp_path, edit):
    """An exported sheet of the thirty responses, changed by ``edit(sheet, header)``."""
    path = tmp_path / "export.xlsx"
    runner.invoke(args=["export", SLUG, str(path)])
    book = openpyxl.load_workbook(path)
    sheet = book["Responses"]
    header = {cell.value: cell.column for cell in sheet[1]}
    edit(sheet, header)
    out = tmp_path / "edited.xlsx"
    book.save(out)
    return out


def _refused(runner, path):
    result = runner.invoke(args=["import-responses", SLUG, str(path)])
    assert result.exit_code == 1
    assert "Nothing imported" in result.output
    return result.output


def test_a_wrong_header_is_refused_before_any_row(runner, session, nisp, tmp_path):
    def edit(sheet, header):
        sheet.cell(1, header["province"]).value = "provinse"

    before = _count(session)
    output = _refused(runner, _sheet_from_export(runner, tmp_path, edit))
    assert "row 1, column provinse: not a column of this survey's export" in output
    assert "row 1, column province: this column is missing" in output
    assert _count(session) == before


def test_every_bad_row_and_cell_is_listed_and_nothing_is_stored(runner, session, nisp, tmp_path):
    def edit(sheet, header):
        sheet.cell(2, header["province"]).value = "Atlantis"  # unknown choice
        sheet.cell(3, header["response_id"]).value = sheet.cell(4, header["response_id"]).value
        sheet.cell(5, header["coordination_agree"]).value = "=2+2"  # a formula
        sheet.cell(6, header["information_sources/tv"]).value = "yes"
        sheet.cell(7, header["coordination_comment"]).value = "x" * 32_768
        sheet.cell(8, header["group"]).value = "Astrologers"

    sheet = _sheet_from_export(runner, tmp_path, edit)
    _forget_responses(session, nisp)
    output = _refused(runner, sheet)
    assert "row 2, column province: That is not one of the choices offered." in output
    assert "row 4, column response_id: the same response id as row 3" in output
    assert "row 5, column coordination_agree: a formula: type the value itself" in output
    assert "row 6, column information_sources/tv: Use 1 for a chosen option" in output
    # A cell holds at most 32,767 characters (openpyxl cuts the 32,768th, as Excel would).
    too_long = "Keep the answer to 2000 characters or fewer (it has 32767)."
    assert f"row 7, column coordination_comment: {too_long}" in output
    assert "row 8, column group: not a stakeholder group of this survey" in output
    assert _count(session) == 0


def test_ids_already_stored_are_refused(runner, session, nisp, tmp_path):
    path = tmp_path / "export.xlsx"
    runner.invoke(args=["export", SLUG, str(path)])
    output = _refused(runner, path)
    assert "column response_id: a response with this id is already stored" in output
    assert _count(session) == 30


def test_a_file_that_is_not_a_workbook_is_refused_clearly(runner, nisp, tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("not a spreadsheet")
    assert "This is not an Excel (.xlsx) file." in _refused(runner, path)


def test_typed_in_rows_with_codes_blank_ids_and_urdu_text_import(runner, session, tmp_path):
    survey = factories.nisp(session)
    path = tmp_path / "empty.xlsx"
    runner.invoke(args=["export", SLUG, str(path), "--codes"])  # the empty template
    book = openpyxl.load_workbook(path)
    sheet = book["Responses"]
    header = [cell.value for cell in sheet[1]]
    row = dict.fromkeys(header)
    row |= {"group": "علمائے کرام", "province": "kp", "channel": "paper", "language": "ur"}
    for code in known_answers.ITEMS:
        row[f"{code}_agree"], row[f"{code}_feasible"] = 4, 2
    for rank, code in enumerate(known_answers.ITEMS, start=1):
        row[f"priority_ranking/{code}"] = rank
    row["policy_gaps"] = "مقامی زبانوں میں آگاہی"
    sheet.append([row[name] for name in header])
    book.save(path)
    result = runner.invoke(args=["import-responses", SLUG, str(path)])
    assert result.exit_code == 0, result.output
    stored = session.scalar(select(Response).where(Response.survey_id == survey.id))
    assert (stored.channel, stored.language, stored.region) == ("paper", "ur", "kp")
    assert stored.group.code == "religious_scholars" and len(stored.public_id) == 16
    assert stored.submitted_at.hour == 0  # anonymous: the day only


def test_upload_in_the_admin(client, session, nisp, runner, tmp_path):
    factories.login(client, factories.user(session, Role.organizer, survey=nisp))
    path = tmp_path / "export.xlsx"
    runner.invoke(args=["export", SLUG, str(path)])
    _forget_responses(session, nisp)
    url = f"/admin/surveys/{SLUG}/import"
    empty = client.post(url, data=form_tokens(client, url))
    assert empty.status_code == 400 and "Choose a file." in empty.get_data(as_text=True)
    data = {**form_tokens(client, url), "file": (io.BytesIO(path.read_bytes()), "export.xlsx")}
    done = client.post(url, data=data, content_type="multipart/form-data")
    assert done.status_code == 302, done.get_data(as_text=True)
    assert _count(session) == 30
    again = {**form_tokens(client, url), "file": (io.BytesIO(path.read_bytes()), "export.xlsx")}
    refused = client.post(url, data=again, content_type="multipart/form-data")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Nothing was imported" in page
    assert "a response with this id is already stored" in page
    assert _count(session) == 30
