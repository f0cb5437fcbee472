"""The summary workbook (``summary.xlsx``): where each stakeholder group stands, per recommendation.

Sheets (the workbook contract): Overview, Recommendations, Distributions, Rankings, Comments,
Themes (exports/summary/themes.py), Waves and Implementation (exports/summary/process.py),
Codebook. Everything but Comments is small and written
with xlsxwriter (native charts, colour scales, print setup). Comments can run to hundreds of
thousands of rows, which xlsxwriter writes slowly (docs/performance.md): that sheet is a
placeholder in xlsxwriter's output, and its part is replaced by consult's own writer
(comments.py) while the package is copied to the target. On a large view that part is written
by a helper process while this one counts (comment_job.py).

Every cell made from user text goes through ``_text``: control and bidi characters removed,
quote-prefixed when it could be taken for a formula, never a formula itself.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any

import xlsxwriter
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session
from xlsxwriter.worksheet import Worksheet

from consult.analysis import counting, summarising
from consult.analysis.comments import comment_chunks, comment_queries, comments_withheld
from consult.analysis.delivery import SupportDelivery, support_and_delivery
from consult.analysis.exclusion import Comparison, compare
from consult.analysis.filters import Filters
from consult.analysis.summarising import Summary, Thresholds
from consult.analysis.themes.tables import ThemeTable, theme_tables
from consult.analysis.waves import WaveComparison, wave_comparison
from consult.exports.forked import fork_allowed
from consult.exports.raw import codebook
from consult.exports.summary.comment_job import CommentJob, copy_part
from consult.exports.summary.comments import (
    CommentSheet,
    comment_labels,
    comment_sheet,
    laid_out,
    placeholder,
    predicted,
    shared_indices,
    write_comments,
)
from consult.exports.summary.process import implementation_sheet, waves_sheet
from consult.exports.summary.rankings import rankings
from consult.exports.summary.sheets import SheetMaker
from consult.exports.summary.themes import themes_sheet
from consult.i18n import direction
from consult.surveys.models import Survey

SHEETS = (
    "Overview", "Recommendations", "Distributions", "Rankings", "Comments", "Themes", "Waves",
    "Implementation", "Codebook",
)  # fmt: skip
# Responses in the view from which the Comments sheet is worth a helper process (forking and
# a second connection cost a few milliseconds; 10,000 NISP responses take ~0.15 s in-process).
HELPER_MIN_RESPONSES = 10_000


@dataclass
class Process:
    """What the Waves and Implementation sheets show (issue 19)."""

    waves: WaveComparison | None
    delivery: list[SupportDelivery]
    previous_unseen: bool = False  # a previous wave the reader may not open


def write_summary(
    target: str | IO[bytes],
    summary: Summary,
    lang: str,
    connection: Connection,
    job: CommentJob | None = None,
    themes: list[ThemeTable] | None = None,
    comparison: Comparison | None = None,
    process: Process | None = None,
) -> None:
    """Write the summary workbook of ``summary`` in ``lang`` to ``target``.

    The Comments sheet is the helper's (``job``) when it wrote exactly the sheet this summary
    calls for; otherwise it is read through ``connection`` and written here.
    """
    rtl = direction(lang) == "rtl"
    survey = summary.survey
    withheld = comments_withheld(summary.filters, summary.total, summary.thresholds.k)
    queries = comment_queries(
        survey, summary.small_groups, summary.filters, connection.dialect.name, withheld
    )
    sheet = comment_sheet(survey, lang, summary.small_groups, queries)
    labels = comment_labels(sheet)
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
    styles = placeholder(maker.formats, sheets["Comments"], labels)  # first: see placeholder()
    _small_sheets(maker, sheets, themes or [], process, comparison)
    book.close()
    sheet = laid_out(sheet, styles, shared_indices(buffer, labels))

    _with_comments(buffer, target, sheet, job, lambda: comment_chunks(connection, queries))


def _with_comments(
    buffer: io.BytesIO,
    target: str | IO[bytes],
    sheet: CommentSheet,
    job: CommentJob | None,
    chunks: Callable[[], Iterable[Any]],
) -> None:
    """Copy the laid-out workbook to ``target`` with the Comments sheet filled in: the helper's
    part when it wrote exactly ``sheet``, else written here from ``chunks``."""
    part = f"xl/worksheets/sheet{SHEETS.index('Comments') + 1}.xml"
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out,
    ):
        for info in source.infolist():
            if info.filename != part:
                out.writestr(info, source.read(info.filename))
                continue
            done = job.result() if job is not None and job.sheet == sheet else None
            if done is not None:
                copy_part(out, info, done)
            else:
                if job is not None:
                    job.cancel()
                with out.open(part, "w", force_zip64=True) as handle:
                    write_comments(handle, sheet, chunks())


def _small_sheets(
    maker: SheetMaker,
    sheets: dict[str, Worksheet],
    themes: list[ThemeTable],
    process: Process | None,
    comparison: Comparison | None = None,
) -> None:
    """Every sheet xlsxwriter lays out itself (all but Comments)."""
    maker.overview(sheets["Overview"], comparison)
    maker.recommendations(sheets["Recommendations"])
    maker.distributions(sheets["Distributions"])
    rankings(maker, sheets["Rankings"])
    themes_sheet(maker, sheets["Themes"], themes)
    unseen = process.previous_unseen if process else False
    waves_sheet(maker, sheets["Waves"], process.waves if process else None, unseen)
    implementation_sheet(maker, sheets["Implementation"], process.delivery if process else [])
    _codebook(maker, sheets["Codebook"])


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
    helper: bool | None = None,
    previous: bool = True,
) -> Summary:
    """Count, summarise and write the workbook in one go; returns the summary it wrote.

    ``previous``: whether the Waves sheet may show the previous wave's figures (the web asks
    whether the user may open that survey). ``helper``: write the Comments sheet in a helper
    process while counting (None: when the view is large and it is safe, see
    ``_start_helper``). The helper reads committed rows only: call this from read-only
    requests and commands (as the export view and CLI do).
    """
    filters = (filters or Filters()).resolved(session, survey)
    job = _start_helper(session, survey, lang, filters, helper) if helper is not False else None
    try:
        result = summarising.summarise(summarising.frames(session, survey, filters), survey)
        tables = theme_tables(session, survey, filters)
        comparison = compare(session, survey, result, lang)  # None when nothing is left out
        waves = wave_comparison(session, survey) if previous else None
        unseen = survey.previous_wave_id is not None and not previous
        process = Process(waves, support_and_delivery(session, result), unseen)
        write_summary(target, result, lang, session.connection(), job, tables,
                      comparison=comparison, process=process)  # fmt: skip
    finally:
        if job is not None:
            job.cancel()  # on error; a no-op once its result was taken
    return result


def _start_helper(
    session: Session, survey: Survey, lang: str, filters: Filters, helper: bool | None
) -> CommentJob | None:
    bind = session.get_bind()
    if not fork_allowed() or not isinstance(bind, Engine):
        return None
    # A session with changes of its own, or on an outside connection (tests' transaction),
    # may hold rows that the helper's connection cannot see.
    if helper is None and (session.new or session.dirty or session.deleted):
        return None
    sizes = counting.group_sizes(session, survey, filters)
    if helper is None and sum(sizes.values()) < HELPER_MIN_RESPONSES:
        return None
    # Which groups are too small to name: the same numbers summarise() will find (one
    # snapshot on SQLite; write_summary checks, and writes the sheet itself if they differ).
    k = Thresholds.of(survey).k
    small = summarising.small_groups(survey, sizes, k)
    withheld = comments_withheld(filters, sum(sizes.values()), k)
    queries = comment_queries(survey, small, filters, bind.dialect.name, withheld)
    return CommentJob(bind, queries, predicted(comment_sheet(survey, lang, small, queries)))
