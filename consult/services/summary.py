"""The summary workbook (``summary.xlsx``): where each stakeholder group stands, per recommendation.

Sheets (the workbook contract): Overview, Recommendations, Distributions, Rankings, Comments,
Codebook. Everything but Comments is small and written with xlsxwriter (native charts, colour
scales, print setup). Comments can run to hundreds of thousands of rows, which xlsxwriter
writes at ~7 µs a cell: that sheet is a placeholder in xlsxwriter's output, and its part is
replaced by consult's streaming writer (xlsxstream) while the package is copied to the target.

Every cell made from user text goes through ``_text``: control and bidi characters removed,
quote-prefixed when it could be taken for a formula, never a formula itself.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from typing import IO, Any

import xlsxwriter
from sqlalchemy.orm import Session
from xlsxwriter.worksheet import Worksheet

from ..i18n import direction
from ..models import Question, Survey
from . import analysis
from .analysis import Summary
from .comments import open_answers
from .exports import Filters, codebook
from .sanitise import strip_bidi
from .summary_sheets import SheetMaker
from .wording import words
from .xlsxstream import SheetStyles, write_sheet_xml

SHEETS = ("Overview", "Recommendations", "Distributions", "Rankings", "Comments", "Codebook")
Comment = tuple[Question, str | None, str]


def write_summary(
    target: str | IO[bytes], summary: Summary, lang: str, comments: Iterable[Comment]
) -> None:
    """Write the summary workbook of ``summary`` in ``lang`` to ``target``."""
    rtl = direction(lang) == "rtl"
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    maker = SheetMaker(book, summary, lang, rtl)
    sheets = {name: maker.add(name) for name in SHEETS}
    maker.overview(sheets["Overview"])
    maker.recommendations(sheets["Recommendations"])
    maker.distributions(sheets["Distributions"])
    maker.rankings(sheets["Rankings"])
    _comments_placeholder(maker, sheets["Comments"])
    _codebook(maker, sheets["Codebook"])
    book.close()
    styles = _comment_styles(maker)

    part = f"xl/worksheets/sheet{SHEETS.index('Comments') + 1}.xml"
    headers = [words(lang)[key] for key in ("recommendation", "question", "group", "comment")]
    rows = _comment_rows(summary, lang, comments)
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out,
    ):
        for info in source.infolist():
            if info.filename == part:
                with out.open(part, "w", force_zip64=True) as handle:
                    write_sheet_xml(
                        handle, headers, rows, rtl, widths=[30, 24, 28, 90], styles=styles
                    )
            else:
                out.writestr(info, source.read(info.filename))


def _comments_placeholder(maker: SheetMaker, sheet: Worksheet) -> None:
    """The Comments sheet as xlsxwriter sees it: one cell per style the streamed rows use.

    The cells are numbers, so they leave nothing in the shared strings; what matters is that
    the styles are in styles.xml (see ``_comment_styles``).
    """
    for col, name in enumerate(("header", "text", "text_q", "wrap", "wrap_q")):
        sheet.write_number(0, col, 0, maker.formats[name])


def _comment_styles(maker: SheetMaker) -> SheetStyles:
    # xlsxwriter numbers the styles while the workbook is closed: read them after close().
    f = maker.formats
    plain = (int(f["text"].xf_index), int(f["text_q"].xf_index))
    wrap = (int(f["wrap"].xf_index), int(f["wrap_q"].xf_index))
    return SheetStyles(
        header=int(f["header"].xf_index), quoted=plain[1], text=(plain, plain, plain, wrap)
    )


def _comment_rows(summary: Summary, lang: str, comments: Iterable[Comment]) -> Iterable[list[Any]]:
    w = words(lang)
    survey = summary.survey
    # None: answers without a group, or from groups too small to name (see comments.open_answers).
    who: dict[str | None, str] = {g.code: survey.text(g.label, lang) for g in survey.groups}
    who[None] = w["group_not_shown"] if summary.small_groups else w["not_given"]
    where = {
        q.id: survey.text(q.recommendation.label, lang) if q.recommendation else w["general"]
        for q in survey.questions
    }
    written = 0
    for question, group, text in comments:
        written += 1
        # The writer cleans and quote-prefixes; a summary also drops bidi controls.
        yield [where[question.id], question.code, who[group], strip_bidi(text)]
    if not written:
        yield ["", "", "", w["no_comments"]]


def _codebook(maker: SheetMaker, sheet: Worksheet) -> None:
    table = codebook(maker.summary.survey, maker.lang)
    for col, name in enumerate(table.headers):
        maker.put(sheet, 0, col, name, "header")
    row = 0
    for row, values in enumerate(table.rows, start=1):
        for col, value in enumerate(values):
            maker.put(sheet, row, col, value, "wrap")
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(row, 1), len(table.headers) - 1)
    widths = [28, 14, 10, 28] + [60] * (len(table.headers) - 5) + [60]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    maker.print_setup(sheet, header_rows=1)


def summary_workbook(
    session: Session,
    survey: Survey,
    lang: str,
    target: str | IO[bytes],
    filters: Filters | None = None,
) -> Summary:
    """Count, summarise and write the workbook in one go; returns the summary it wrote."""
    result = analysis.summarise(analysis.frames(session, survey, filters), survey)
    write_summary(target, result, lang, open_answers(session, result))
    return result
