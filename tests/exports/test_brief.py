"""The policy brief: the hand-worked figures of the 30 known answers, read back from the PDF
with poppler's pdftotext; no figure for a group of four; Urdu shaped and right to left in the
page images (pdftoppm); a fingerprint that changes when one answer changes.

poppler-utils and WeasyPrint's Pango come from Debian (`make pdf-deps`, run by `make test`);
where they cannot be had these tests skip and say why, except under CI=true, where they fail.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess

import pytest
from sqlalchemy import update

from consult.accounts.roles import Role
from consult.collection.models import Answer
from consult.exports.brief.content import brief_content
from tests import factories, known_answers

SLUG = "nisp-consultation"
FIGURES = ["62.5%", "85.7%", "<5", "16.7%", "hidden", "–", "60.0%", "55.0%"]
TOKEN = re.compile(r"^(<5|hidden|–|\d+\.\d%)$")


def _need(tool: str) -> str:
    found = shutil.which(tool)
    if found:
        return found
    reason = f"{tool} is missing (make pdf-deps installs Debian's poppler-utils)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module", autouse=True)
def weasyprint_works():
    try:
        import weasyprint  # noqa: F401
    except OSError as error:  # Pango missing
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"WeasyPrint cannot load Pango: {error}")
        pytest.skip(f"WeasyPrint cannot load Pango (make pdf-deps installs it): {error}")


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


def _pdf(client, query=""):
    response = client.get(f"/admin/surveys/{SLUG}/brief.pdf{query}")
    data = response.data
    response.close()
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    return data, response.headers["Content-Disposition"]


def _run(tool, *args, data):
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [_need(tool), *args], input=data, capture_output=True, timeout=60, check=True
    )
    return done.stdout


def _words(data):
    """(page, xMin, yMin, word) of every word, from pdftotext -bbox."""
    xhtml = _run("pdftotext", "-bbox", "-", "-", data=data).decode()
    found, page = [], 0
    for line in xhtml.splitlines():
        if "<page " in line:
            page += 1
        word = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>(.*?)</word>', line)
        if word:
            text = word.group(3).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
            found.append((page, float(word.group(1)), float(word.group(2)), text))
    return found


def _panel_figures(words, heading, next_heading):
    """The figures of the panel whose heading starts with ``heading`` (the left-hand one)."""
    top = next(w for w in words if w[3] == heading)
    below = next(w for w in words if w[3] == next_heading and w[0] == top[0] and w[2] > top[2])
    column = [
        w
        for w in words
        if w[0] == top[0] and top[2] < w[2] < below[2] and w[1] < 297 and TOKEN.match(w[3])
    ]
    return [w[3] for w in sorted(column, key=lambda w: (w[2], w[1]))]


def test_the_brief_holds_the_hand_worked_figures(client, nisp, admin):
    data, disposition = _pdf(client, "?lang=en")
    assert re.search(r"nisp-consultation-brief-en-\d{4}-\d{2}-\d{2}\.pdf", disposition)
    pages = int(re.search(rb"Pages:\s+(\d+)", _run("pdfinfo", "-", data=data)).group(1))
    assert 4 <= pages <= 8
    words = _words(data)
    # The agreement panel of coordination: groups in survey order, then the two overalls.
    assert _panel_figures(words, "Inter-agency", "Adequate,") == FIGURES
    text = _run("pdftotext", "-layout", "-", "-", data=data).decode()
    # Consensus and splits in words, from the same figures.
    plain = " ".join(text.split())
    assert (
        "Inter-agency coordination: Academia agree; Media and Community members are divided. "
        "The groups are split: their means lie 2.26 points apart."
    ) in plain
    neutral = "Monitoring and evaluation: Media, Academia and Community members are mostly neutral."
    assert neutral in plain
    # Priorities: coordination's overall mean rank 2.9.
    assert "2.90" in text
    # The method appendix: k, the consensus rule and a fingerprint.
    assert "k = 5" in text and "At least 70% on one side" in plain
    assert re.search(r"sha256:[0-9a-f]{64}", text)


def test_a_group_of_four_shows_no_figure_in_the_brief(client, nisp, admin):
    data, _ = _pdf(client, "?lang=en")
    text = _run("pdftotext", "-layout", "-", "-", data=data).decode()
    lines = [line.split() for line in text.splitlines() if line.strip().startswith("Religious")]
    assert lines
    for line in lines:
        # "Religious scholars" then its figures: only "<5" (or the 0 of a province it lacks).
        figures = [t for t in line[2:] if t not in ("Religious", "scholars")]
        assert all(t in ("<5", "0") or not re.search(r"\d", t) for t in figures), line
    plain = " ".join(text.split())
    for part in plain.split("In plain words")[1:]:
        words = re.split("Where each stakeholder group stands|Top-ranked priorities", part)[0]
        assert "Religious scholars" not in words


def test_the_fingerprint_changes_when_one_answer_changes(session, nisp):
    before = brief_content(session, nisp, "en").digest
    assert brief_content(session, nisp, "en").digest == before  # the same inputs, the same
    agree = next(q for q in nisp.questions if q.code == "coordination_agree")
    first = session.query(Answer).filter_by(question_id=agree.id, value="5").first()
    session.execute(update(Answer).where(Answer.id == first.id).values(value="4"))
    session.expire_all()
    after = brief_content(session, nisp, "en").digest
    assert after != before and len(after) == 64


def _ink_band(image, top, bottom):
    """(left, right) of the dark pixels in rows top..bottom of a greyscale page image."""
    crop = image.crop((0, top, image.width, bottom)).point(lambda v: 255 if v < 128 else 0)
    box = crop.getbbox()
    assert box, "no ink"
    return box[0], box[2]


def _title_rows(image):
    """The rows of the page's title: the tallest run of rows with ink in the top third."""
    rows = [
        any(image.getpixel((x, y)) < 128 for x in range(0, image.width, 2))
        for y in range(image.height // 3)
    ]
    runs, start = [], None
    for y, inked in enumerate([*rows, False]):
        if inked and start is None:
            start = y
        elif not inked and start is not None:
            runs.append((start, y))
            start = None
    return max(runs, key=lambda r: r[1] - r[0])


def _png(data, dpi=72):
    from PIL import Image

    png = _run("pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", "-gray", "-", data=data)
    return Image.open(io.BytesIO(png)).convert("L")


def _line_width(app, text):
    """The ink width of ``text`` laid out alone by WeasyPrint as the brief's Urdu title is."""
    from consult.exports.brief.render import fetcher, font_path

    with app.app_context():
        font = font_path()
        return _ink_width(text, font, fetcher(font))


def _ink_width(text, font, fetch):
    from weasyprint import HTML

    page = (
        '<html lang="ur" dir="rtl"><style>'
        f'@font-face {{ font-family: "N"; src: url("{font.as_uri()}") }}'
        "@page { size: 600mm 100mm; margin: 10mm }"
        'h1 { font: 400 20pt "N"; white-space: nowrap }</style>'
        f"<h1>{text}</h1></html>"
    )
    image = _png(HTML(string=page, url_fetcher=fetch).write_pdf())
    box = image.point(lambda v: 255 if v < 128 else 0).getbbox()
    return box[2] - box[0]


def test_urdu_is_shaped_and_right_to_left_in_the_page_images(
    app, client, session, nisp, admin, caplog
):
    """How it is checked: pdftoppm turns page 1 into a PNG. Right to left: the title's ink ends at
    the right edge of the text block, as far from the page's edge as the English title
    starts from the left one, and leaves the room on its left. Shaped: the same title laid
    out alone by WeasyPrint twice, once as it is and once with a zero-width non-joiner
    between letters (every letter in its isolated form, as an unshaped renderer would draw
    it); joined Nastaliq is much narrower, and the brief's title has the joined width."""
    data, _ = _pdf(client, "?lang=ur")
    page = _png(data)
    top, bottom = _title_rows(page)
    left, right = _ink_band(page, top, bottom)
    english, _ = _pdf(client, "?lang=en")
    mirror = _png(english)
    e_left, e_right = _ink_band(mirror, *_title_rows(mirror))
    # English starts at the left edge of the text block; Urdu ends at its right edge, the
    # mirror image, and leaves the room on its left.
    assert e_left < mirror.width - e_right
    assert abs((page.width - right) - e_left) <= 4, (page.width - right, e_left)
    assert left > (page.width - right) + 40, (left, right)

    title = nisp.text(nisp.title, "ur")
    joined = _line_width(app, title)
    isolated = _line_width(app, "\u200c".join(title))
    assert joined < 0.85 * isolated, (joined, isolated)
    # The font was loaded every time (a failed load would fall back to another face quietly).
    assert not [
        r for r in caplog.records if r.name == "weasyprint" and "font" in r.getMessage().lower()
    ]
    assert abs((right - left) - joined) <= max(6, 0.03 * joined), (right - left, joined)


def test_the_brief_command_writes_urdu(runner, nisp, tmp_path):
    target = tmp_path / "brief.pdf"
    result = runner.invoke(args=["brief", SLUG, str(target), "--lang", "ur"])
    assert result.exit_code == 0, result.output
    assert "Wrote the brief of 30 responses" in result.output
    assert target.read_bytes().startswith(b"%PDF")
    wrong = runner.invoke(args=["brief", SLUG, str(target), "--lang", "fr"])
    assert wrong.exit_code == 1 and "not fr" in wrong.output
    narrow = runner.invoke(args=["brief", SLUG, str(target), "--group", "nobody"])
    assert narrow.exit_code == 1 and "There is no stakeholder group nobody." in narrow.output


def test_page_workbook_and_brief_give_the_same_figures(client, nisp, admin):
    """The coordination row of the agreement matrix, in all three, is the hand-worked row."""
    import openpyxl

    from tests.analysis.test_results import _figures
    from tests.shell.test_admin import download

    page = client.get(f"/admin/surveys/{SLUG}/results").get_data(as_text=True)
    on_page = [t.replace("&lt;", "<") for t in _figures(page, "Inter-agency coordination")[:8]]
    book = openpyxl.load_workbook(
        io.BytesIO(download(client, f"/admin/surveys/{SLUG}/summary.xlsx"))
    )
    row = next(
        r
        for r in book["Recommendations"].iter_rows(values_only=True)
        if r[0] == "Inter-agency coordination"
    )
    in_book = [
        "–" if v is None else v if isinstance(v, str) else f"{100 * v:.1f}%" for v in row[1:9]
    ]
    data, _ = _pdf(client, "?lang=en")
    in_brief = _panel_figures(_words(data), "Inter-agency", "Adequate,")
    assert on_page == in_book == in_brief == FIGURES
