"""A workbook without traps: headings unique and complete, question text (not codes) in
headings and chart titles, the Rankings chart longer for the more important item and drawn from
zero (checked in LibreOffice's rendering), and a raw export with widths, dates, labels and a
file name that says what it holds."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pytest

from consult.accounts.roles import Role
from consult.analysis import summarising
from consult.analysis.priorities import priorities
from consult.analysis.summarising import OVERALL
from consult.exports.summary.workbook import SHEETS
from tests import factories, known_answers
from tests.shell.test_admin import download

SLUG = "nisp-consultation"
OFFICE = shutil.which("soffice") or shutil.which("libreoffice")
GREEN = (0x0B, 0x5D, 0x3B)  # the Rankings chart's "each respondent once" series


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


def _book(client, lang):
    data = download(client, f"/admin/surveys/{SLUG}/summary.xlsx?lang={lang}")
    return data, openpyxl.load_workbook(io.BytesIO(data))


def _header_cells(sheet):
    """Rows of heading cells: bold with a rule beneath (the workbook's "header" style)."""
    for row in sheet.iter_rows():
        cells = [c for c in row if c.value is not None and c.font.b and c.border.bottom.style]
        if cells:
            yield [c.value for c in cells]


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_no_heading_repeats_within_its_row_and_none_is_a_code(client, nisp, admin, lang):
    data, book = _book(client, lang)
    codes = {q.code for q in nisp.questions}
    for name in SHEETS:
        for headings in _header_cells(book[name]):
            repeated = {h for h in headings if headings.count(h) > 1}
            assert not repeated, (name, repeated)
        if name == "Codebook":
            continue  # the codebook's job is to give the codes
        for row in book[name].iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    assert value not in codes and value.split(" — ")[0] not in codes, (name, value)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        charts = [package.read(n).decode() for n in package.namelist() if "charts/chart" in n]
    titles = [
        "".join(re.findall(r"<a:t>(.*?)</a:t>", xml.split("</c:title>")[0])) for xml in charts
    ]
    assert titles and all(t and t not in codes for t in titles)
    if lang == "ur":
        assert all(re.search("[\u0600-\u06ff]", t) for t in titles), titles


def test_the_rankings_chart_draws_borda_points_from_zero(client, nisp, admin):
    data, book = _book(client, "en")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        charts = [package.read(n).decode() for n in package.namelist() if "charts/chart" in n]
    ranking = next(xml for xml in charts if "Borda points, overall" in xml)
    assert '<c:min val="0"/>' in ranking
    # Its values are the Borda columns, not the mean ranks.
    rows = [list(r) for r in book["Rankings"].iter_rows(values_only=True)]
    header = next(r for r in rows if r[0] == "Item")
    column = header.index("Overall (each respondent counts once) — Borda points")
    letter = openpyxl.utils.get_column_letter(column + 1)
    assert f"Rankings!${letter}$" in ranking


def _bars(image, colour):
    """Lengths of the horizontal runs of ``colour``, one per bar, from top to bottom."""
    width, height = image.size
    pixels = image.load()

    def near(p):
        return all(abs(a - b) <= 24 for a, b in zip(p[:3], colour, strict=True))

    bars, inside = [], False
    for y in range(height):
        xs = [x for x in range(width) if near(pixels[x, y])]
        if len(xs) >= 2 and not inside:
            bars.append(0)
            inside = True
        if xs:
            bars[-1] = max(bars[-1], xs[-1] - xs[0])
        else:
            inside = False
    return bars


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice is not installed (make office-deps)")
def test_libreoffice_draws_the_most_important_item_longest(client, session, nisp, admin, tmp_path):
    if not shutil.which("pdftoppm"):
        reason = "pdftoppm is missing (make pdf-deps installs Debian's poppler-utils)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from PIL import Image

    data, _ = _book(client, "en")
    path = tmp_path / "summary.xlsx"
    path.write_bytes(data)
    subprocess.run(  # noqa: S603 - fixed arguments
        [OFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True, timeout=240, check=True,
    )  # fmt: skip
    subprocess.run(  # noqa: S603 - fixed arguments
        [shutil.which("pdftoppm"), "-r", "100", "-png", str(tmp_path / "summary.pdf"),
         str(tmp_path / "page")],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    found = []
    for png in sorted(tmp_path.glob("page-*.png")):
        bars = _bars(Image.open(png).convert("RGB"), GREEN)
        if len(bars) >= 6:  # the six bars, top to bottom, then the legend's swatch
            found = bars[:6]
    assert len(found) == 6, "no page shows the six green bars of the Rankings chart"
    result = summarising.summarise(summarising.frames(session, nisp), nisp).rankings()[0]
    order = [code for code, _ in result.question.options()]
    ranked = priorities(result, OVERALL, "en")
    # The longest bar is the item with the most Borda points, and bars grow with the points.
    assert found.index(max(found)) == order.index(ranked[0].code), (found, ranked)
    points = {p.code: p.points for p in ranked}
    by_points = sorted(range(6), key=lambda i: points[order[i]])
    by_length = sorted(range(6), key=lambda i: found[i])
    assert by_points[-1] == by_length[-1] and by_points[0] == by_length[0]


def test_the_raw_export_has_widths_dates_labels_and_a_telling_name(client, nisp, admin):
    response = client.get(f"/admin/surveys/{SLUG}/export.xlsx?lang=ur")
    data = response.data
    disposition = response.headers["Content-Disposition"]
    response.close()
    assert response.headers["Cache-Control"] == "no-store"
    assert re.search(r"nisp-consultation-responses-ur-\d{4}-\d{2}-\d{2}\.xlsx", disposition)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Responses"]
    header = [c.value for c in sheet[1]]
    submitted = sheet.cell(2, header.index("submitted_at") + 1)
    # An anonymous survey keeps only the day: a date cell shown as a date, no 00:00.
    assert submitted.is_date and submitted.number_format.replace("\\", "") == "yyyy-mm-dd"
    width = sheet.column_dimensions[openpyxl.utils.get_column_letter(2)].width
    assert width >= 12  # never "###"
    agree = sheet.cell(2, header.index("coordination_agree") + 1).value
    assert agree in {"بالکل متفق نہیں", "متفق نہیں", "غیر جانبدار", "متفق", "مکمل طور پر متفق"}
    codes = client.get(f"/admin/surveys/{SLUG}/export.xlsx?codes=1")
    assert "responses-codes-" in codes.headers["Content-Disposition"]
    coded = openpyxl.load_workbook(io.BytesIO(codes.data))["Responses"]
    codes.close()
    assert coded.cell(2, header.index("coordination_agree") + 1).value in {1, 2, 3, 4, 5}


def test_summary_and_brief_names_say_kind_language_and_day(client, nisp, admin):
    response = client.get(f"/admin/surveys/{SLUG}/summary.xlsx?lang=ur")
    response.close()
    assert re.search(
        r"nisp-consultation-summary-ur-\d{4}-\d{2}-\d{2}\.xlsx",
        response.headers["Content-Disposition"],
    )


def test_the_overview_names_the_group_and_province_filters(client, nisp, admin):
    data = download(client, f"/admin/surveys/{SLUG}/summary.xlsx?group=media&province=punjab")
    rows = [
        list(r)
        for r in openpyxl.load_workbook(io.BytesIO(data))["Overview"].iter_rows(values_only=True)
    ]
    filters = next(r for r in rows if r[0] == "Filters")
    assert filters[1] == (
        "Stakeholder group: Media; Province or region: Punjab;"
        " responses left out after review are not counted (the default)"
    )
    assert next(r for r in rows if r[0] == "Responses")[1] == 8
