"""The brief as a PDF: HTML from templates/brief/, laid out by WeasyPrint.

WeasyPrint (loaded here only: it brings Pango and ~0.3 s of imports) shapes text through
Pango and HarfBuzz, so Urdu comes out in Nastaliq, joined and right to left, in the font the
web pages use (static/fonts/). Charts are inline SVG rectangles; their words are HTML beside
them, because SVG text is not shaped. Nothing is fetched: the only URL the document names is
the font's file, and a fetcher refuses any other.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import IO, Any

from flask import current_app
from sqlalchemy.orm import Session

from consult.analysis.filters import Filters
from consult.assets import file_version
from consult.exports.brief.content import Brief, brief_content
from consult.i18n import direction
from consult.surveys.models import Survey

FONT = Path("fonts") / "noto-nastaliq-urdu.woff2"


def font_path() -> Path:
    """The Nastaliq font file the web pages use (static/fonts/)."""
    return (Path(current_app.static_folder or "static") / FONT).resolve()


def font_data(font: Path) -> bytes:
    """The font as plain TrueType, made once per machine from the web's WOFF2.

    WeasyPrint would otherwise undo the WOFF2 compression on every brief (~0.7 s). The copy is
    kept in the instance folder under the file's hash (a cache any machine can make again).
    """
    cache = Path(current_app.instance_path) / "cache" / f"nastaliq-{file_version(font)}.ttf"
    if cache.is_file():
        return cache.read_bytes()
    from fontTools.ttLib import TTFont

    with TTFont(str(font)) as ttf:
        ttf.flavor = None
        buffer = io.BytesIO()
        ttf.save(buffer)
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(buffer.getvalue())
    os.replace(partial, cache)  # whole or not at all, whoever writes it at the same time
    return buffer.getvalue()


def brief_html(brief: Brief) -> str:
    """The brief as one HTML document (also handy to look at in a browser)."""
    template = current_app.jinja_env.get_template("brief/brief.html")
    return template.render(
        brief=brief,
        w=brief.w,
        lang=brief.lang,
        dir=direction(brief.lang),
        font=font_path().as_uri(),
        k=brief.summary.thresholds.k,
    )


def fetcher(font: Path) -> Any:
    """A URL fetcher that serves the font file and nothing else (no network, no other file)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class OnlyTheFont(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url != font.as_uri():
                raise ValueError(f"the brief fetches nothing but its font, not {url}")
            body = font_data(font)
            return URLFetcherResponse(url, body=body, headers={"Content-Type": "font/ttf"})

    return OnlyTheFont()


def write_pdf(brief: Brief, target: str | IO[bytes]) -> None:
    from weasyprint import HTML

    document = HTML(string=brief_html(brief), url_fetcher=fetcher(font_path()))
    document.write_pdf(target)


def policy_brief(
    session: Session,
    survey: Survey,
    lang: str,
    target: str | IO[bytes],
    filters: Filters | None = None,
) -> Brief:
    """Count, summarise, word and lay out the brief of ``survey`` in ``lang``; returns it."""
    brief = brief_content(session, survey, lang, filters)
    write_pdf(brief, target)
    return brief
