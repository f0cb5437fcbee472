"""Security headers on every response, and addresses no page has a use for.

Who may use which route is declared on each view (``consult.accounts.access``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, abort, request

F = TypeVar("F", bound=Callable[..., Any])

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)


def body_limit(size: int) -> Callable[[F], F]:
    """A view that takes uploads larger than the application's limit (MAX_CONTENT_LENGTH).

    Applied before anything reads the body, CSRF protection included, which would otherwise
    refuse the upload under the smaller limit first.
    """

    def mark(view: F) -> F:
        view.body_limit = size  # type: ignore[attr-defined]
        return view

    return mark


def init_app(app: Flask) -> None:
    def _body_limit() -> None:
        view = app.view_functions.get(request.endpoint or "")
        limit = getattr(view, "body_limit", None)
        if limit is not None:
            request.max_content_length = limit

    # First of all before-request functions: CSRFProtect reads the form in its own.
    app.before_request_funcs.setdefault(None, []).insert(0, _body_limit)

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
        if request.endpoint != "static":
            # Pages, exports and workbooks alike: nothing of a consultation is kept in a cache
            # (a shared computer's browser, a proxy), whatever send_file proposed. Static files
            # set their own caching.
            headers["Cache-Control"] = "no-store"
        return response
