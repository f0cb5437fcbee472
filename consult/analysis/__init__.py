"""Where each stakeholder group stands: filters, thresholds, counting, summarising (with
small-cell suppression), open comments, and the results page.

May import: ``consult.collection`` (the Response and Answer tables it counts), ``consult.accounts``,
``consult.surveys`` and the foundation. Never ``authoring``, ``distribution``, ``exports`` or the
shell.
"""
