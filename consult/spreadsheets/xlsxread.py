"""openpyxl's workbook reader with the shared strings read as plain text.

openpyxl turns every rich-text run of the shared-strings part into objects (a font with fifteen
validated attributes per run) and then keeps only the text. On the largest list an upload may
hold (2 MB of rich text) that took 10 of 14 profiled seconds. Uploads want the text alone, so
this reader collects it straight from the XML: each ``<si>``'s own ``<t>`` and its runs'
``<t>``, in order, phonetic guides (``<rPh>``) left out — what openpyxl's ``Text.content``
gives — parsed by openpyxl's own (defusedxml) iterparse. Imported only when a workbook is read.
"""

from __future__ import annotations

from typing import IO, Any

from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

ITEM, TEXT, RUN = (f"{{{SHEET_MAIN_NS}}}{tag}" for tag in ("si", "t", "r"))


def plain_strings(source: IO[bytes]) -> list[str]:
    """Every shared string's text, in order."""
    strings = []
    for _event, node in iterparse(source):
        if node.tag == ITEM:
            parts = [node.findtext(TEXT) or ""]
            parts += [run.findtext(TEXT) or "" for run in node.iterfind(RUN)]
            strings.append("".join(parts).replace("x005F_", ""))  # as openpyxl unescapes
            node.clear()
    return strings


class TextOnlyReader(ExcelReader):
    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                self.shared_strings = plain_strings(source)


def load_text_workbook(source: IO[bytes], data_only: bool = True) -> Any:
    """A read-only workbook, as ``openpyxl.load_workbook(read_only=True)`` gives it."""
    reader = TextOnlyReader(source, read_only=True, data_only=data_only)
    reader.read()
    return reader.wb
