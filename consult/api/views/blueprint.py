"""The API's blueprint: JSON errors, bearer tokens only, limits like sign-in's."""

from __future__ import annotations

from flask import Response, current_app
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException

from consult.api.spec import api
from consult.extensions import csrf, limiter

bp = Blueprint(
    "api", __name__, url_prefix="/api/v1",
    description="Surveys, responses, summary figures and invitations.",
)  # fmt: skip
# No cookie authenticates here (views/auth.py reads the bearer token alone), so a forged
# cross-site request carries nothing: CSRF tokens are for the cookie-authenticated pages.
csrf.exempt(bp)


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _api_limit() -> str:
    return str(current_app.config["API_RATE_LIMIT"])


def _refused(response: Response) -> bool:
    """Only refused tokens count against the sign-in limit (guessing), as failed sign-ins do."""
    return response.status_code == 401


# Per client address: failed authentications, at the sign-in rate; all requests, generously.
limiter.limit(_login_limit, deduct_when=_refused)(bp)
limiter.limit(_api_limit)(bp)


@bp.errorhandler(HTTPException)
def _json_error(error: HTTPException) -> tuple[dict[str, object], int, dict[str, str]]:
    """Errors of API routes in JSON ({code, status, message, errors}), never an HTML page."""
    payload, status, headers = api.handle_http_exception(error)
    if status == 401:
        headers = {**headers, "WWW-Authenticate": 'Bearer realm="consult"'}
    return payload, status, headers
