"""A survey's texts in a page: the language asked for, or a marked fallback."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import gettext
from jinja2 import pass_context
from markupsafe import Markup, escape

from consult.i18n import NATIVE_NAMES, direction
from consult.surveys.models import Survey


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(tr=tr, untranslated=untranslated)


@pass_context
def tr(
    context: Any, survey: Survey, value: dict[str, str] | None, lang: str, limit: int = 0
) -> Markup:
    """Templates' ``tr``: ``localized``, marking fallbacks when the page's ``previewing()`` (a
    global the accounts package gives templates) says staff are looking."""
    previewing = context.get("previewing")
    return localized(survey, value, lang, limit, mark=bool(previewing and previewing()))


def localized(
    survey: Survey, value: dict[str, str] | None, lang: str, limit: int = 0, mark: bool = False
) -> Markup:
    """Survey text in ``lang`` as HTML; text missing in ``lang`` falls back to the default language.

    Fallback text carries its own ``lang`` and ``dir`` (isolated, so a screen reader switches
    voice and an English phrase keeps its order inside an Urdu page) and, for staff, a visible
    marker (``mark``), so organizers see what still needs translating.
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
    if mark:
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
