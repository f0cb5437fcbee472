"""A minimal streaming .xlsx writer for the raw export: rows in, SpreadsheetML out, nothing kept.

Why our own: the raw export is one large table of plain cells, and the general-purpose writers
spend most of their time on features it does not use (several times slower here: see
bench/export.py and docs/performance.md). It writes exactly one kind of workbook:
sheets of rows with a bold, frozen, filtered header row, inline strings, numbers and dates;
right-to-left on request. Every string is an inline string (never a formula), so no cell can
run code; text that looks like a formula also gets Excel's quote-prefix style. xlsxwriter stays
as the fallback engine behind the same interface (``workbooks.write_raw``).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from consult.spreadsheets.sanitise import EXCEL_CELL_LIMIT, clean_text, needs_quote_prefix

# Style ids in styles.xml below.
_QUOTED, _DATETIME, _HEADER, _DATE = 1, 2, 3, 4
# Excel's day zero (with its 1900 leap-year quirk folded in): 1899-12-30.
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()
# Rows buffered before they are encoded and handed to the compressor.
_FLUSH_EVERY = 500
_INF = float("inf")
# Text cells remembered per column: texts up to this long, this many per column.
_MEMO_TEXT, _MEMO_SIZE = 80, 4096

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_STYLES = (
    _XML_HEAD + f"<styleSheet {_NS}>"
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/>'
    '<numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom><diagonal/>'
    "</border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" '
    'applyBorder="1" quotePrefix="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def escape_xml(text: str) -> str:
    """Text for XML character data: only &, < and > need escaping."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _string_tail(value: str, plain: int, quoted: int) -> str:
    """A text cell's XML after its reference: the cleaned, escaped text and its style."""
    # Everything clean_text removes is "not printable" (str.isprintable, checked in C; a test
    # walks all of Unicode), so most answers skip the regular expression.
    if len(value) > EXCEL_CELL_LIMIT or not value.isprintable():
        value = clean_text(value)
    style = quoted if needs_quote_prefix(value) else plain
    s = f' s="{style}"' if style else ""
    return f'{s} t="inlineStr"><is><t xml:space="preserve">{escape_xml(value)}</t></is></c>'


def _string_cell(ref: str, value: str, plain: int, quoted: int) -> str:
    return f'<c r="{ref}"' + _string_tail(value, plain, quoted)


@dataclass(frozen=True)
class SheetStyles:
    """Style ids (cellXfs positions in styles.xml) a sheet's cells refer to."""

    header: int = _HEADER
    quoted: int = _QUOTED
    datetime: int = _DATETIME
    date: int = _DATE
    # Per column, the (plain, quote-prefixed) style of text cells; None: (0, quoted) for all.
    text: tuple[tuple[int, int], ...] | None = None


def write_sheet_xml(
    handle: IO[bytes],
    headers: list[str],
    rows: Iterable[list[Any]],
    rtl: bool = False,
    autofilter: bool = True,
    widths: list[float] | None = None,
    styles: SheetStyles = SheetStyles(),  # noqa: B008 - frozen, shared safely
    progress: Callable[[int], None] | None = None,
) -> tuple[int, str | None]:
    """One worksheet part: frozen header row, then ``rows``.

    Returns the number of rows and the absolute range of the autofilter (None without one).
    """
    letters = [column_letter(i) for i in range(max(len(headers), 1))]
    view = ' rightToLeft="1"' if rtl else ""
    head = [
        _XML_HEAD,
        f'<worksheet {_NS} {_RNS}><sheetViews><sheetView workbookViewId="0"{view}>',
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>',
        '<selection pane="bottomLeft"/></sheetView></sheetViews>',
        '<sheetFormatPr defaultRowHeight="15"/>',
    ]
    if widths:
        head.append("<cols>")
        head += [
            f'<col min="{i}" max="{i}" width="{w:.1f}" customWidth="1"/>'
            for i, w in enumerate(widths, start=1)
        ]
        head.append("</cols>")
    head.append('<sheetData><row r="1">')
    head += [
        _string_cell(f"{letters[i]}1", h, styles.header, styles.header)
        for i, h in enumerate(headers)
    ]
    head.append("</row>")
    handle.write("".join(head).encode())

    text = styles.text or ((0, styles.quoted),) * len(letters)
    count = _rows(handle, letters, text, styles, rows, progress)

    tail = ["</sheetData>"]
    absolute = None
    if autofilter and headers:
        last = letters[len(headers) - 1]
        tail.append(f'<autoFilter ref="A1:{last}{count + 1}"/>')
        absolute = f"$A$1:${last}${count + 1}"
    tail.append(
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
        'footer="0.3"/><pageSetup orientation="landscape"/></worksheet>'
    )
    handle.write("".join(tail).encode())
    return count, absolute


