"""/api/docs: the API's operations, read from its OpenAPI document, on a page of our own.

Swagger UI and ReDoc load their scripts from a CDN, which an offline deployment cannot reach
and the site's content security policy would refuse; this page needs neither, and links the
document itself for tools that render it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from consult.accounts.access import public
from consult.api.spec import api

docs_bp = Blueprint("api_docs", __name__)
METHODS = ("get", "post", "put", "patch", "delete")


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation of the document: method, path, summary, parameters, answers."""
    found = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            found.append({
                "method": method.upper(), "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": [*item.get("parameters", []), *operation.get("parameters", [])],
                "body": "requestBody" in operation,
                "responses": sorted(operation.get("responses", {})),
            })  # fmt: skip
    return found


@docs_bp.get("/api/docs")
@public
def page() -> str:
    spec = api.spec.to_dict()
    return render_template("api/docs.html", spec=spec, operations=operations(spec))
