"""The Rankings sheet: mean rank and Borda points per item and group, and a chart in which the
longer bar is the more important item (Borda points from zero; a mean rank drawn as a bar
would make the least important item look the winner)."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from consult.analysis.summarising import OVERALL, WEIGHTED
from consult.exports.summary.cells import cell_value, result_label
from consult.exports.summary.sheets import CHART_ROWS, HEADER_HEIGHT, SheetMaker
from consult.surveys.questions import question_type

# The two series: each respondent once (dark green), each group equally (amber).
SERIES = {OVERALL: "#0B5D3B", WEIGHTED: "#D98E04"}


def rankings(maker: SheetMaker, sheet: Worksheet) -> None:
    s, w = maker.summary, maker.w
    row = 0
    for result in s.rankings():
        question = result.question
        items = question_type(question.type).categories(question, maker.lang)
        units = list(result.by_group)
        maker.put(sheet, row, 0, result_label(result, maker.lang), "caption")
        spans = (("mean_rank", 1, "rank"), ("borda", 1 + len(units), "borda"))
        for key, start, _stat in spans:
            sheet.merge_range(
                row + 1, start, row + 1, start + len(units) - 1, w[key], maker.formats["header"]
            )
        header = row + 2
        maker.put(sheet, header, 0, w["item"], "header")
        for offset, unit in enumerate(units):
            for key, start, _stat in spans:
                heading = maker.heading(unit, w[f"{key}_short"])
                maker.put(sheet, header, start + offset, heading, "header")
        sheet.set_row(header, HEADER_HEIGHT)
        for line, (code, label) in enumerate(items, start=header + 1):
            maker.put(sheet, line, 0, label, "wrap")
            for offset, unit in enumerate(units):
                cell = result.by_group[unit]
                for _key, start, stat in spans:
                    value = cell_value(cell, f"{stat}:{code}", maker.k, maker.lang)
                    maker.put(sheet, line, start + offset, value, "num")
        last = header + len(items)
        if s.total and items:
            _chart(maker, sheet, header, last, 1 + len(units), units)
            last += CHART_ROWS + 1
        if row == 0:
            sheet.freeze_panes(header + 1, 1)
        row = last + 3
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 30, 13)
    maker.print_setup(sheet, header_rows=3 if s.rankings() else 0)


def _chart(
    maker: SheetMaker, sheet: Worksheet, header: int, last: int, borda: int, units: list[str]
) -> None:
    """Borda points of the two overall figures, one bar per item, the axis from zero."""
    chart = maker.book.add_chart({"type": "bar"})
    for unit, colour in SERIES.items():
        col = borda + units.index(unit)
        chart.add_series(
            {
                "name": maker.label(unit),
                "categories": [sheet.name, header + 1, 0, last, 0],
                "values": [sheet.name, header + 1, col, last, col],
                "fill": {"color": colour},
                "border": {"none": True},
                "gap": 60,
            }
        )
    chart.set_title({"name": maker.w["borda_chart"], "name_font": {"size": 10}})
    chart.set_x_axis({"min": 0, "num_format": "#,##0"})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 620, "height": CHART_ROWS * 20})
    sheet.insert_chart(last + 2, 0, chart)