def _rows(
    handle: IO[bytes],
    letters: list[str],
    text: tuple[tuple[int, int], ...],
    styles: SheetStyles,
    rows: Iterable[list[Any]],
    progress: Callable[[int], None] | None,
) -> int:
    # The hot loop: one f-string per cell, type checks by identity, no per-cell calls
    # except for text (which must be cleaned and escaped).
    chunk: list[str] = []
    # Labels repeat (groups, provinces, choices): each column remembers the XML of its short
    # texts, so most text cells cost one look-up. Bounded, so free text cannot fill memory.
    memo: list[dict[str, str]] = [{} for _ in letters]
    number = 1
    for row in rows:
        number += 1
        r = str(number)
        parts = [f'<row r="{r}">']
        append = parts.append
        for col, value in enumerate(row):
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                seen = memo[col]
                tail = seen.get(value)
                if tail is None:
                    tail = _string_tail(value, *text[col])
                    if len(value) <= _MEMO_TEXT and len(seen) < _MEMO_SIZE:
                        seen[value] = tail
                append(f'<c r="{letters[col]}{r}"{tail}')
            elif kind is int or kind is float:
                if value != value or value in (_INF, -_INF):
                    continue  # NaN and infinities have no cell form
                append(f'<c r="{letters[col]}{r}"><v>{value!r}</v></c>')
            else:
                append(_other_cell(f"{letters[col]}{r}", value, styles, text[col]))
        parts.append("</row>")
        chunk.append("".join(parts))
        if len(chunk) == _FLUSH_EVERY:
            _flush(handle, chunk, progress)
    if chunk:
        _flush(handle, chunk, progress)
    return number - 1


def _flush(handle: IO[bytes], chunk: list[str], progress: Callable[[int], None] | None) -> None:
    handle.write("".join(chunk).encode())
    if progress is not None:
        progress(len(chunk))
    chunk.clear()


def _other_cell(ref: str, value: Any, styles: SheetStyles, text: tuple[int, int]) -> str:
    """A cell of a rarer kind (once a row at most: the submission time), off the hot path."""
    kind = type(value)
    if kind is bool:
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if kind is datetime:
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        serial = value.toordinal() - _EXCEL_EPOCH + seconds / 86400
        return f'<c r="{ref}" s="{styles.datetime}"><v>{serial!r}</v></c>'
    if kind is date:
        return f'<c r="{ref}" s="{styles.date}"><v>{value.toordinal() - _EXCEL_EPOCH}</v></c>'
    return _string_cell(ref, str(value), *text)


class StreamWorkbook:
    """Sheets are written one after the other; ``close()`` adds the workbook's parts."""

    def __init__(self, target: str | IO[bytes], large: bool = False) -> None:
        # Level 1: the XML is very repetitive, so it still shrinks ~10×, at several times the
        # speed of the default level.
        self._zip = zipfile.ZipFile(
            target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1, allowZip64=True
        )
        self._large = large
        # (name, absolute autofilter range or None)
        self._sheets: list[tuple[str, str | None]] = []

    def write_sheet(
        self,
        name: str,
        headers: list[str],
        rows: Iterable[list[Any]],
        rtl: bool = False,
        autofilter: bool = True,
        widths: list[float] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Write one sheet: a header row, then ``rows``; returns how many rows were written."""
        part = f"xl/worksheets/sheet{len(self._sheets) + 1}.xml"
        with self._zip.open(part, "w", force_zip64=self._large) as handle:
            count, absolute = write_sheet_xml(
                handle, headers, rows, rtl, autofilter, widths, progress=progress
            )
        self._sheets.append((name, absolute))
        return count

    def close(self) -> None:
        sheets = self._sheets
        names = "".join(
            f'<sheet name="{escape_xml(name)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, (name, _) in enumerate(sheets, start=1)
        )
        filters = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"'{escape_xml(name)}'!{ref}</definedName>"
            for i, (name, ref) in enumerate(sheets)
            if ref
        )
        defined = f"<definedNames>{filters}</definedNames>" if filters else ""
        parts = {
            "[Content_Types].xml": _XML_HEAD
            + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for i in range(1, len(sheets) + 1)
            )
            + "</Types>",
            "_rels/.rels": _XML_HEAD + f'<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
            "xl/workbook.xml": _XML_HEAD
            + f"<workbook {_NS} {_RNS}><bookViews><workbookView/></bookViews>"
            f"<sheets>{names}</sheets>{defined}</workbook>",
            "xl/_rels/workbook.xml.rels": _XML_HEAD
            + f'<Relationships xmlns="{_PKG_REL}">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" '
                f'Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(sheets) + 1)
            )
            + f'<Relationship Id="rId{len(sheets) + 1}" Type="{_REL}/styles" '
            'Target="styles.xml"/></Relationships>',
            "xl/styles.xml": _STYLES,
        }
        for name, text in parts.items():
            self._zip.writestr(name, text)
        self._zip.close()
