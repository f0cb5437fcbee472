"""The API's routes: one module per resource, all on one blueprint (blueprint.py)."""

from __future__ import annotations

from consult.api.views import invitations, responses, surveys
from consult.api.views.blueprint import bp
from consult.api.views.docs import docs_bp

__all__ = ["bp", "docs_bp", "invitations", "responses", "surveys"]
