"""The Comments sheet of the summary workbook: its layout and its XML.

At scale this sheet is most of the workbook (several comments per response), so
it has its own writer: the three label cells of a row depend only on the question and the
group shown, so their XML is made once per pair (shared strings), and each row costs one
f-string and the cleaning of its text. The text is cleaned as every summary text is
(``clean_display_text``: control and bidi characters removed, cut at Excel's limit), escaped,
and quote-prefixed when it could be taken for a formula; the check that most texts need no
cleaning is done in C.

Everything the sheet needs besides the comments (labels, style numbers, shared strings) is
known before anything is counted (``CommentSheet``), so a helper process can write it while
the figures are counted (comment_job.py). xlsxwriter lays out the other sheets; the Comments
sheet is a placeholder there (``placeholder``) that fixes the numbers of its styles and
labels, and its part is replaced when the package is copied to the target (summary.py).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import IO, Any

import xlsxwriter
from defusedxml import ElementTree
from xlsxwriter.worksheet import Worksheet

from consult.analysis.comments import Chunk, CommentQueries
from consult.analysis.summarising import Thresholds
from consult.exports.summary.cells import make_formats
from consult.exports.summary.wording import words
from consult.i18n import direction
from consult.spreadsheets.sanitise import (
    EXCEL_CELL_LIMIT,
    FORMULA_TRIGGERS,
    clean_display_text,
    clean_text,
)
from consult.spreadsheets.xlsxstream import escape_xml
from consult.surveys.models import Survey

# Every character clean_display_text removes (sanitise._CONTROL and _BIDI): a text with none of
# these, and not too long, is already clean. CR is among them (CR LF becomes LF). All of them
# are "not printable" to str.isprintable() (categories Cc, Cf, Cn), which checks in C.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
_FLUSH_EVERY = 1000  # rows per write to the compressor
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NS = (
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# The styles the sheet's cells use, in the order the placeholder first uses them.
FORMATS = ("header", "text", "text_q", "wrap", "wrap_q")


@dataclass(frozen=True)
class CommentSheet:
    """Everything the sheet shows besides the comments themselves, as plain data."""

    headers: list[str]
    widths: list[float]
    rtl: bool
    header_style: int
    # (plain, quote-prefixed) style of the label columns and of the comment column.
    label_styles: tuple[int, int]
    text_styles: tuple[int, int]
    # Question id → (recommendation, question text); group code (None: not shown) → label.
    questions: dict[int, tuple[str, str]]
    groups: dict[str | None, str]
    named: dict[int, str]  # group id → code, for the groups that may be named
    empty: str  # the one row of a sheet without comments
    # Labels (cleaned) → their index in the workbook's shared strings: each row's three label
    # cells then take ~40 bytes instead of ~90 (a third less to write and deflate). Empty: the
    # labels are written inline.
    shared: dict[str, int]


def comment_labels(sheet: CommentSheet) -> list[str]:
    """The label texts the rows can show, cleaned, each once, in a fixed order."""
    texts = [text for pair in sheet.questions.values() for text in pair]
    return list(dict.fromkeys(clean_text(text) for text in [*texts, *sheet.groups.values()]))


def _tail(text: str, styles: tuple[int, int], shared: dict[str, int] | None = None) -> str:
    """A label cell's XML after its reference (labels keep bidi controls, as they always did)."""
    text = clean_text(text)
    style = styles[1] if text.startswith(FORMULA_TRIGGERS) else styles[0]
    s = f' s="{style}"' if style else ""
    if shared and text in shared:
        return f'{s} t="s"><v>{shared[text]}</v></c>'
    return f'{s} t="inlineStr"><is><t{_space(text)}>{escape_xml(text)}</t></is></c>'


def _space(text: str) -> str:
    """Leading or trailing white space is kept only when the text says so (as xlsxwriter does)."""
    return ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""


def write_comments(
    handle: IO[bytes], sheet: CommentSheet, chunks: Iterable[tuple[int, Chunk]]
) -> int:
    """The whole worksheet part: frozen header row, one row per comment; returns the rows."""
    view = ' rightToLeft="1"' if sheet.rtl else ""
    letters = "ABCD"
    head = [
        _HEAD,
        f'<worksheet {_NS}><sheetViews><sheetView workbookViewId="0"{view}>',
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>',
        '<selection pane="bottomLeft"/></sheetView></sheetViews>',
        '<sheetFormatPr defaultRowHeight="15"/><cols>',
        *(
            f'<col min="{i}" max="{i}" width="{w:.1f}" customWidth="1"/>'
            for i, w in enumerate(sheet.widths, start=1)
        ),
        '</cols><sheetData><row r="1">',
        *(
            f'<c r="{letters[i]}1"' + _tail(h, (sheet.header_style, sheet.header_style))
            for i, h in enumerate(sheet.headers)
        ),
        "</row>",
    ]
    handle.write("".join(head).encode())
    number = _rows(handle, sheet, chunks)
    out: list[str] = []
    if number == 1:  # no comments: say so
        number = 2
        blank = _tail("", sheet.label_styles)
        out.append(
            f'<row r="2"><c r="A2"{blank}<c r="B2"{blank}<c r="C2"{blank}'
            f'<c r="D2"{_tail(sheet.empty, sheet.text_styles)}</row>'
        )
    handle.write(
        (
            "".join(out) + f'</sheetData><autoFilter ref="A1:D{number}"/>'
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
            'footer="0.3"/><pageSetup orientation="landscape"/></worksheet>'
        ).encode()
    )
    return number - 1


