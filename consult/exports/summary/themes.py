"""The summary workbook's Themes sheet: per themed comment question, the share of each
stakeholder group's commenters whose comment carries each theme (analysis/themes/tables.py),
small cells suppressed as in every other sheet."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from consult.analysis.summarising import Status
from consult.analysis.themes.tables import ThemeTable
from consult.exports.summary.sheets import SHARE_SCALE, SheetMaker

WORDS = {
    "en": {
        "title": "Themes raised in the comments",
        "note": "Share of each stakeholder group's commenters on the question whose comment "
        "carries the theme: reviewed themes where an analyst reviewed the comment, the "
        "machine's proposal otherwise. Groups with fewer than {k} commenters show no share.",
        "theme": "Theme",
        "code": "Code",
        "commenters": "Commenters",
        "none": "No themes are defined for this survey.",
    },
    "ur": {
        "title": "آراء میں اٹھائے گئے موضوعات",
        "note": "سوال پر رائے دینے والے ہر فریقین کے گروہ کے افراد میں سے ان کا تناسب "
        "جن کی رائے میں یہ موضوع ہے: جہاں تجزیہ کار نے جائزہ لیا وہاں جائزہ شدہ موضوعات، "
        "ورنہ مشین کی تجویز۔ {k} سے کم رائے دہندگان والے گروہوں کا تناسب نہیں دکھایا جاتا۔",
        "theme": "موضوع",
        "code": "کوڈ",
        "commenters": "رائے دہندگان",
        "none": "اس سوالنامے کے لیے کوئی موضوع طے نہیں کیا گیا۔",
    },
}


def themes_sheet(maker: SheetMaker, sheet: Worksheet, tables: list[ThemeTable]) -> None:
    w = WORDS.get(maker.lang, WORDS["en"])
    survey, k = maker.summary.survey, maker.k
    maker.put(sheet, 0, 0, w["title"], "title")
    sheet.merge_range(1, 0, 1, 8, w["note"].format(k=k), maker.formats["note"])
    sheet.set_row(1, 32)
    row = 3
    if not tables:
        maker.put(sheet, row, 0, w["none"], "caption")
    for table in tables:
        question = table.question
        maker.put(sheet, row, 0, f"{question.code} — {survey.text(question.label, maker.lang)}",
                  "caption")  # fmt: skip
        row += 1
        maker.put(sheet, row, 0, w["theme"], "header")
        maker.put(sheet, row, 1, w["code"], "header")
        for col, unit in enumerate(table.units, start=2):
            maker.put(sheet, row, col, maker.label(unit), "header")
        row += 1
        maker.put(sheet, row, 0, w["commenters"], "sub")
        for col, unit in enumerate(table.units, start=2):
            cell = table.cells[unit]  # as elsewhere: a hidden cell's size shows, not its shares
            small = cell.status == Status.small
            maker.put(sheet, row, col, f"<{k}" if small else int(cell.n or 0), "int")
        first = row + 1
        for theme_row in table.rows:
            row += 1
            maker.put(sheet, row, 0, survey.text(theme_row.theme.label, maker.lang), "wrap")
            maker.put(sheet, row, 1, theme_row.theme.code)
            for col, unit in enumerate(table.units, start=2):
                share = theme_row.shares[unit]
                small = table.cells[unit].status == Status.small
                hidden = table.cells[unit].status == Status.hidden
                shown = f"<{k}" if small else maker.w["hidden"] if hidden else "–"
                maker.put(sheet, row, col, share if share is not None else shown, "pct")
        if table.rows:
            sheet.conditional_format(first, 2, row, 1 + len(table.units), SHARE_SCALE)
        row += 2
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, 12, 14)
    maker.print_setup(sheet)
