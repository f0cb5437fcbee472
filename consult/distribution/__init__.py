"""Reaching stakeholders: the invitations page (make, upload, revoke), group links and QR
codes, and the live monitor of response counts.

May import: ``consult.collection`` (invitation tokens, responses), ``consult.accounts``,
``consult.surveys``, ``consult.spreadsheets`` and the foundation. Never ``authoring``,
``analysis``, ``exports`` or the shell.
"""
