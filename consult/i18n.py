"""Languages: which the interface speaks, which way they are written, how one is chosen.

The language comes from ``?lang=``, then the ``lang`` cookie (set whenever ``?lang=`` picks a
language, so a respondent's choice follows them from page to page), then the browser's
Accept-Language. On a survey's pages the survey's content language wins (``g.content_language``)
so the interface and the questions never speak two languages in one page.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from flask import Flask, current_app, g, request
from flask_babel import get_locale, refresh
from werkzeug.wrappers import Response

# Written right to left: Urdu, Arabic, Persian, Pashto, Sindhi, Sorani Kurdish, Uyghur, Hebrew...
RTL_LANGUAGES = frozenset({"ur", "ar", "fa", "ps", "sd", "ckb", "ug", "he", "yi", "dv"})

# Each language's own name, for the language switcher.
NATIVE_NAMES = {"en": "English", "ur": "اردو"}

LANG_COOKIE = "lang"
# A year: the choice is a preference, not a session; it identifies no one.
LANG_COOKIE_AGE = 365 * 24 * 3600


def direction(lang: str) -> str:
    """'rtl' or 'ltr', from the language code alone: never guessed from the text."""
    return "rtl" if lang.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def select_locale() -> str:
    """Flask-Babel's locale: the page's content language, ``?lang=``, the cookie, the browser."""
    supported: tuple[str, ...] = current_app.config["LANGUAGES"]
    content = g.get("content_language")
    if content in supported:
        return str(content)
    for asked in (request.args.get("lang", ""), request.cookies.get(LANG_COOKIE, "")):
        if asked in supported:
            return asked
    return request.accept_languages.best_match(supported) or supported[0]


def language_url(code: str) -> str:
    """This page in language ``code``: the same query with ``lang`` replaced.

    Relative to the page's own path, which the HTML then never repeats: an error page for a
    mistyped or expired code looks the same whatever the code was.
    """
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return "?" + urlencode([*args, ("lang", code)])


def content_language(offered: Sequence[str], asked: str | None = None, follow: bool = False) -> str:
    """The one answer to "which language does this page's survey content speak?".

    ``asked`` (by default the request's locale: ``?lang=``, the cookie, the browser) when the
    survey is written in it (``offered``, the default language first), else the default.
    ``follow``: the interface speaks it too, from now on (respondent pages, so a page never
    mixes two languages; Flask-Babel caches the locale per request, so it is refreshed).
    """
    if asked is None:
        asked = str(get_locale())
    lang = asked if asked in offered else offered[0]
    if follow and g.get("content_language") != lang:
        stale = str(get_locale()) != lang
        g.content_language = lang
        if stale:
            refresh()
    return lang


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(language_url=language_url, direction=direction)

    @app.after_request
    def _remember_language(response: Response) -> Response:
        asked = request.args.get("lang", "")
        if asked in app.config["LANGUAGES"] and request.cookies.get(LANG_COOKIE) != asked:
            response.set_cookie(
                LANG_COOKIE,
                asked,
                max_age=LANG_COOKIE_AGE,
                secure=bool(app.config["SESSION_COOKIE_SECURE"]),
                httponly=True,
                samesite="Lax",
            )
        if response.mimetype == "text/html":
            # The same URL differs by cookie and browser language: no shared cache may mix them.
            response.vary.update(("Cookie", "Accept-Language"))
        return response
