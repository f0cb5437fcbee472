"""Hostile spreadsheets, written part by part, for the upload tests."""

from __future__ import annotations

import io
import random
import string
import zipfile

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/'
    'workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook ' + NS + ' xmlns:r="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{name}" '
    'sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
    'sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)


def book(sheet: str, strings: str, name: str = "Sheet1") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK.format(name=name))
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/sharedStrings.xml", strings)
    return out.getvalue()


def dimension_bomb(name: str = "Sheet1") -> bytes:
    """1.7 KB claiming 1,048,576 × 16,384 cells: one cell in the first row, one in the last."""
    sheet = (
        f'<worksheet {NS}><dimension ref="A1:XFD1048576"/><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        '<row r="1048576"><c r="XFD1048576" t="s"><v>0</v></c></row></sheetData></worksheet>'
    )
    return book(sheet, f'<sst {NS} count="1" uniqueCount="1"><si><t>name</t></si></sst>', name)


def strings_bomb(
    unpacked: int, rich: bool = True, name: str = "Sheet1", varied: bool = True
) -> bytes:
    """Shared strings of about ``unpacked`` bytes (rich-text runs: the slowest to parse);
    ``varied`` False repeats one word, so the part compresses as far as zip allows."""
    rng = random.Random(7)
    item = len("<si><r><rPr><b/></rPr><t>abcdefgh</t></r><r><t>x</t></r></si>" if rich else 20)
    count = max(1, unpacked // item)
    parts = []
    for _ in range(count):
        word = "".join(rng.choices(string.ascii_lowercase, k=8)) if varied else "abcdefgh"
        parts.append(
            f"<si><r><rPr><b/></rPr><t>{word}</t></r><r><t>x</t></r></si>"
            if rich
            else f"<si><t>{word}{word[:3]}</t></si>"
        )
    sheet = (
        f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        "</sheetData></worksheet>"
    )
    return book(
        sheet, f'<sst {NS} count="{count}" uniqueCount="{count}">{"".join(parts)}</sst>', name
    )
