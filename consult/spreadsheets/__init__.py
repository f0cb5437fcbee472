"""Spreadsheets, knowing no survey: the streaming SpreadsheetML writer, the xlsxwriter fallback,
safe cell text (sanitise) and safe reading of uploads (size and zip limits before parsing).

May import: the foundation only.
"""
