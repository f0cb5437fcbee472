"""Files for organizers: the raw workbook (``raw``, read by a forked process when large) and
the summary workbook (``summary/``), and the views that send them.

May import: ``consult.analysis`` (filters, figures, comments), ``consult.collection``,
``consult.accounts``, ``consult.surveys``, ``consult.spreadsheets`` and the foundation. Never
``authoring``, ``distribution`` or the shell.
"""
