"""The translation view: every text of a survey written in some of its languages but missing in
others, and the translations typed for them, saved in one go.

A text used in many places (the words of a scale point on every scale, "Other" on every
list) is listed once and saved everywhere it is missing. Places are named by keys such as
``question|agree|label`` or ``choice|agree|3``; only the languages missing are written, so a
translation never overwrites text someone else wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from consult.authoring.common import kept_texts
from consult.surveys.models import Survey

I18N_SETTINGS = ("constraint_message", "required_message")


@dataclass
class Missing:
    """One text missing some of the survey's languages, wherever it is used."""

    # The text in the languages it has.
    texts: dict[str, str]
    # The languages it lacks.
    missing: list[str]
    # Where it is used: keys for the save, and words for people.
    keys: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)


# (key, what it is for people, the text, how to write it back)
_Place = tuple[str, str, dict[str, str], Callable[[dict[str, str]], None]]


def _setter(obj: Any, name: str) -> Callable[[dict[str, str]], None]:
    def write(texts: dict[str, str]) -> None:
        setattr(obj, name, texts)

    return write


def _setting(question: Any, name: str) -> Callable[[dict[str, str]], None]:
    def write(texts: dict[str, str]) -> None:
        question.settings = {**question.settings, name: texts}

    return write


def _places(survey: Survey) -> Iterator[_Place]:
    for name, what in (("title", _l("Survey title")), ("description", _l("Introduction")),
                       ("thanks", _l("Thank-you page"))):  # fmt: skip
        yield f"survey||{name}", str(what), getattr(survey, name) or {}, _setter(survey, name)
    for section in survey.sections:
        for name in ("title", "intro"):
            what = str(_l("Page %(code)s", code=section.code))
            value = getattr(section, name) or {}
            yield f"section|{section.code}|{name}", what, value, _setter(section, name)
    for group in survey.groups:
        what = str(_l("Stakeholder group %(code)s", code=group.code))
        yield f"group|{group.code}|label", what, group.label, _setter(group, "label")
    for rec in survey.recommendations:
        what = str(_l("Recommendation %(code)s", code=rec.code))
        yield f"rec|{rec.code}|label", what, rec.label, _setter(rec, "label")
        yield (
            f"rec|{rec.code}|description",
            what,
            rec.description or {},
            _setter(rec, "description"),
        )
    for question in survey.ordered_questions():
        code = question.code
        what = str(_l("Question %(code)s", code=code))
        yield f"question|{code}|label", what, question.label, _setter(question, "label")
        hint = str(_l("Question %(code)s: hint", code=code))
        yield f"question|{code}|hint", hint, question.hint or {}, _setter(question, "hint")
        message = str(_l("Question %(code)s: message", code=code))
        for name in I18N_SETTINGS:
            value = question.settings.get(name) or {}
            yield f"question|{code}|{name}", message, value, _setting(question, name)
        options = str(_l("Question %(code)s: choices", code=code))
        for choice in question.choices:
            yield f"choice|{code}|{choice.code}", options, choice.label, _setter(choice, "label")


def missing(survey: Survey) -> list[Missing]:
    """Every text with words in some language and none in another, grouped by its words."""
    found: dict[tuple[tuple[str, str], ...], Missing] = {}
    for key, what, texts, _write in _places(survey):
        written = {lang: texts[lang] for lang in survey.languages if texts.get(lang, "").strip()}
        lacking = [lang for lang in survey.languages if lang not in written]
        if not written or not lacking:
            continue
        entry = found.setdefault(tuple(sorted(written.items())), Missing(written, lacking))
        entry.keys.append(key)
        if what not in entry.places:
            entry.places.append(what)
    return list(found.values())


def save_translations(
    session: Session, survey: Survey, typed: list[tuple[list[str], dict[str, str]]]
) -> int:
    """Write each translation typed (keys → texts by language) where its language is missing;
    returns how many texts changed."""
    places = {key: (texts, write) for key, _what, texts, write in _places(survey)}
    changed = 0
    for keys, texts in typed:
        given = kept_texts(texts, survey.languages)
        for key in keys:
            if key not in places:
                continue
            current, write = places[key]
            added = {
                lang: text for lang, text in given.items() if not current.get(lang, "").strip()
            }
            if added and any(v.strip() for v in current.values()):
                write({**current, **added})
                changed += 1
    session.flush()
    return changed
