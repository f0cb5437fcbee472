"""The summary workbook as a service: the contract's sheets, right to left in Urdu, counts that
match the responses, and no figure for a group under k."""

from __future__ import annotations

import io

import openpyxl

from consult.exports.summary.workbook import SHEETS, summary_workbook
from tests import factories


def _fill(session, survey, media=6, academia=2):
    for i in range(media):
        factories.answered(session, survey, {"group": "media", "agree": str(1 + i % 5),
                                             "comment": f"view {i}"})  # fmt: skip
    for _ in range(academia):
        factories.answered(session, survey, {"group": "academia", "agree": "5"})


def _book(session, survey, lang="en"):
    target = io.BytesIO()
    summary = summary_workbook(session, survey, lang, target, helper=False)
    target.seek(0)
    return summary, openpyxl.load_workbook(target)


def test_the_contract_sheets_are_there(session):
    survey = factories.small(session)
    _fill(session, survey)
    summary, book = _book(session, survey)
    assert {"Overview", "Recommendations", "Distributions", "Comments", "Codebook"} <= set(
        book.sheetnames
    )
    assert book.sheetnames == [name for name in SHEETS if name in book.sheetnames]
    assert summary.total == 8


def test_urdu_sheets_run_right_to_left(session):
    survey = factories.small(session)
    _fill(session, survey)
    _summary, book = _book(session, survey, "ur")
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)


def test_a_group_under_k_shows_no_figure(session):
    survey = factories.small(session)
    _fill(session, survey, media=6, academia=2)
    summary, book = _book(session, survey)
    assert summary.small_groups == {"academia"}
    cells = [c.value for row in book["Recommendations"].iter_rows() for c in row]
    assert "<5" in cells
    comments = [c.value for row in book["Comments"].iter_rows() for c in row]
    assert "view 3" in comments