def _rows(handle: IO[bytes], sheet: CommentSheet, chunks: Iterable[tuple[int, Chunk]]) -> int:
    """The comment rows; returns the last row's number. The hot loop: what ``_tail`` does,
    inline (four calls a row would cost a third of the time)."""
    # Per question: group id → the XML of the row's three label cells, made on first use.
    labels: dict[int, dict[int | None, tuple[str, str, str]]] = {}
    named, search, limit = sheet.named, _UNSAFE.search, EXCEL_CELL_LIMIT
    plain, quoted = (f' s="{style}"' if style else "" for style in sheet.text_styles)
    preserve = ' xml:space="preserve"'
    number = 1
    out: list[str] = []
    for question_id, rows in chunks:
        mine = labels.setdefault(question_id, {})
        for group_id, text in rows:
            number += 1
            cells = mine.get(group_id)
            if cells is None:
                where, question = sheet.questions[question_id]
                group = sheet.groups[named.get(group_id)]
                cells = mine[group_id] = (
                    _tail(where, sheet.label_styles, sheet.shared),
                    _tail(question, sheet.label_styles, sheet.shared),
                    _tail(group, sheet.label_styles, sheet.shared),
                )
            # clean_display_text, when the text has anything it would change (see _UNSAFE).
            if len(text) > limit or (not text.isprintable() and search(text) is not None):
                text = clean_display_text(text)
            style = quoted if text.startswith(FORMULA_TRIGGERS) else plain
            if "&" in text or "<" in text or ">" in text:
                text = escape_xml(text)
            space = preserve if text[:1].isspace() or text[-1:].isspace() else ""
            a, b, c = cells
            n = str(number)
            out.append(
                f'<row r="{n}"><c r="A{n}"{a}<c r="B{n}"{b}<c r="C{n}"{c}<c r="D{n}"{style} '
                f't="inlineStr"><is><t{space}>{text}</t></is></c></row>'
            )
            if len(out) == _FLUSH_EVERY:
                handle.write("".join(out).encode())
                out.clear()
    handle.write("".join(out).encode())
    return number


def placeholder(formats: dict[str, Any], sheet: Worksheet, labels: list[str]) -> tuple[int, ...]:
    """The Comments sheet as xlsxwriter sees it, written before any other sheet.

    One number cell per style the rows use, so that the styles are in styles.xml; their
    numbers are returned, in the order of FORMATS. xlsxwriter numbers a style when a sheet
    using it is written out, which depends on the data: numbered here, first, they are the
    same in every workbook. The labels go into the shared strings, in order, from index 0.
    """
    for col, name in enumerate(FORMATS):
        sheet.write_number(0, col, 0, formats[name])
    for row, label in enumerate(labels, start=1):
        sheet.write_string(row, 0, label)
    return tuple(int(formats[name]._get_xf_index()) for name in FORMATS)


def shared_indices(package: IO[bytes], labels: list[str]) -> dict[str, int]:
    """Label → shared string index, if the labels are the first shared strings of the
    xlsxwriter ``package`` (as placeholder() makes them); otherwise {} (labels go inline)."""
    with zipfile.ZipFile(package) as book:
        if "xl/sharedStrings.xml" not in book.namelist():
            return {}
        root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
    found = ["".join(si.itertext()) for si in root.iterfind(f"{_MAIN}si")]
    return {text: i for i, text in enumerate(labels)} if found[: len(labels)] == labels else {}


def comment_sheet(
    survey: Survey, lang: str, small: set[str], queries: CommentQueries
) -> CommentSheet:
    """The sheet's labels, before its styles and shared strings are known (see ``laid_out``)."""
    w = words(lang)
    # None: answers without a group, or from groups too small to name (see comments.py).
    who: dict[str | None, str] = {g.code: survey.text(g.label, lang) for g in survey.groups}
    who[None] = w["group_not_shown"] if small else w["not_given"]
    asked = {question_id for question_id, _ in queries.statements}
    where = {
        q.id: (
            survey.text(q.recommendation.label, lang) if q.recommendation else w["general"],
            survey.text(q.label, lang),
        )
        for q in survey.ordered_questions()
        if q.id in asked
    }
    return CommentSheet(
        headers=[w[key] for key in ("recommendation", "question", "group", "comment")],
        widths=[30, 24, 28, 90],
        rtl=direction(lang) == "rtl",
        header_style=0,
        label_styles=(0, 0),
        text_styles=(0, 0),
        questions=where,
        groups=who,
        named=queries.named,
        empty=w["comments_withheld"].format(k=Thresholds.of(survey).k)
        if queries.withheld
        else w["no_comments"],
        shared={},
    )


def laid_out(sheet: CommentSheet, styles: tuple[int, ...], shared: dict[str, int]) -> CommentSheet:
    header, text, text_q, wrap, wrap_q = styles
    return replace(
        sheet,
        header_style=header,
        label_styles=(text, text_q),
        text_styles=(wrap, wrap_q),
        shared=shared,
    )


def predicted(sheet: CommentSheet) -> CommentSheet:
    """``sheet`` with the styles and shared strings the workbook will give it: laid out by
    xlsxwriter in a workbook of the placeholder alone (write_summary checks the real one)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    labels = comment_labels(sheet)
    styles = placeholder(make_formats(book, sheet.rtl), book.add_worksheet(), labels)
    book.close()
    return laid_out(sheet, styles, shared_indices(buffer, labels))
