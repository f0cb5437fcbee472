"""The summary workbook and the results page show the hand-worked figures, and nothing more."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from consult.accounts.roles import Role
from consult.collection.responses import Submission, submit
from consult.exports.summary.workbook import SHEETS
from tests import factories, known_answers
from tests.shell.test_admin import download

SLUG = "nisp-consultation"
UNITS = [
    "Media",
    "Academia",
    "Religious scholars",
    "Community members",
    "Civil society",
    "Security practitioners",
    "Overall (each respondent counts once)",
    "Overall (each group counts equally)",
]


@pytest.fixture
def nisp(session):
    survey = factories.nisp(session)
    known_answers.load(session, survey)
    return survey


@pytest.fixture
def admin(client, session):
    account = factories.user(session, Role.admin)
    factories.login(client, account)
    return account


def _book(client, query=""):
    data = download(client, f"/admin/surveys/{SLUG}/summary.xlsx{query}")
    return data, openpyxl.load_workbook(io.BytesIO(data))


def _rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _find(rows, first):
    return next(row for row in rows if row and row[0] == first)


def test_workbook_matrix_and_rankings_hold_the_hand_worked_figures(client, nisp, admin):
    _, book = _book(client)
    rows = _rows(book["Recommendations"])
    header = _find(rows, "Recommendation")
    coordination = _find(rows, "Inter-agency coordination")
    agree = dict(zip(UNITS, coordination[1 : 1 + len(UNITS)], strict=True))
    assert agree["Media"] == pytest.approx(5 / 8)
    assert agree["Academia"] == pytest.approx(6 / 7)
    assert agree["Religious scholars"] == "<5"
    assert agree["Community members"] == pytest.approx(1 / 6)
    assert agree["Civil society"] == "hidden"
    assert agree["Security practitioners"] is None
    assert agree["Overall (each respondent counts once)"] == pytest.approx(0.6)
    assert agree["Overall (each group counts equally)"] == pytest.approx(
        (5 / 8 + 6 / 7 + 1 / 6) / 3
    )
    n = dict(zip(UNITS, coordination[1 + len(UNITS) : 1 + 2 * len(UNITS)], strict=True))
    assert (n["Media"], n["Religious scholars"], n["Civil society"]) == (8, "<5", 5)
    marks = dict(zip(UNITS, coordination[1 + 2 * len(UNITS) : 1 + 3 * len(UNITS)], strict=True))
    assert marks["Academia"] == "✔ agree"
    assert [u for u, mark in marks.items() if mark] == ["Academia"]
    spread, split = coordination[1 + 3 * len(UNITS) :][:2]
    assert spread == pytest.approx(31 / 7 - 13 / 6) and split == "yes"
    assert header[1 : 1 + len(UNITS)] == [f"{unit} — % agree" for unit in UNITS]

    ranks = _find(_rows(book["Rankings"]), "Inter-agency coordination")
    mean_rank = dict(zip(UNITS, ranks[1 : 1 + len(UNITS)], strict=True))
    borda = dict(zip(UNITS, ranks[1 + len(UNITS) :], strict=True))
    assert (mean_rank["Media"], borda["Media"]) == (1, 40)
    assert mean_rank["Academia"] == pytest.approx(11 / 7) and borda["Academia"] == 31
    assert mean_rank["Overall (each respondent counts once)"] == pytest.approx(2.9)
    assert mean_rank["Overall (each group counts equally)"] == pytest.approx((1 + 11 / 7 + 6) / 3)


def _figures(page, label):
    row = re.search(
        r"<tr><th scope=\"row\"><bdi>" + re.escape(label) + r"</bdi></th>(.*?)</tr>", page, re.S
    )
    assert row, label
    return re.findall(r'<span class="figure">(.*?)</span>', row.group(1))


def test_results_page_shows_the_same_matrix(client, nisp, admin):
    response = client.get(f"/admin/surveys/{SLUG}/results")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _figures(page, "Inter-agency coordination")[:8] == [
        "62.5%", "85.7%", "&lt;5", "16.7%", "hidden", "–", "60.0%", "55.0%",
    ]  # fmt: skip
    assert "✔ agree" in page and "groups split" in page
    ranks = re.findall(
        r'<span class="figure">(.*?)</span> <small>\((.*?)\)</small>',
        page.split("Priorities", 1)[1].split("</tr>", 2)[1],
    )
    assert ranks[:2] == [("1.00", "40"), ("1.57", "31")]
    assert ranks[6][0] == "2.90"


def test_a_group_of_four_shows_no_figure_anywhere(client, nisp, admin):
    _, book = _book(client)
    for name in ("Recommendations", "Rankings"):
        rows = _rows(book[name])
        for header in (r for r in rows if r and r[0] in ("Recommendation", "Item")):
            columns = [
                i for i, label in enumerate(header) if str(label).startswith("Religious scholars")
            ]
            assert len(columns) >= 2
            start = rows.index(header) + 1
            for row in rows[start : start + 6]:
                assert all(row[i] in ("<5", None) for i in columns), (name, row)
    for row in _rows(book["Distributions"]):
        if row[0] in ("Religious scholars", "Khyber Pakhtunkhwa"):
            assert all(value in ("<5", None, 0) for value in row[1:]), row  # 0: nobody answered
    comments = _rows(book["Comments"])
    scholar = next(row for row in comments if row[3] == "Only three of us in this district")
    assert scholar[2] == "Group not shown (fewer than k respondents)"
    assert all(row[2] != "Religious scholars" for row in comments)
    page = client.get(f"/admin/surveys/{SLUG}/results").get_data(as_text=True)
    column = UNITS.index("Religious scholars")
    for label in ("Inter-agency coordination", "Monitoring and evaluation"):
        assert _figures(page, label)[column] == "&lt;5"


def test_user_text_is_safe_text_in_the_comments(client, session, nisp, admin):
    # Leading blanks never come through the web form (it trims them); another tool might.
    comment = next(q for q in nisp.questions if q.code == "coordination_comment")
    for text in ("\ttab first", "\rCR first"):
        answers = known_answers.answers_for(nisp, "media", 7) | {comment.id: text}
        submit(session, nisp, Submission(answers=answers, language="en"))
    _, book = _book(client)
    cells = {c.value: c for row in book["Comments"].iter_rows(min_col=4, max_col=4) for c in row}
    for text in ("=1+1 should stay text", "+92 300 1234567", "@SUM(A1)", "-minus first"):
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text
    assert "\ttab first" in cells and cells["\ttab first"].quotePrefix
    assert "CR first" in cells  # a lone CR is a control character: removed
    assert "evil reversed" in cells  # bidi override and pop removed
    assert "رابطہ کاری بہتر ہو" in cells and not cells["رابطہ کاری بہتر ہو"].quotePrefix


OFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _convert(path, kind, tmp_path):
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [
            OFFICE,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            kind,
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return path.with_suffix("." + kind)


@pytest.mark.skipif(
    OFFICE is None, reason="LibreOffice is not installed (make office-deps installs it)"
)
def test_workbooks_open_in_libreoffice(client, nisp, admin, tmp_path):
    data, _ = _book(client, "?lang=ur")
    summary = tmp_path / "summary.xlsx"
    summary.write_bytes(data)
    assert _convert(summary, "pdf", tmp_path).stat().st_size > 10_000
    raw = tmp_path / "raw.xlsx"
    raw.write_bytes(download(client, f"/admin/surveys/{SLUG}/export.xlsx"))
    lines = _convert(raw, "csv", tmp_path).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("response_id,submitted_at,group,language,channel")
    assert len(lines) == 31


def test_every_sheet_reads_back_and_distributions_has_native_charts(client, nisp, admin):
    data, book = _book(client)
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert calamine.sheet_names == list(SHEETS)
    for name in SHEETS:
        assert calamine.get_sheet_by_name(name).to_python(), name
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        rels = package.read("xl/worksheets/_rels/sheet3.xml.rels").decode()
        drawing = re.search(r'Target="\.\./drawings/(drawing\d+\.xml)"', rels)
        assert drawing, "Distributions has no drawing"
        charts = package.read(f"xl/drawings/_rels/{drawing.group(1)}.rels").decode()
        count = charts.count("/charts/chart")
        chart_xml = package.read(next(n for n in names if n.startswith("xl/charts/chart")))
    assert count == 14  # province, sources and 12 scales; not the unanswered questions
    assert b"<c:barChart>" in chart_xml
    assert book["Comments"].freeze_panes == "A2" and book["Comments"].auto_filter.ref


def test_urdu_workbook_is_in_urdu_and_right_to_left(client, nisp, admin):
    _, book = _book(client, "?lang=ur")
    for name in SHEETS:
        assert book[name].sheet_view.rightToLeft, name
    rows = _rows(book["Recommendations"])
    assert _find(rows, "سفارش")[1:3] == ["میڈیا — ٪ متفق", "تعلیمی و تحقیقی حلقے — ٪ متفق"]
    assert _find(rows, "اداروں کے درمیان رابطہ کاری")[3] == "<5"
    words = {v for row in rows for v in row if isinstance(v, str)}
    assert not words & {"Recommendation", "% agree", "Consensus", "hidden"}
    assert _rows(book["Comments"])[0] == ["سفارش", "سوال", "فریقین کا گروہ", "رائے"]


def test_a_survey_without_responses_gives_a_workbook_that_says_so(client, session, admin):
    factories.nisp(session)
    _, book = _book(client)
    overview = [v for row in _rows(book["Overview"]) for v in row if v]
    assert "No responses yet: there is nothing to summarise." in overview
    assert _rows(book["Comments"])[1][3] == "No comments."
    page = client.get(f"/admin/surveys/{SLUG}/results")
    assert page.status_code == 200
    assert "No responses yet" in page.get_data(as_text=True)


def test_a_32768_character_answer_is_flagged_not_silently_cut(
    client, session, admin, runner, tmp_path
):
    survey = factories.nisp(session)
    answers = known_answers.answers_for(survey, "media", 0)
    comment = next(q for q in survey.questions if q.code == "coordination_comment")
    answers[comment.id] = "x" * 32_768
    submit(session, survey, Submission(answers=answers, language="en"))
    _, book = _book(client)
    text = _rows(book["Comments"])[1][3]
    assert len(text) <= 32_767 and text.endswith("[… cut: 32768 characters in all]")
    raw = openpyxl.load_workbook(io.BytesIO(download(client, f"/admin/surveys/{SLUG}/export.xlsx")))
    header = [c.value for c in raw["Responses"][1]]
    cell = raw["Responses"].cell(2, header.index("coordination_comment") + 1).value
    assert cell.endswith("[… cut: 32768 characters in all]")


def test_filters_narrow_the_page_and_the_workbook(client, nisp, admin):
    page = client.get(f"/admin/surveys/{SLUG}/results?answered=ur").get_data(as_text=True)
    assert '<strong class="total">12</strong>' in page
    _, book = _book(client, "?answered=ur&lang=en")
    overview = _rows(book["Overview"])
    assert _find(overview, "Responses")[1] == 12
    assert _find(overview, "Filters")[1].startswith("Language: اردو; ")  # then exclusion
    bad = client.get(f"/admin/surveys/{SLUG}/results?from=yesterday&channel=pigeon")
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "yesterday is not a date" in text and "There is no channel pigeon." in text
    refused = client.get(f"/admin/surveys/{SLUG}/summary.xlsx?from=2026-12-01&to=2026-01-01")
    assert (
        refused.status_code == 400
        and "The first day is after the last day." in refused.get_data(as_text=True)
    )


def test_cli_writes_the_summary_in_urdu(runner, nisp, tmp_path):
    target = tmp_path / "summary.xlsx"
    result = runner.invoke(args=["export", SLUG, str(target), "--summary", "--lang", "ur"])
    assert result.exit_code == 0, result.output
    assert "Wrote the summary of 30 responses" in result.output
    book = openpyxl.load_workbook(target)
    assert book["Overview"].sheet_view.rightToLeft
    wrong = runner.invoke(args=["export", SLUG, str(target), "--summary", "--lang", "fr"])
    assert wrong.exit_code == 1 and "not fr" in wrong.output
    filtered = runner.invoke(
        args=["export", SLUG, str(target), "--summary", "--language", "ur", "--channel", "web"]
    )
    assert "Wrote the summary of 12 responses" in filtered.output


def test_a_group_of_one_shows_no_figure(client, session, nisp, admin):
    answers = known_answers.answers_for(nisp, "media", 0)
    group = next(q for q in nisp.questions if q.code == "group")
    submit(session, nisp, Submission(answers=answers | {group.id: "security"}, language="en"))
    _, book = _book(client)
    coordination = _find(_rows(book["Recommendations"]), "Inter-agency coordination")
    security = UNITS.index("Security practitioners")
    assert coordination[1 + security] == "<5"
    assert coordination[1 + len(UNITS) + security] == "<5"
    page = client.get(f"/admin/surveys/{SLUG}/results").get_data(as_text=True)
    assert _figures(page, "Inter-agency coordination")[security] == "&lt;5"


def test_an_empty_matrix_says_why(client, session):
    from tests import factories as made

    survey = made.small(session)
    made.login(client, made.user(session, Role.admin))
    page = client.get(f"/admin/surveys/{survey.slug}/results").get_data(as_text=True)
    assert "This table has nothing to show yet" not in page
    for question in survey.questions:  # as a survey built without tagging its scales
        question.recommendation = None
    session.flush()
    page = client.get(f"/admin/surveys/{survey.slug}/results").get_data(as_text=True)
    assert "No scale question is tagged with a recommendation" in page
