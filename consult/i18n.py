"""Languages: which the interface speaks, which way they are written, how one is chosen.

The language comes from ``?lang=``, then the ``lang`` cookie (set whenever ``?lang=`` picks a
language, so a respondent's choice follows them from page to page), then the browser's
Accept-Language. On a survey's pages the survey's content language wins (``g.content_language``)
so the interface and the questions never speak two languages in one page.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from urllib.parse import urlencode

from babel import Locale, UnknownLocaleError
from flask import Flask, current_app, g, request
from flask_babel import get_locale, refresh
from werkzeug.wrappers import Response

# Written right to left: Urdu, Arabic, Persian, Pashto, Sindhi, Balochi, Brahui, Saraiki,
# Kashmiri, Sorani Kurdish, Uyghur, Hebrew... (and any language written in Arabic script, -Arab).
RTL_LANGUAGES = frozenset(
    {"ur", "ar", "fa", "ps", "sd", "bal", "brh", "skr", "ks", "ckb", "ug", "he", "yi", "dv"}
)

# The languages a survey's content is offered in from the builder's list: Pakistan's languages
# first (Punjabi in Shahmukhi), then widely used ones. A survey may hold others (a definition
# file, an XLSForm), shown by their code where Babel has no name for them.
OFFERED_LANGUAGES = (
    "en", "ur", "pa-Arab", "sd", "ps", "bal", "skr", "brh", "ks", "ar", "fa", "hi", "bn",
    "zh", "tr", "fr", "es", "de", "ru",
)  # fmt: skip
# Names Babel lacks (Saraiki has no locale data).
_NAMES = {"skr": ("سرائیکی", "Saraiki")}


@cache
def _names(code: str) -> tuple[str, str]:
    """(the language's own name, its English name) from Babel's locale data."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return _NAMES.get(code, (code, code))
    own, english = locale.get_display_name(locale), locale.get_display_name("en")
    fallback = _NAMES.get(code, (code, code))
    return own or fallback[0], english or fallback[1]


class _LanguageNames(Mapping[str, str]):
    """Names of the offered languages, each read from Babel when it is first asked for.

    Parsing all nineteen locales takes ~0.1 s: every ``consult`` command paid it at start-up
    when the table was built at import, and a summary still paid it for the two names it
    shows when the table was built on first use (docs/performance.md).
    """

    def __init__(self, which: int) -> None:
        self._which = which

    def __getitem__(self, code: str) -> str:
        if code not in OFFERED_LANGUAGES:
            raise KeyError(code)
        return _names(code)[self._which]

    def __iter__(self) -> Iterator[str]:
        return iter(OFFERED_LANGUAGES)

    def __len__(self) -> int:
        return len(OFFERED_LANGUAGES)


# Each language's own name, for the language switcher and the builder's language list.
NATIVE_NAMES: Mapping[str, str] = _LanguageNames(0)
ENGLISH_NAMES: Mapping[str, str] = _LanguageNames(1)

LANG_COOKIE = "lang"
# A year: the choice is a preference, not a session; it identifies no one.
LANG_COOKIE_AGE = 365 * 24 * 3600


def direction(lang: str) -> str:
    """'rtl' or 'ltr', from the language code alone: never guessed from the text."""
    primary, _, script = lang.partition("-")
    return "rtl" if primary.lower() in RTL_LANGUAGES or script == "Arab" else "ltr"


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
