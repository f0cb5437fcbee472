"""The plain-text shared strings reader gives what openpyxl's own reader gives."""

from __future__ import annotations

import io

from openpyxl.reader.strings import read_string_table

from consult.spreadsheets.xlsxread import plain_strings
from tests.spreadsheets.bombs import strings_bomb

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
PART = (
    f'<sst {NS} count="5" uniqueCount="5">'
    "<si><t>plain</t></si>"
    '<si><r><rPr><b/><sz val="11"/></rPr><t>rich </t></r>'
    '<r><t xml:space="preserve"> runs</t></r></si>'
    '<si><t>base</t><rPh sb="0" eb="1"><t>phonetic</t></rPh></si>'
    "<si><t/></si>"
    "<si><t>under_x005F_score اردو</t></si>"
    "</sst>"
).encode()


def test_the_same_strings_as_openpyxl():
    assert plain_strings(io.BytesIO(PART)) == read_string_table(io.BytesIO(PART))
    assert plain_strings(io.BytesIO(PART)) == [
        "plain", "rich  runs", "base", "", "under_score اردو",
    ]  # fmt: skip


def test_the_same_strings_as_openpyxl_on_the_bomb():
    import zipfile

    with zipfile.ZipFile(io.BytesIO(strings_bomb(300_000))) as book:
        part = book.read("xl/sharedStrings.xml")
    ours = plain_strings(io.BytesIO(part))
    assert len(ours) > 1000 and ours == read_string_table(io.BytesIO(part))
