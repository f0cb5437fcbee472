"""The OpenAPI document's settings and the flask-smorest extension that writes it."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_smorest import Api

SETTINGS: dict[str, Any] = {
    "API_TITLE": "consult",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "v1/openapi.json",
    # No Swagger UI or ReDoc: their pages load scripts from a CDN, which a deployment offline
    # (or behind a strict CSP) cannot reach. /api/docs is a page of our own (views/docs.py).
    "OPENAPI_SWAGGER_UI_PATH": None,
    "OPENAPI_REDOC_PATH": None,
    "API_SPEC_OPTIONS": {
        "info": {
            "description": (
                "Surveys, responses, summary figures and invitations of consult. Send a "
                "personal token (made on your account page) as `Authorization: Bearer <token>`."
            )
        },
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    },
}


class ConsultApi(Api):
    """flask-smorest's Api without its application-wide error handler: the web pages keep
    their own error pages; the API blueprint answers its errors in JSON (views/__init__.py)."""

    def _register_error_handlers(self) -> None:
        return None

    def init_app(self, app: Flask, *, spec_kwargs: dict[str, Any] | None = None) -> None:
        for key, value in SETTINGS.items():
            app.config.setdefault(key, value)
        super().init_app(app, spec_kwargs=spec_kwargs)


api = ConsultApi()
