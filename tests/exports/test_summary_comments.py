"""The Comments sheet: its own writer cleans as every summary cell is cleaned, and the helper
process writes exactly the sheet the summary would have written itself."""

from __future__ import annotations

import io
import os
import sys
import zipfile

import openpyxl
import pytest
from defusedxml import ElementTree
from sqlalchemy.orm import Session

from consult.analysis import counting
from consult.analysis.comments import CommentQueries
from consult.collection.responses import Submission, submit
from consult.exports.summary import comment_job, workbook
from consult.exports.summary.comments import _UNSAFE, CommentSheet, comment_labels, write_comments
from consult.exports.summary.wording import words
from consult.spreadsheets.sanitise import clean_display_text, clean_text, needs_quote_prefix
from consult.surveys.models import Survey
from tests import factories, known_answers

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
COMMENTS = "xl/worksheets/sheet5.xml"
TRICKY = [
    "plain words",
    "=1+1",
    "\ttab first",
    "\rCR first",
    "line\r\nbreak",
    "a < b & c > d",
    "\u202eevil\u202c reversed",
    "رابطہ کاری\u200cبہتر",  # a zero-width non-joiner stays: it is not a control
    "\x00nul\x1f and \x7f\x9f",
    "trailing space ",
    "x" * 40_000,
]


def test_the_fast_check_finds_every_character_cleaning_would_change():
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue  # surrogates are not text
        char = chr(code)
        changed = clean_display_text(char) != char
        assert changed == (_UNSAFE.search(char) is not None), hex(code)
        assert not (changed and char.isprintable()), hex(code)
        # The raw export's writer skips clean_text for printable text (xlsxstream._string_tail).
        assert not (clean_text(char) != char and char.isprintable()), hex(code)


def _sheet(shared: dict[str, int] | None = None) -> CommentSheet:
    sheet = CommentSheet(
        headers=["Recommendation", "Question", "Group", "Comment"],
        widths=[30, 24, 28, 90],
        rtl=True,
        header_style=1,
        label_styles=(2, 3),
        text_styles=(4, 5),
        questions={7: ("=Where", "q7")},
        groups={"media": "Media", None: "Group not shown"},
        named={1: "media"},
        empty="No comments.",
        shared={},
    )
    if shared is None:
        return sheet
    return CommentSheet(**(sheet.__dict__ | {"shared": shared}))


def _cells(xml: bytes) -> list[list[tuple[str | None, str | None, str]]]:
    """(type, style, text or shared index) per cell, per row."""
    root = ElementTree.fromstring(xml)
    rows = []
    for row in root.iter(f"{MAIN}row"):
        rows.append(
            [
                (cell.get("t"), cell.get("s"), "".join(cell.itertext()))
                for cell in row.iter(f"{MAIN}c")
            ]
        )
    return rows


def test_comment_cells_are_cleaned_quoted_and_escaped_like_every_summary_text():
    out = io.BytesIO()
    chunks = [(7, [(1, text) for text in TRICKY[:6]]), (7, [(None, TRICKY[6])])]
    assert write_comments(out, _sheet(), chunks) == 7
    root = ElementTree.fromstring(out.getvalue())
    assert root.find(f"{MAIN}sheetViews/{MAIN}sheetView").get("rightToLeft") == "1"
    assert root.find(f"{MAIN}autoFilter").get("ref") == "A1:D8"
    rows = _cells(out.getvalue())
    assert [text for _, _, text in rows[0]] == ["Recommendation", "Question", "Group", "Comment"]
    for row, text in zip(rows[1:], TRICKY[:7], strict=True):
        clean = clean_display_text(text)
        assert row[3] == ("inlineStr", "5" if needs_quote_prefix(clean) else "4", clean)
        assert row[0] == ("inlineStr", "3", "=Where")  # a label that looks like a formula
    assert [row[2][2] for row in rows[1:]] == ["Media"] * 6 + ["Group not shown"]
    preserved = ElementTree.fromstring(out.getvalue()).iter(f"{MAIN}t")
    spaced = [t.text for t in preserved if t.get("{http://www.w3.org/XML/1998/namespace}space")]
    assert spaced == ["\ttab first"]  # only leading or trailing white space needs keeping


def test_long_and_broken_texts_are_cleaned_and_cut(tmp_path):
    out = io.BytesIO()
    write_comments(out, _sheet(), [(7, [(None, t) for t in TRICKY[6:]])])
    texts = [row[3][2] for row in _cells(out.getvalue())[1:]]
    assert texts == [clean_display_text(t) for t in TRICKY[6:]]
    assert texts[-1].endswith("[… cut: 40000 characters in all]")


def test_labels_can_come_from_the_shared_strings():
    sheet = _sheet()
    labels = comment_labels(sheet)
    assert labels == ["=Where", "q7", "Media", "Group not shown"]
    out = io.BytesIO()
    write_comments(out, _sheet(dict(zip(labels, range(4), strict=True))), [(7, [(1, "x")])])
    assert _cells(out.getvalue())[1][:3] == [("s", "3", "0"), ("s", "2", "1"), ("s", "2", "2")]


