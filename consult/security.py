"""Security headers on every response, and addresses no page has a use for.

Who may use which route is declared on each view (``consult.accounts.access``).
"""

from __future__ import annotations

from flask import Flask, Response, abort, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)


def init_app(app: Flask) -> None:
    @app.before_request
    def _refuse_nul() -> None:
        # No page has a use for NUL in its address, and PostgreSQL cannot compare text with it.
        if "\x00" in request.path or any("\x00" in v for v in request.args.values()):
            abort(404)

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        # Invitation and resume tokens ride in URLs: never leak them to another site.
        headers["Referrer-Policy"] = "no-referrer"
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if response.mimetype == "text/html":
            headers.setdefault("Cache-Control", "no-store")
        return response
