"""Implementation tracking: who delivers each recommendation, how far it has come, its KPIs
and the evidence (issue 19). Organizers edit it; analysis/delivery.py sets it beside support."""
