"""The REST API under /api/v1 (flask-smorest: marshmallow schemas, an OpenAPI 3.1 document).

Bearer tokens only (accounts/tokens.py); no cookie reaches an API route, so no API write can
ride on a signed-in browser. docs/architecture.md says why flask-smorest.

May import: the features below it (authoring, exports, distribution, review), analysis,
collection, accounts, the kernel, spreadsheets and the foundation. Never delphi or webhooks (its
siblings in the layer) or the shell.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from consult.accounts.access import public


def init_app(app: Flask) -> None:
    """The API's blueprint and its OpenAPI document (after the other blueprints)."""
    from consult.api.spec import api
    from consult.api.views import bp, docs_bp

    api.init_app(app)
    api.register_blueprint(bp)
    app.register_blueprint(docs_bp)
    # The OpenAPI document is public, as the page that lists it (it holds no survey).
    endpoint = "api-docs.openapi_json"
    document = app.view_functions[endpoint]

    @public
    def openapi_json() -> Any:
        return document()

    app.view_functions[endpoint] = openapi_json
