"""The Waves and Implementation sheets of the summary workbook (issue 19).

Waves: one row per recommendation scale × stakeholder group (and overall): % agree and n in
each wave, the change in percentage points and its 95% interval, whether it is beyond noise.
A cell suppressed in either wave carries no change (analysis/waves.py). Implementation: support
(% agree per group, the implementation rating where asked) beside delivery (owner, status,
progress, indicators met), then the indicators and the evidence links. Every text cell made
from what staff typed goes through SheetMaker.put (cleaned, never a formula).
"""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from consult.analysis.delivery import SupportDelivery
from consult.analysis.waves import WaveComparison
from consult.exports.summary.cells import cell_value, n_value
from consult.exports.summary.sheets import SheetMaker


def _header(maker: SheetMaker, sheet: Worksheet, row: int, names: list[str]) -> None:
    for col, name in enumerate(names):
        maker.put(sheet, row, col, name, "header")


def waves_sheet(
    maker: SheetMaker, sheet: Worksheet, comparison: WaveComparison | None, unseen: bool = False
) -> None:
    """``unseen``: the survey has a previous wave the reader may not open (no figure of it)."""
    w, lang = maker.w, maker.lang
    maker.put(sheet, 0, 0, w["wave_sheet"], "title")
    if comparison is None:
        maker.put(sheet, 1, 0, w["previous_unseen" if unseen else "no_previous_wave"], "note")
        return
    earlier, later = comparison.earlier, comparison.later
    k_before = comparison.earlier_summary.thresholds.k
    k_after = comparison.later_summary.thresholds.k
    maker.put(sheet, 1, 0, f"{w['wave_of']} {earlier.text(earlier.title, lang)} ({earlier.slug})")
    maker.put(sheet, 2, 0, w["wave_note"].format(k=k_after), "note")
    missing = [*comparison.missing_later, *comparison.missing_earlier]
    if missing:
        maker.put(sheet, 3, 0, f"{w['missing_codes']}: {', '.join(missing)}", "note")
    top = 5
    _header(maker, sheet, top, [
        w["recommendation"], w["question"], w["group"],
        f"{w['previous']} — {w['agree']}", f"{w['previous']} — {w['n']}",
        f"{w['this_wave']} — {w['agree']}", f"{w['this_wave']} — {w['n']}",
        w["change"], w["ci_low"], w["ci_high"], w["beyond_noise"],
    ])  # fmt: skip
    row = top
    for found in comparison.rows:
        for change in found.changes:
            row += 1
            maker.put(sheet, row, 0, later.text(found.label, lang))
            maker.put(sheet, row, 1, found.question_code)
            maker.put(sheet, row, 2, maker.label(change.unit))
            maker.put(sheet, row, 3, cell_value(change.earlier, "agree", k_before, lang), "pct")
            maker.put(sheet, row, 4, n_value(change.earlier, k_before, lang), "int")
            maker.put(sheet, row, 5, cell_value(change.later, "agree", k_after, lang), "pct")
            maker.put(sheet, row, 6, n_value(change.later, k_after, lang), "int")
            if change.change is not None and change.low is not None and change.high is not None:
                maker.put(sheet, row, 7, round(100 * change.change, 6), "num")
                maker.put(sheet, row, 8, round(100 * change.low, 6), "num")
                maker.put(sheet, row, 9, round(100 * change.high, 6), "num")
                maker.put(sheet, row, 10, w["yes"] if change.beyond_noise else w["no"])
    _finish(maker, sheet, top, row, [34, 22, 24, 14, 10, 14, 10, 12, 12, 12, 12])


def _finish(maker: SheetMaker, sheet: Worksheet, top: int, last: int, widths: list[int]) -> None:
    sheet.freeze_panes(top + 1, 1)
    sheet.autofilter(top, 0, max(last, top + 1), len(widths) - 1)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.set_row(top, 48)
    maker.print_setup(sheet, header_rows=top + 1)


def implementation_sheet(maker: SheetMaker, sheet: Worksheet, rows: list[SupportDelivery]) -> None:
    w, lang, k = maker.w, maker.lang, maker.k
    survey = maker.summary.survey
    maker.put(sheet, 0, 0, w["implementation"], "title")
    maker.put(sheet, 1, 0, w["implementation_note"], "note")
    top = 3
    _header(maker, sheet, top, [
        w["recommendation"], w["group"], w["support"], w["n"], w["rating"], w["owner"],
        w["status"], w["progress"], w["kpis_met"], w["kpis"], w["evidence"],
    ])  # fmt: skip
    row = top
    for item in rows:
        d = item.delivery
        for i, unit in enumerate(item.units):
            row += 1
            maker.put(sheet, row, 0, survey.text(item.recommendation.label, lang))
            maker.put(sheet, row, 1, maker.label(unit))
            if item.support:
                maker.put(sheet, row, 2, cell_value(item.support[i], "agree", k, lang), "pct")
                maker.put(sheet, row, 3, n_value(item.support[i], k, lang), "int")
            if item.rating:
                maker.put(sheet, row, 4, cell_value(item.rating[i], "agree", k, lang), "pct")
            maker.put(sheet, row, 5, d.owner or None)
            maker.put(sheet, row, 6, w.get(d.status, d.status))
            maker.put(sheet, row, 7, d.progress, "int")
            maker.put(sheet, row, 8, item.kpis_met, "int")
            maker.put(sheet, row, 9, len(item.kpis), "int")
            maker.put(sheet, row, 10, item.evidence, "int")
    _finish(maker, sheet, top, row, [34, 28, 14, 10, 16, 28, 14, 12, 12, 10, 10])
    _indicators(maker, sheet, rows, row + 2)


def _indicators(maker: SheetMaker, sheet: Worksheet, rows: list[SupportDelivery], row: int) -> None:
    """The indicators and the evidence links below the main table."""
    w, lang = maker.w, maker.lang
    survey = maker.summary.survey
    _header(maker, sheet, row, [
        w["recommendation"], w["kpi"], w["kpi_unit"], w["baseline"], w["target"], w["latest"],
        w["measured_on"], w["met"],
    ])  # fmt: skip
    for item in rows:
        for kpi in item.kpis:
            row += 1
            latest = kpi.latest
            maker.put(sheet, row, 0, survey.text(item.recommendation.label, lang))
            maker.put(sheet, row, 1, kpi.name)
            maker.put(sheet, row, 2, kpi.unit or None)
            maker.put(sheet, row, 3, kpi.baseline, "num")
            maker.put(sheet, row, 4, kpi.target, "num")
            if latest is not None:
                maker.put(sheet, row, 5, latest.value, "num")
                maker.put(sheet, row, 6, latest.measured_on, "date")
            maker.put(sheet, row, 7, w["yes"] if kpi.met else w["no"])
    row += 2
    _header(maker, sheet, row, [w["recommendation"], w["label"], w["url"]])
    for item in rows:
        for link in item.links:
            row += 1
            maker.put(sheet, row, 0, survey.text(item.recommendation.label, lang))
            maker.put(sheet, row, 1, link.label)
            maker.put(sheet, row, 2, link.url)