def test_a_view_without_comments_says_so():
    out = io.BytesIO()
    assert write_comments(out, _sheet(), []) == 1
    assert [text for _, _, text in _cells(out.getvalue())[1]] == ["", "", "", "No comments."]


# ------------------------------------------------------------------ the helper process
@pytest.fixture
def committed(engine, monkeypatch):
    """The hand-worked NISP responses, committed: the helper reads on its own connection."""

    def fill(session, survey):
        known_answers.load(session, survey)
        comment = next(q for q in survey.questions if q.code == "coordination_comment")
        for text in TRICKY:
            if engine.dialect.name == "postgresql":
                text = text.replace("\x00", "")  # PostgreSQL text cannot hold NUL
            answers = known_answers.answers_for(survey, "media", 7) | {comment.id: text}
            submit(session, survey, Submission(answers=answers, language="en"))

    with factories.committed_nisp(engine, "nisp-helper", fill) as survey_id:
        yield survey_id


def named(lang):
    """The labels of the groups with comments and at least k respondents."""
    return {"en": {"Media", "Academia"}, "ur": {"میڈیا", "تعلیمی و تحقیقی حلقے"}}[lang]


def _workbook(engine, survey_id, helper, lang="en"):
    target = io.BytesIO()
    with Session(engine) as session:
        survey = session.get(Survey, survey_id)
        workbook.summary_workbook(session, survey, lang, target, helper=helper)
    return target


def _parts(target) -> dict[str, bytes]:
    with zipfile.ZipFile(target) as book:
        assert book.testzip() is None  # every CRC, the copied part's included
        return {name: book.read(name) for name in book.namelist() if name != "docProps/core.xml"}


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_the_helper_writes_the_same_workbook(engine, committed, monkeypatch, lang):
    results = []
    original = comment_job.CommentJob.result

    def spied(self):
        results.append(got := original(self))
        return got

    monkeypatch.setattr(comment_job.CommentJob, "result", spied)
    # Other tests of the run may leave idle threads (a browser test's live server): this test
    # is about the helper's output, so it forks whatever the thread count.
    monkeypatch.setattr(workbook, "fork_allowed", lambda: True)
    helped = _workbook(engine, committed, True, lang)
    assert len(results) == 1 and results[0] is not None  # the helper's part was used
    alone = _workbook(engine, committed, False, lang)
    assert _parts(helped) == _parts(alone)
    comments = [row for row in openpyxl.load_workbook(helped)["Comments"].values][1:]
    scholar = next(row for row in comments if row[3] == "Only three of us in this district")
    assert scholar[2] == words(lang)["group_not_shown"]
    assert {row[2] for row in comments} == {words(lang)["group_not_shown"], *named(lang)}


def test_when_the_groups_differ_the_summary_writes_the_sheet_itself(engine, committed, monkeypatch):
    # As if a response had arrived between the helper's start and the counting.
    monkeypatch.setattr(counting, "group_sizes", lambda *args: {"religious_scholars": 50})
    monkeypatch.setattr(
        comment_job.CommentJob,
        "result",
        lambda self: pytest.fail("a sheet for other groups must not be used"),
    )
    helped = _workbook(engine, committed, True)
    assert _parts(helped) == _parts(_workbook(engine, committed, False))


def test_a_failing_helper_leaves_the_sheet_to_the_summary(engine, committed, monkeypatch):
    def broken(self, queries: CommentQueries) -> None:
        raise RuntimeError("no connection for the helper")

    monkeypatch.setattr(comment_job, "comment_chunks", broken)
    helped = _workbook(engine, committed, True)
    assert _parts(helped) == _parts(_workbook(engine, committed, False))


def test_the_helpers_deflated_part_is_a_zip_entrys_raw_deflate(tmp_path):
    """Whichever library deflates it (ISA-L or zlib), the part inflates back to its bytes with
    zlib, and its CRC and size are the ones its zip entry records."""
    import zlib

    text = "".join(f"<row r='{n}'>تبصرہ {n} comment</row>" for n in range(20_000)).encode()
    with (tmp_path / "part").open("w+b") as file:
        sink = comment_job._Deflater(file)
        for start in range(0, len(text), 7_000):
            sink.write(text[start : start + 7_000])
        sink.close()
        file.seek(0)
        deflated = file.read()
    assert zlib.decompressobj(-15).decompress(deflated) == text
    assert (sink.crc, sink.size) == (zlib.crc32(text), len(text))
    assert len(deflated) < len(text) / 4


class _BrokenFile(io.BytesIO):
    """A file that fails on its second write (a full disk, say)."""

    def write(self, data) -> int:
        if self.tell():
            raise OSError("no space left on device")
        return super().write(data)


def test_a_failing_deflate_thread_fails_the_part_without_hanging():
    """The deflating thread's error comes back from close(), however far ahead the writer
    got (the queue holds only a few blocks: the writer would wait forever on a dead thread)."""
    sink = comment_job._Deflater(_BrokenFile())
    for _ in range(50):
        sink.write(os.urandom(1 << 16))  # incompressible: every block reaches the file
    with pytest.raises(OSError, match="no space left"):
        sink.close()
