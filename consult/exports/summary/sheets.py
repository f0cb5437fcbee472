"""The small sheets of the summary workbook, laid out with xlsxwriter (see summary.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from consult.analysis.exclusion import Comparison
from consult.analysis.summarising import OVERALL, WEIGHTED, Result, Summary
from consult.exports.summary.cells import (
    NUMERIC,
    cell_value,
    channel_label,
    filters_text,
    language_name,
    make_formats,
    n_value,
    result_label,
    safe_text,
    unit_label,
)
from consult.exports.summary.wording import words
from consult.surveys.questions import question_type

# A colour scale for shares: red at 0%, yellow at 50%, green at 100%, whatever the data.
SHARE_SCALE = {
    "type": "3_color_scale",
    "min_type": "num",
    "min_value": 0,
    "mid_type": "num",
    "mid_value": 0.5,
    "max_type": "num",
    "max_value": 1,
    "min_color": "#F8696B",
    "mid_color": "#FFEB84",
    "max_color": "#63BE7B",
}
NOTES = (
    "note_agree",
    "note_weighted",
    "note_small",
    "note_consensus",
    "note_split",
    "note_comments",
)
CHART_ROWS = 16  # rows a chart covers: blocks are at least this tall so charts never overlap
HEADER_HEIGHT = 78  # points: a heading row of four or five wrapped lines, never cut


class SheetMaker:
    def __init__(self, book: Workbook, summary: Summary, lang: str, rtl: bool) -> None:
        self.book, self.summary, self.lang, self.rtl = book, summary, lang, rtl
        self.w = words(lang)
        self.k = summary.thresholds.k
        self.formats = make_formats(book, rtl)

    def add(self, name: str) -> Worksheet:
        sheet = self.book.add_worksheet(name)
        if self.rtl:
            sheet.right_to_left()
        return sheet

    def put(self, sheet: Worksheet, row: int, col: int, value: Any, fmt: str = "text") -> None:
        """Write one cell; text is cleaned and never becomes a formula."""
        if value is None:
            return
        if isinstance(value, str):
            if fmt in NUMERIC or fmt == "date":
                fmt = "small"
            text, quoted = safe_text(value)
            name = fmt + "_q" if quoted and fmt + "_q" in self.formats else fmt
            sheet.write_string(row, col, text, self.formats[name])
        elif isinstance(value, datetime | date):
            sheet.write_datetime(row, col, value, self.formats["date"])
        else:
            sheet.write_number(row, col, value, self.formats.get(fmt))

    def print_setup(self, sheet: Worksheet, header_rows: int = 0) -> None:
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        sheet.set_footer("&C&P / &N")
        if header_rows:
            sheet.repeat_rows(0, header_rows - 1)

    def label(self, unit: str, by: str = "group") -> str:
        return unit_label(self.summary, unit, self.lang, by)

    def heading(self, unit: str, measure: str) -> str:
        """A column heading naming both its unit and its measure: unique within its row."""
        return f"{self.label(unit)} — {measure}"

    # ---------------------------------------------------------------- Overview
    def overview(self, sheet: Worksheet, comparison: Comparison | None = None) -> None:
        s, w = self.summary, self.w
        survey = s.survey
        self.put(sheet, 0, 0, survey.text(survey.title, self.lang), "title")
        facts: list[tuple[str, Any]] = [
            (w["consultation"], survey.slug),
            (w["responses"], s.total),
            (w["filters"], self._filters()),
            (w["k"], self.k),
        ]
        row = 2
        for name, value in facts:
            self.put(sheet, row, 0, name, "sub")
            self.put(sheet, row, 1, value, "int" if isinstance(value, int) else "text")
            row += 1
        self.put(sheet, row, 0, w["period"], "sub")
        if s.first and s.last:
            self.put(sheet, row, 1, s.first.date())
            self.put(sheet, row, 2, w["to"])
            self.put(sheet, row, 3, s.last.date())
        row += 2
        if not s.total:
            self.put(sheet, row, 0, w["no_responses"], "caption")
            row += 2
        self.put(sheet, row, 0, w["notes"], "caption")
        th = s.thresholds
        for key in NOTES:
            row += 1
            text = w[key].format(
                k=self.k, share=th.consensus_share, iqr=th.consensus_iqr, spread=th.split_spread
            )
            sheet.merge_range(row, 0, row, 8, text, self.formats["note"])
            sheet.set_row(row, 32)
        row += 2
        if comparison is not None:
            row = self._exclusion(sheet, row, comparison) + 1
        row = self._counts_by_group_and_region(sheet, row) + 1
        row = self._counts(sheet, row, w["channel"], "channel", channel_label) + 1
        self._counts(sheet, row, w["language"], "language", lambda c, _: language_name(c))
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, 12, 14)
        self.print_setup(sheet)

    def _exclusion(self, sheet: Worksheet, row: int, comparison: Comparison) -> int:
        """The figures the other way (review's exclusions), as the results page shows them."""
        w = self.w
        self.put(sheet, row, 0, w["excluded_title"], "sub")
        row += 1
        other = self._count(comparison.other_total)
        self.put(sheet, row, 0, w["excluded_n"].format(n=comparison.excluded, other=other))
        row += 1
        here, there = "agree_without_excluded", "agree_with_excluded"
        if comparison.with_excluded:
            here, there = there, here
        for col, name in enumerate((w["recommendation"], w[here], w[there])):
            self.put(sheet, row, col, name, "header")
        for label, this_way, other_way in comparison.rows:
            row += 1
            self.put(sheet, row, 0, label, "wrap")
            self.put(sheet, row, 1, this_way)
            self.put(sheet, row, 2, other_way)
        return row + 1

    def _filters(self) -> str:
        return filters_text(self.summary, self.lang)

    def _count(self, n: float) -> int | str:
        """A respondent count: exact, or "<k" when it is a small cell."""
        return self.w["small"].format(k=self.k) if 0 < n < self.k else int(n)

    def _counts_by_group_and_region(self, sheet: Worksheet, row: int) -> int:
        s = self.summary
        # Responses per group and province code as stored (totals include every code).
        table: dict[str, dict[str, int]] = {}
        for group, region, _, _, n in s.respondents:
            cells = table.setdefault(group, {})
            cells[region] = cells.get(region, 0) + n
        self.put(sheet, row, 0, f"{self.w['group']} × {self.w['region']}", "header")
        for col, region in enumerate(s.regions, start=1):
            self.put(sheet, row, col, self.label(region, "region"), "header")
        self.put(sheet, row, len(s.regions) + 1, self.w["total"], "header")
        for group in s.groups:
            row += 1
            self.put(sheet, row, 0, self.label(group), "text")
            cells = table.get(group, {})
            for col, region in enumerate(s.regions, start=1):
                self.put(sheet, row, col, self._count(cells.get(region, 0)), "int")
            total = sum(cells.values())
            self.put(sheet, row, len(s.regions) + 1, self._count(total), "int")
        row += 1
        self.put(sheet, row, 0, self.w["total"], "sub")
        for col, region in enumerate(s.regions, start=1):
            total = sum(cells.get(region, 0) for cells in table.values())
            self.put(sheet, row, col, self._count(total), "int")
        self.put(sheet, row, len(s.regions) + 1, s.total, "int")
        return row + 1

    def _counts(self, sheet: Worksheet, row: int, title: str, column: str, name: Any) -> int:
        self.put(sheet, row, 0, title, "header")
        self.put(sheet, row, 1, self.w["responses"], "header")
        sizes: dict[str, int] = {}
        for _, _, language, channel, n in self.summary.respondents:
            code = language if column == "language" else channel
            sizes[code] = sizes.get(code, 0) + n
        for code, n in sorted(sizes.items()):
            row += 1
            self.put(sheet, row, 0, name(str(code), self.lang), "text")
            self.put(sheet, row, 1, self._count(n), "int")
        return row + 1

    # --------------------------------------------------------- Recommendations
    def recommendations(self, sheet: Worksheet) -> None:
        s, w = self.summary, self.w
        units = [*s.groups, OVERALL, WEIGHTED]
        width = len(units)
        row = 0
        for index, block in enumerate(s.blocks()):
            first = block[0][1].question
            self.put(sheet, row, 0, s.survey.text(first.label, self.lang), "caption")
            spans = (("agree", 1), ("n", 1 + width), ("consensus", 1 + 2 * width))
            for key, start in spans:
                sheet.merge_range(
                    row + 1, start, row + 1, start + width - 1, w[key], self.formats["header"]
                )
            header = row + 2
            self.put(sheet, header, 0, w["recommendation"], "header")
            for offset, unit in enumerate(units):
                for key, start in spans:
                    self.put(sheet, header, start + offset, self.heading(unit, w[key]), "header")
            sheet.set_row(header, HEADER_HEIGHT)
            self.put(sheet, header, 1 + 3 * width, w["spread"], "header")
            self.put(sheet, header, 2 + 3 * width, w["split"], "header")
            for line, (rec, result) in enumerate(block, start=header + 1):
                self.put(sheet, line, 0, s.survey.text(rec.label, self.lang), "wrap")
                for offset, unit in enumerate(units):
                    cell = result.by_group[unit]
                    self.put(
                        sheet, line, 1 + offset, cell_value(cell, "agree", self.k, self.lang), "pct"
                    )
                    self.put(
                        sheet, line, 1 + width + offset, n_value(cell, self.k, self.lang), "int"
                    )
                    mark = result.consensus.get(unit)
                    if mark:
                        self.put(
                            sheet, line, 1 + 2 * width + offset, w[f"consensus_{mark}"], "mark"
                        )
                if result.divergence is not None:
                    self.put(sheet, line, 1 + 3 * width, result.divergence.spread, "num")
                    if result.divergence.split:
                        self.put(sheet, line, 2 + 3 * width, w["yes"], "mark")
            last = header + len(block)
            sheet.conditional_format(header + 1, 1, last, width, SHARE_SCALE)
            if index == 0:
                sheet.freeze_panes(header + 1, 1)
                sheet.autofilter(header, 0, last, 2 + 3 * width)
            row = last + 3
        if row == 0:
            self.put(sheet, 0, 0, w["no_responses"], "caption")
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, 3 * width, 15)
        sheet.set_column(1 + 3 * width, 2 + 3 * width, 15)
        self.print_setup(sheet, header_rows=3)

    # ----------------------------------------------------------- Distributions
    def distributions(self, sheet: Worksheet) -> None:
        row = 0
        for result in self.summary.results:
            if question_type(result.question.type).ranks:
                self.put(sheet, row, 0, result_label(result, self.lang), "caption")
                self.put(sheet, row + 1, 0, self.w["see_rankings"], "note")
                row += 3
                continue
            row = self._distribution(sheet, row, result)
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, 20, 11)
        self.print_setup(sheet)

    def _distribution(self, sheet: Worksheet, row: int, result: Result) -> int:
        w = self.w
        question = result.question
        categories = question_type(question.type).categories(question, self.lang)
        stats = question_type(question.type).stats
        self.put(sheet, row, 0, result_label(result, self.lang), "caption")
        header = row + 1
        columns = [w["unit"], w["n"], *(label for _, label in categories), *(w[x] for x in stats)]
        for col, name in enumerate(columns):
            self.put(sheet, header, col, name, "header")
        line = header
        group_units = list(result.by_group)
        for unit in group_units:
            line += 1
            self._figure_row(
                sheet, line, self.label(unit), result.by_group[unit], categories, stats
            )
        last_group = line
        line += 1
        self.put(sheet, line, 0, w["by_region"], "sub")
        for unit, cell in result.by_region.items():
            if unit != "__overall__":
                line += 1
                self._figure_row(sheet, line, self.label(unit, "region"), cell, categories, stats)
        if categories and result.by_group[OVERALL].shown:  # no chart of nothing
            # Shares of one choice add up to 100%: stacked; multi-select shares do not.
            multi = not question_type(question.type).shares_add_up
            chart = self.book.add_chart(
                {"type": "bar"} if multi else {"type": "bar", "subtype": "percent_stacked"}
            )
            for offset, (_key, _label) in enumerate(categories):
                col = 2 + offset
                chart.add_series(
                    {
                        "name": [sheet.name, header, col],
                        "categories": [sheet.name, header + 1, 0, last_group, 0],
                        "values": [sheet.name, header + 1, col, last_group, col],
                        "gap": 60,
                    }
                )
            title = question.survey.text(question.label, self.lang)
            chart.set_title({"name": title, "name_font": {"size": 10}})
            chart.set_x_axis(
                {"num_format": "0%", "min": 0, "max": 1} if multi else {"num_format": "0%"}
            )
            chart.set_y_axis({"reverse": True})
            chart.set_legend({"position": "bottom"})
            chart.set_size({"width": 620, "height": CHART_ROWS * 20})
            sheet.insert_chart(row, len(columns) + 1, chart)
        return max(line, row + CHART_ROWS) + 2

    def _figure_row(
        self,
        sheet: Worksheet,
        line: int,
        label: str,
        cell: Any,
        categories: list[tuple[str, str]],
        stats: tuple[str, ...],
    ) -> None:
        self.put(sheet, line, 0, label, "text")
        self.put(sheet, line, 1, n_value(cell, self.k, self.lang), "int")
        for offset, (key, _) in enumerate(categories):
            self.put(
                sheet, line, 2 + offset, cell_value(cell, f"pct:{key}", self.k, self.lang), "pct"
            )
        for offset, stat in enumerate(stats):
            fmt = "pct" if stat in ("agree", "disagree") else "num"
            self.put(
                sheet,
                line,
                2 + len(categories) + offset,
                cell_value(cell, stat, self.k, self.lang),
                fmt,
            )
