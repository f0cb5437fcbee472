"""The study workbook: Protocol, Participation, Item_Stats, Consensus_Matrix, Stability,
Attrition, Concordance (Kendall's W), Comments (comments and reasons, sorted, without the key)
and Panel_Answers (each panellist's ratings by keyed pseudonym, round by round).

Written with the shared streaming writer (spreadsheets.workbooks: every text cell cleaned and
quote-prefixed by spreadsheets.sanitise). No sheet holds a name or an address.
"""

from __future__ import annotations

from typing import IO, Any

from consult.delphi.report import ALL, StudyReport
from consult.delphi.statistics import item_stats
from consult.spreadsheets.workbooks import SheetWriter, workbook

Row = list[Any]


def _sheet(book: Any, name: str, headers: list[str], rows: list[Row]) -> None:
    writer = SheetWriter(book, name, rtl=False)
    writer.header(headers)
    for row in rows:
        writer.write(row)


def protocol_rows(report: StudyReport, title: str) -> list[Row]:
    return [
        ["Study", title],
        ["Rounds", len(report.rounds)],
        ["Rating items", ", ".join(report.codes)],
        ["Scale points", report.points],
        ["Smallest group shown (k)", report.k],
        *[[name, text] for name, text in report.protocol.rows()],
        ["Panellist key", "HMAC-SHA256 of the panellist's random pseudonym under this study's "
                          "key: joins the rounds of this study, never another study"],
        ["SD", "sample standard deviation (n - 1)"],
        ["Weighted kappa", "Cohen's kappa, linear weights, over the full points x points table"],
        ["Wilcoxon", "signed-rank test, two-sided, zero differences dropped"],
        ["McNemar", "exact test on agree / not agree"],
        ["Kendall's W", "chi-square of Friedman's test / (m (n - 1)); ties averaged"],
    ]  # fmt: skip


def item_rows(report: StudyReport) -> list[Row]:
    rows: list[Row] = []
    for found in report.rounds:
        for code, s in report.item_stats(found.number):
            shares = [s.shares.get(p) for p in range(1, report.points + 1)]
            rows.append([found.number, code, report.labels.get(code, ""), s.invited, s.responded,
                         s.cannot_judge, s.rated, *shares, s.median, s.q1, s.q3, s.iqr, s.mean,
                         s.sd, s.agree, s.disagree, s.status])  # fmt: skip
    return rows


def matrix_rows(report: StudyReport) -> list[Row]:
    rows: list[Row] = []
    for found in report.rounds:
        for code in report.codes:
            row: Row = [found.number, code]
            for group in [ALL, *report.groups]:
                keys = {k for k, g in found.groups.items() if group == ALL or g == group}
                values = found.values(code, keys)
                if group != ALL and len(values) < report.k:
                    row.append(f"<{report.k}")
                    continue
                s = item_stats(values, 0, 0, report.points, report.protocol)
                row.append(f"{s.status} ({s.agree:.0f}% agree)" if s.rated else "")
            rows.append(row)
    return rows


def stability_rows(report: StudyReport) -> list[Row]:
    rows: list[Row] = []
    for found in report.rounds[1:]:
        for code, p in report.paired(found.number):
            rows.append([f"{found.number - 1}->{found.number}", code, p.paired, p.unchanged,
                         p.agree_to_disagree, p.disagree_to_agree, p.kappa, p.wilcoxon_p,
                         p.mcnemar_p, p.delta_agree, p.delta_iqr, _stable(p.stable)])  # fmt: skip
    return rows


def _stable(stable: bool | None) -> str | None:
    return None if stable is None else ("stable" if stable else "not stable")


def attrition_rows(report: StudyReport) -> list[Row]:
    rows: list[Row] = []
    for code, group, a in report.attrition():
        if a is None:
            rows.append([code, group, f"<{report.k}", None, None, None, None])
        else:
            rows.append([code, group, a.stayed, a.left, a.agree_stayed, a.agree_left, a.fisher_p])
    return rows


def answer_rows(report: StudyReport) -> list[Row]:
    rows: list[Row] = []
    for found in report.rounds:
        for pkey in sorted(found.ratings):
            ratings = found.ratings[pkey]
            rows.append([found.number, pkey, found.groups.get(pkey) or "",
                         *[("cannot judge" if code in ratings and ratings[code] is None
                            else ratings.get(code)) for code in report.codes]])  # fmt: skip
    return rows


def write_study(target: str | IO[bytes], report: StudyReport, title: str) -> None:
    book = workbook(target)
    points = [f"% {p}" for p in range(1, report.points + 1)]
    _sheet(book, "Protocol", ["Setting", "Value"], protocol_rows(report, title))
    _sheet(book, "Participation", ["Round", "Group", "Invited", "Responded", "Retention %"],
           [list(r) for r in report.participation()])  # fmt: skip
    _sheet(book, "Item_Stats", ["Round", "Item", "Label", "Invited", "Responded", "Cannot judge",
                                "Rated", *points, "Median", "Q1", "Q3", "IQR", "Mean", "SD",
                                "% agree", "% disagree", "Status"], item_rows(report))  # fmt: skip
    _sheet(book, "Consensus_Matrix", ["Round", "Item", ALL, *report.groups], matrix_rows(report))
    _sheet(book, "Stability", ["Rounds", "Item", "Paired", "% unchanged", "% agree to disagree",
                               "% disagree to agree", "Weighted kappa", "Wilcoxon p",
                               "McNemar p", "Change in % agree", "Change in IQR", "Stability"],
           stability_rows(report))  # fmt: skip
    _sheet(book, "Attrition", ["Item", "Group", "Stayed", "Left", "Round-1 % agree, stayed",
                               "Round-1 % agree, left", "Fisher exact p"],
           attrition_rows(report))  # fmt: skip
    _sheet(
        book,
        "Concordance",
        ["Round", "Of", "Panellists", "Kendall's W"],
        [list(row) for row in report.concordances()],
    )
    _sheet(book, "Comments", ["Round", "Item", "Kind", "Shown to the panel", "Text"],
           [[f.number, code, kind, "yes" if shown else "no", text]
            for f in report.rounds for code, kind, shown, text in sorted(f.notes)])  # fmt: skip
    _sheet(
        book,
        "Panel_Answers",
        ["Round", "Panellist key (HMAC)", "Group", *report.codes],
        answer_rows(report),
    )
    book.close()
