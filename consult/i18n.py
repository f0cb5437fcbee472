"""Languages: which the interface speaks, which way they are written, how one is chosen.

The language comes from ``?lang=``, then the ``lang`` cookie (set whenever ``?lang=`` picks a
language, so a respondent's choice follows them from page to page), then the browser's
Accept-Language. On a survey's pages the survey's content language wins (``g.content_language``)
so the interface and the questions never speak two languages in one page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, current_app, g, request
from flask_babel import gettext
from flask_login import current_user
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from .models import Role, Survey

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


def previewing() -> bool:
    """Whether staff are looking: untranslated survey text is then marked visibly for them."""
    return bool(current_user.is_authenticated and current_user.role != Role.enumerator)


def localized(survey: Survey, value: dict[str, str] | None, lang: str, limit: int = 0) -> Markup:
    """Survey text in ``lang`` as HTML; text missing in ``lang`` falls back to the default language.

    Fallback text carries its own ``lang`` and ``dir`` (isolated, so a screen reader switches
    voice and an English phrase keeps its order inside an Urdu page) and, for staff, a visible
    marker, so organizers see what still needs translating.
    """
    if not value:
        return Markup("")
    text = value.get(lang)
    if text:
        return escape(_shorten(text, limit))
    source = survey.default_language if value.get(survey.default_language) else next(iter(value))
    fallback = escape(_shorten(value[source], limit))
    marked = Markup('<bdi class="fallback" lang="{0}" dir="{1}">{2}</bdi>').format(
        source, direction(source), fallback
    )
    if previewing():
        note = gettext("not translated into %(language)s", language=NATIVE_NAMES.get(lang, lang))
        marked += Markup(' <small class="fallback-mark">[{0}]</small>').format(note)
    return marked


def untranslated(survey: Survey, lang: str) -> int:
    """How many of the survey's texts have no version in ``lang`` (shown to organizers)."""
    texts: list[dict[str, str]] = [survey.title, survey.description, survey.thanks]
    for section in survey.sections:
        texts += [section.title, section.intro]
    for question in survey.questions:
        texts += [question.label, question.hint, *(c.label for c in question.choices)]
    texts += [group.label for group in survey.groups]
    texts += [recommendation.label for recommendation in survey.recommendations]
    return sum(1 for value in texts if value and any(value.values()) and not value.get(lang))


def _shorten(text: str, limit: int) -> str:
    return text if not limit or len(text) <= limit else text[: limit - 1].rstrip() + "…"


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        tr=localized,
        language_url=language_url,
        direction=direction,
        previewing=previewing,
        untranslated=untranslated,
    )

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
