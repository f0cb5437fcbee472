"""The kernel: what a survey is, independent of how it is made, answered or reported.

Survey, Section, Question, Choice, Recommendation and StakeholderGroup (``models``), the question
types (``questions/``: one class per type owns its field, validation, storage, export, import,
figures, builder title, settings and XLSForm name), expressions for skip logic and constraints,
the checks a definition must pass, the raw table's columns, code patterns and survey texts.

May import: the foundation (``consult.db``, ``consult.forms``, ``consult.i18n``, ...) and
``consult.spreadsheets``. Never a feature, ``consult.accounts`` or the shell.
"""
