"""Error pages: every error a person can meet gets a page in their language, never a stack trace."""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as SATimeoutError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from consult import db

MESSAGES = {
    400: _l("The request could not be understood. Go back, reload the page and try again."),
    403: _l("You do not have access to this page."),
    404: _l("There is nothing at this address. Check the link you were given."),
    405: _l("This page cannot be used that way."),
    409: _l("This has already been done."),
    410: _l("This consultation is closed and no longer takes answers."),
    413: _l("What you sent is too large. Shorten long answers and try again."),
    429: _l("Too many attempts. Wait a minute and try again."),
    500: _l("Something went wrong on our side. Your answers were not saved; please try again."),
    503: _l(
        "The service is busy or under maintenance. Your answers were not saved; "
        "please try again in a few minutes."
    ),
}


def render_error(code: int, detail: str | None = None) -> tuple[str, int]:
    message = detail or str(MESSAGES.get(code, MESSAGES[400]))
    return render_template("errors/error.html", code=code, message=message), code


def too_large() -> str:
    """The 413 message, naming the limit of the page the body was sent to."""
    limit = request.max_content_length or current_app.config.get("MAX_CONTENT_LENGTH")
    if not limit:
        return str(MESSAGES[413])
    size = f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return str(_l("What you sent is larger than %(size)s, the most this page takes.", size=size))


KEEP_ANSWERS = _l(
    "We could not save your answers just now. They are kept in this page: wait a minute, then"
    " send them again."
)
TOO_FAST = _l(
    "Too many attempts from your connection in a short time. Your answers are kept in this"
    " page: wait a minute, then send them again."
)


def keeps_answers() -> bool:
    """Whether this request posted answers a respondent typed (the view says so: a view marked
    ``keeps_answers`` by collection.entry.respondent_view)."""
    view = current_app.view_functions.get(request.endpoint or "")
    return request.method == "POST" and bool(getattr(view, "keeps_answers", False))


def keep_answers(code: int, message: str | None = None) -> tuple[str, int]:
    """A page holding every posted field, to send again: it needs no database and no survey."""
    fields = list(request.form.items(multi=True))
    typed = [v for k, v in fields if k.startswith("q_") and v.strip() and len(v) > 1]
    page = render_template(
        "errors/keep_answers.html",
        code=code,
        message=message or str(KEEP_ANSWERS),
        action=request.full_path.rstrip("?"),
        fields=fields,
        typed=typed,
    )
    return page, code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_error: CSRFError) -> tuple[str, int]:
        return render_error(
            400, str(_l("This form has expired. Go back, reload the page and submit it again."))
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[str, int]:
        if error.code == 413:
            return render_error(413, too_large())
        if error.code == 429 and keeps_answers():
            return keep_answers(429, str(TOO_FAST))
        if error.code == 503 and keeps_answers():
            return keep_answers(503)
        return render_error(error.code or 500)

    @app.errorhandler(DBAPIError)
    @app.errorhandler(SATimeoutError)
    def _database_down(_error: Exception) -> tuple[str, int]:
        db.discard_session()
        app.logger.warning("database unavailable: %s", type(_error).__name__)
        if keeps_answers():
            return keep_answers(ServiceUnavailable.code)
        return render_error(ServiceUnavailable.code)

    if app.testing:
        return  # tests see the real exception instead of the friendly page

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        app.logger.exception("unhandled error", exc_info=error)
        return render_error(InternalServerError.code)
