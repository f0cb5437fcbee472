"""Making and changing surveys: the builder's views (``views/``), the services they call
(``surveys``, ``content``, ``choices``), definitions in YAML (``definitions``) and XLSForm in and
out (``xlsform/``). A survey built here is one the definition loader would accept.

May import: ``consult.collection`` (whether anything was answered; the answering flow for the
preview), ``consult.accounts``, ``consult.surveys``, ``consult.spreadsheets`` and the foundation.
Never ``analysis``, ``distribution``, ``exports`` or the shell.
"""
