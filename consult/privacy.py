"""Keep respondents out of the logs: no client address, query string or token in request lines.

The development server logs every request with the client's IP and the full URL, which
carries group codes, invitation tokens and resume codes. consult's promise to anonymous
respondents covers logs too, so request log lines are rewritten before any handler sees them.
(gunicorn, the production server, writes no access log unless told to; docs/deployment.md.)
"""

from __future__ import annotations

import logging
import re

_LEADING_ADDRESS = re.compile(r"^\S+ - - \[")
_QUERY = re.compile(r"\?[^ \"]*")
_SECRET_PATHS = re.compile(r"/(i|resume)/[^ ?\"/]+")


def redact(line: str) -> str:
    return _SECRET_PATHS.sub(r"/\1/…", _QUERY.sub("", line))


class RedactRequestLines(logging.Filter):
    """werkzeug formats ``'<address> - - [<time>] "%s" %s %s'`` with the request line first."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and _LEADING_ADDRESS.match(record.msg):
            record.msg = _LEADING_ADDRESS.sub("- - - [", record.msg, count=1)
            if isinstance(record.args, tuple) and record.args:
                record.args = (redact(str(record.args[0])), *record.args[1:])
        return True


def install() -> None:
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactRequestLines) for f in logger.filters):
        logger.addFilter(RedactRequestLines())
