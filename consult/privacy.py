"""Keep respondents out of the logs: no client address, query string, token or code.

The development server logs every request with the client's IP and the full URL, which
carries group codes, invitation tokens and resume codes; on a malformed request it logs the
raw request line in an error message instead. consult's promise to anonymous respondents
covers logs too, so every record of the ``werkzeug`` logger is formatted here first, then
redacted, and handlers only ever see the redacted text (never the arguments: a handler that
failed to format them would dump them raw). gunicorn, the production server, writes no access
log unless told to (docs/deployment.md); SQL parameters are kept out of database errors by
the engine (``hide_parameters``, db.py).
"""

from __future__ import annotations

import logging
import re

_LEADING_ADDRESS = re.compile(r"^\S+ - - \[")
# Anything after a "?" up to the end of the URL (a space, a quote, a bracket or the line's end).
_QUERY = re.compile(r"\?[^\s\"')\]]*")
# Invitation tokens, Delphi round links and resume codes ride in the path.
_SECRET_PATHS = re.compile(r"/(i|d|resume)/[^\s?\"')\]/]+")
# What a malformed request line can hold besides a path: a long run of token-like characters.
_LONG_TOKEN = re.compile(r"[A-Za-z0-9_\-]{20,}")


def redact(line: str) -> str:
    line = _SECRET_PATHS.sub(r"/\1/…", _QUERY.sub("", line))
    return _LONG_TOKEN.sub("…", line)


class RedactRequestLines(logging.Filter):
    """Formats each record itself, then keeps only the redacted text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit: say so, show neither
            message = str(record.msg)
        if _LEADING_ADDRESS.match(message):
            message = _LEADING_ADDRESS.sub("- - - [", message, count=1)
        record.msg, record.args = redact(message), ()
        return True


def install() -> None:
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactRequestLines) for f in logger.filters):
        logger.addFilter(RedactRequestLines())
