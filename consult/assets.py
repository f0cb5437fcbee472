"""Static files and compression: few bytes for respondents on slow, metered phone connections.

Every ``url_for('static', ...)`` carries ``?v=<hash of the file>``; a request whose ``v`` matches
the file is cached by the browser for a year and never revalidated (``immutable``, and no
``no-cache``: a changed file gets a new URL), so a second page costs one request, its HTML, even
on a 2G link. Any other static request is revalidated. HTML itself is ``no-store``
(security.py): it carries one-time tokens, so revalidating could never answer 304, and a
respondent's typed answers are never written to a shared phone's disk cache.

HTML, CSS and JavaScript are compressed (Brotli where the browser offers it, otherwise gzip),
error pages too: a form sent back with its errors is as large as the form. CSS cannot call
url_for, so the font URL in consult.css carries the same hash by hand; a test checks it matches.

Compressed pages carry a CSRF token; BREACH needs an attacker's text reflected beside it in the
victim's session, which the SameSite=Lax session cookie and the per-response signed token deny.
"""

from __future__ import annotations

import gzip
import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import brotli
from flask import Flask, request
from werkzeug.wrappers import Response

YEAR = 365 * 24 * 3600
# Text worth compressing; fonts (woff2) and images are compressed already.
COMPRESSIBLE = ["text/html", "text/css", "text/javascript", "application/javascript",
                "application/json", "image/svg+xml", "text/plain"]  # fmt: skip
# Below this, compression saves less than the header costs.
MIN_SIZE = 500


def file_version(path: Path) -> str:
    """A short hash of the file's content (cached until the file changes)."""
    stat = path.stat()
    return _digest(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _digest(path: str, _mtime_ns: int, _size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def _static_file(app: Flask, filename: str) -> Path | None:
    folder = Path(app.static_folder or "").resolve()
    path = (folder / filename).resolve()
    # Only files inside the static folder: a crafted name never hashes another file.
    if folder not in path.parents or not path.is_file():
        return None
    return path


def compress(response: Response) -> Response:
    """Brotli or gzip, as the browser accepts, for text bodies held in memory.

    Streams (exports) pass untouched: they are written as they are read, never held whole.
    """
    if (
        response.mimetype not in COMPRESSIBLE
        or response.status_code in (204, 304)
        or "Content-Encoding" in response.headers
    ):
        return response
    response.vary.add("Accept-Encoding")
    if response.is_streamed or response.direct_passthrough:
        return response
    accepted = request.accept_encodings
    coding = "br" if accepted["br"] else "gzip" if accepted["gzip"] else None
    data = response.get_data()
    if coding is None or len(data) < MIN_SIZE:
        return response
    if coding == "br":
        body = brotli.compress(data, quality=5)
    else:
        body = gzip.compress(data, compresslevel=6, mtime=0)
    response.set_data(body)
    response.headers["Content-Encoding"] = coding
    etag, weak = response.get_etag()
    if etag and not weak:
        # Same content, another encoding: a weak tag still validates If-None-Match (304).
        response.set_etag(etag, weak=True)
    return response


def init_app(app: Flask) -> None:

    @app.url_defaults
    def _version_static(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            path = _static_file(app, values["filename"])
            if path is not None:
                values["v"] = file_version(path)

    # Registered first, so it runs last: after every other handler has shaped the body.
    app.after_request(compress)

    @app.after_request
    def _cache_static(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code not in (200, 304):
            return response
        if (
            response.status_code == 200
            and response.direct_passthrough
            and response.mimetype in COMPRESSIBLE
        ):
            # A few KB: read it into memory, so it can be compressed, and close the file now.
            response.direct_passthrough = False
            response.make_sequence()
            response.close()
        filename = (request.view_args or {}).get("filename", "")
        path = _static_file(app, filename)
        if path is not None and request.args.get("v") == file_version(path):
            # send_file marked it no-cache (no max age configured): that would revalidate it.
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        else:
            response.cache_control.no_cache = True
            response.cache_control.max_age = None
        return response
