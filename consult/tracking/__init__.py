"""Implementation tracking: who delivers each recommendation, how far it has come, its KPIs
and the evidence (issue 19). Organizers edit it; analysis/delivery.py sets it beside support.

May import: accounts (access, the audit trail), the kernel and the foundation. Never collection
(its sibling in the layer), analysis or anything above it, or the shell.
"""
