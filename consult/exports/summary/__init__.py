"""The summary workbook (``summary.xlsx``): sheets laid out with xlsxwriter (``sheets``,
``cells``, ``wording``), the Comments sheet written by its own writer (``comments``), possibly in
a helper process (``comment_job``); ``workbook.summary_workbook`` puts them together. May
import what exports may: analysis (figures, comments), collection, the kernel, spreadsheets.
"""
