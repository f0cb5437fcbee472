"""XLSForm in: a KoboToolbox / ODK / SurveyCTO form becomes a consult survey definition.

The workbook (``xlsform_read``) becomes a definition dict, and ``create_survey`` loads it: one
strict loader serves YAML and XLSForm, and nothing is added unless the whole form is valid. What
consult does not support is refused with the sheet, the row and the feature; with
``skip_unsupported`` it is left out and listed instead. consult's own extensions are extra
columns, as XLSForm allows: ``recommendation``, ``role`` and ``consult_parameters`` (min, max,
max_length, min_selections, max_selections; ``parameters`` is read too) on survey, a
``recommendations`` sheet, and a ``stakeholder_group`` column on choices flagging the list that
defines the groups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.authoring.definitions import create_survey
from consult.authoring.xlsform.read import Book, Row, XLSFormError, read_book
from consult.authoring.xlsform.types import Options, question_from_row
from consult.authoring.xlsform.vocabulary import (
    CHOICE_COLUMNS,
    LANGUAGE_CODES,
    METADATA,
    TRUE,
)
from consult.surveys.codes import CODE
from consult.surveys.expressions import ExpressionError, parse
from consult.surveys.models import DefinitionError, Survey, SurveyState


@dataclass
class Imported:
    survey: Survey
    # What was left out (only with skip_unsupported): "sheet survey, row 12: repeats".
    skipped: list[str] = field(default_factory=list)
    # What was left out or read otherwise without losing any answer (media, device metadata).
    warnings: list[str] = field(default_factory=list)


def import_xlsform(
    session: Session,
    data: bytes,
    slug: str | None = None,
    state: SurveyState = SurveyState.draft,
    skip_unsupported: bool = False,
    fallback_name: str = "form",
) -> Imported:
    """A survey from XLSForm bytes; raises XLSFormError. Flushes, never commits."""
    converter = _Converter(read_book(data), skip_unsupported)
    definition = converter.definition(slug, fallback_name)
    if converter.refused:  # every problem at once, not only the first
        raise XLSFormError(converter.refused)
    taken = session.scalar(select(Survey.id).where(Survey.slug == definition["slug"]))
    if taken is not None:
        raise XLSFormError(
            f"A survey with the slug {definition['slug']!r} exists already: choose another slug."
        )
    try:
        survey = create_survey(session, definition, state)
    except DefinitionError as error:
        raise XLSFormError(converter.locate(str(error))) from None
    return Imported(survey, converter.skipped, converter.warnings)


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80].strip("-")
    return slug or "form"


def language_code(spec: str) -> str:
    """ "English (en)" → en; "english" → en; "Urdu" → ur; otherwise the name, lower-cased."""
    found = re.search(r"\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)\)\s*$", spec)
    if found:
        return found.group(1).lower()
    name = spec.strip().lower()
    return LANGUAGE_CODES.get(name, re.sub(r"[^a-z0-9-]", "", name)[:12] or "en")


# Columns that hold text in a language ("label::Urdu (ur)"); media columns name a language too.
TEXT_COLUMNS = {"label", "hint", "constraint_message", "required_message", "guidance_hint",
                "description", "title", "thanks"}  # fmt: skip


class _Converter:
    def __init__(self, book: Book, skip: bool) -> None:
        self.book = book
        self.skip = skip
        self.skipped: list[str] = []
        self.refused: list[str] = []
        self.warnings: list[str] = []
        # Definition path → (sheet, row, name): DefinitionErrors are located in the file.
        self.places: dict[str, str] = {}
        if "survey" not in book.sheets:
            raise XLSFormError(
                "The workbook has no sheet named 'survey' (sheet names may be in any case)."
            )
        settings = book.sheets.get("settings", [])
        self.settings = settings[0] if settings else Row(0, {})
        self.default = language_code(self.settings.get("default_language") or "en")
        self.languages = self._languages()

    # ------------------------------------------------------------------ helpers

    def _languages(self) -> list[str]:
        found = [self.default]
        for columns in self.book.columns.values():
            for column in columns:
                if "::" in column and column.split("::")[0] in TEXT_COLUMNS:
                    code = language_code(column.split("::", 1)[1])
                    if code not in found:
                        found.append(code)
        return found

    def unsupported(self, where: str, feature: str) -> None:
        """A row consult cannot hold without losing answers: refused (the form is, once every
        row is read), or left out and listed with ``skip_unsupported``."""
        message = f"{where}: {feature} (not supported by consult)"
        (self.skipped if self.skip else self.refused).append(message)

    def warn(self, where: str, what: str) -> None:
        """Something left out or read otherwise that loses no answer."""
        self.warnings.append(f"{where}: {what}")

    def i18n(self, row: Row, column: str) -> dict[str, str]:
        text: dict[str, str] = {}
        for key, value in row.cells.items():
            if not value:
                continue
            if key == column:
                text.setdefault(self.default, value)
            elif key.startswith(column + "::"):
                text[language_code(key.split("::", 1)[1])] = value
        return text

    def locate(self, message: str) -> str:
        path = re.match(r"^([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+\[\d+\])*)", message)
        if path:
            for length in range(len(path.group(1)), 0, -1):
                prefix = path.group(1)[:length]
                if prefix in self.places:
                    return f"{self.places[prefix]}: {message}"
        return message

    # ------------------------------------------------------------------ the definition

    def definition(self, slug: str | None, fallback: str) -> dict[str, Any]:
        form_id = self.settings.get("form_id")
        title = self.i18n(self.settings, "title") or {}
        if self.settings.get("form_title"):
            title.setdefault(self.default, self.settings.get("form_title"))
        title.setdefault(self.default, form_id or fallback)
        data: dict[str, Any] = {
            "slug": slug or slugify(form_id or fallback),
            "languages": self.languages,
            "default_language": self.default,
            "title": title,
            "groups": [],
            "recommendations": self._recommendations(),
            "scales": {},
            "sections": [],
        }
        for key in ("description", "thanks"):
            if text := self.i18n(self.settings, key):
                data[key] = text
        for row in self.book.sheets.get("consult_texts", []):  # consult's own export
            if row.get("name") in ("title", "description", "thanks"):
                if text := self.i18n(row, "label"):
                    data[row.get("name")] = text
        if self.settings.get("anonymous"):
            data["anonymous"] = self.settings.get("anonymous").lower() in TRUE
        if self.settings.get("k_min").isdigit():
            data["k_min"] = int(self.settings.get("k_min"))
        self.lists, group_list = self._lists()
        if group_list is not None:
            data["groups"] = [
                {"code": code, "label": label} for code, label, _, _ in self.lists[group_list]
            ]
        self.group_list = group_list
        self.scales: dict[str, Any] = data["scales"]
        self._survey(data["sections"])
        if not data["groups"]:
            del data["groups"]
        return data

    def _recommendations(self) -> list[dict[str, Any]]:
        found = []
        for position, row in enumerate(self.book.sheets.get("recommendations", [])):
            self.places[f"recommendations[{position}]"] = f"sheet recommendations, row {row.number}"
            item: dict[str, Any] = {"code": row.get("name"), "label": self.i18n(row, "label")}
            if description := self.i18n(row, "description"):
                item["description"] = description
            found.append(item)
        return found

    def _lists(self) -> tuple[dict[str, Options], str | None]:
        lists: dict[str, Options] = {}
        group_list = None
        duplicates = self.settings.get("allow_choice_duplicates").lower() in TRUE - {""}
        for row in self.book.sheets.get("choices", []):
            name, code = row.get("list_name"), row.get("name")
            where = f"sheet choices, row {row.number}"
            if not name or not code:
                raise XLSFormError(f"{where}: a choice needs a list_name and a name")
            if not duplicates and any(existing == code for existing, *_ in lists.get(name, [])):
                raise XLSFormError(f"{where}: the name {code!r} is used twice in list {name!r}")
            media = [k for k, v in row.cells.items() if v and k.split("::")[0] in CHOICE_COLUMNS]
            if any(k.split("::")[0] not in ("list_name", "name", "label", "stakeholder_group")
                   for k in media):  # fmt: skip
                self.warn(where, "left out: media (images, audio, video)")
            if row.get("stakeholder_group").lower() in TRUE - {""}:
                if group_list not in (None, name):
                    raise XLSFormError(f"{where}: only one list can define the stakeholder groups")
                group_list = name
            extra = {
                k: v for k, v in row.cells.items()
                if v and "::" not in k and k not in CHOICE_COLUMNS
            }  # fmt: skip
            lists.setdefault(name, []).append((code, self.i18n(row, "label"), extra, row))
        return lists, group_list

    def _survey(self, sections: list[dict[str, Any]]) -> None:
        walk = _Walk(sections)
        for row in self.book.sheets["survey"]:
            where = f"sheet survey, row {row.number}"
            kind = " ".join(row.get("type").split())
            if not kind:
                if row.get("name") or row.get("label"):
                    raise XLSFormError(f"{where}: the row has no type")
                continue
            if not self._structure(walk, row, where, kind.lower()):
                self._question_row(walk, row, where, kind)
        if walk.stack:
            raise XLSFormError("sheet survey: a 'begin group' has no 'end group'")
        _close_sections(sections)
        self._tables(sections)
        if not sections and not self.refused:
            raise XLSFormError("sheet survey: the form has no question consult can use")

    def _structure(self, walk: _Walk, row: Row, where: str, lowered: str) -> bool:
        """Groups, repeats and metadata rows; False for a row that may be a question."""
        if lowered in ("begin group", "begin_group") and not walk.ignored:
            # A group inside a group is a page of its own, under both groups' relevance.
            parent = walk.stack[-1] if walk.stack else None
            walk.stack.append(self._section(row, where, parent))
            walk.current = None
        elif lowered in ("end group", "end_group") and not walk.ignored:
            if not walk.stack:
                raise XLSFormError(f"{where}: 'end group' without 'begin group'")
            walk.stack.pop()
            walk.current = None
        elif lowered.startswith(("begin repeat", "begin_repeat", "begin loop", "begin group")):
            if not walk.ignored:
                self.unsupported(where, "repeats")
            walk.ignored += 1
        elif lowered.startswith(("end repeat", "end_repeat", "end loop", "end group", "end_group")):
            walk.ignored = max(0, walk.ignored - 1)
        elif lowered in METADATA:
            self.warn(where, f"left out: {lowered!r} (consult keeps no device or account data)")
        elif walk.ignored:
            # Inside a repeat: its questions go with it (the repeat is refused or left out).
            if self.skip:
                self.unsupported(where, f"{row.get('name')!r} is inside a repeat")
        else:
            return False
        return True

    def _question_row(self, walk: _Walk, row: Row, where: str, kind: str) -> None:
        if walk.current is None:
            walk.current = walk.open_section(self.places, row)
        question = question_from_row(self, row, where, kind, walk.current)
        if question is not None:
            position = len(walk.current["questions"])
            path = f"sections[{len(walk.sections) - 1}].questions[{position}]"
            self.places[path] = f"{where} ({row.get('name')})"
            walk.current["questions"].append(question)

    def _section(self, row: Row, where: str, parent: dict[str, Any] | None) -> dict[str, Any]:
        """A group as the template of its page(s): code, texts, appearance, relevance."""
        code = row.get("name")
        if not CODE.match(code):
            raise XLSFormError(
                f"{where}: the group name {code!r} must start with a letter or _ and hold"
                " letters, digits, _, - and ."
            )
        section: dict[str, Any] = {"code": code, "questions": [], "_where": f"{where} ({code})"}
        if title := self.i18n(row, "label"):
            section["title"] = title
        if intro := self.i18n(row, "hint"):
            section["intro"] = intro
        recommendation = row.get("recommendation") or (parent or {}).get("recommendation")
        if recommendation:
            section["recommendation"] = recommendation
        appearance = row.get("appearance").lower()
        if "table-list" in appearance.split():
            section["appearance"] = "table-list"
        rules = [parent["_relevant"]] if parent and parent.get("_relevant") else []
        if row.get("relevant") and self.expression(row, "relevant", where):
            rules.append(row.get("relevant"))
        if rules:
            section["_relevant"] = (
                rules[0] if len(rules) == 1 else " and ".join(f"({r})" for r in rules)
            )
        return section

    def _tables(self, sections: list[dict[str, Any]]) -> None:
        """A table-list group of anything but scales on one list is shown one below the other."""
        for position, section in enumerate(sections):
            if section.get("appearance") != "table-list":
                continue
            scales = {q.get("scale") for q in section["questions"]}
            if None in scales or len(scales) > 1:
                del section["appearance"]
                where = self.places.get(f"sections[{position}]", "sheet survey")
                self.warn(where, "shown one below the other: a table holds scales on one list")

    def expression(self, row: Row, column: str, where: str) -> bool:
        try:
            parse(row.get(column))
        except ExpressionError as error:
            self.unsupported(where, f"{column} {row.get(column)!r}: {error}")
            return False
        return True


@dataclass
class _Walk:
    """Where the walk down the survey sheet is: the sections so far, the one being filled, the
    groups open around it, and how deep inside repeats (left out) it is."""

    sections: list[dict[str, Any]]
    current: dict[str, Any] | None = None
    stack: list[dict[str, Any]] = field(default_factory=list)
    ignored: int = 0

    def open_section(self, places: dict[str, str], row: Row) -> dict[str, Any]:
        """A new section for the rows that follow: of the innermost open group, or of the rows
        outside any group (one page each run of them)."""
        taken = {s["code"] for s in self.sections}
        if self.stack:
            section = {**self.stack[-1], "questions": []}
            where = section.pop("_where")
        else:
            section = {"code": f"part_{len(self.sections) + 1}", "questions": []}
            where = f"sheet survey, row {row.number}"
        base, number = section["code"], 1
        while section["code"] in taken:
            number += 1
            section["code"] = f"{base}_{number}"
        places[f"sections[{len(self.sections)}]"] = where
        self.sections.append(section)
        return section


def _close_sections(sections: list[dict[str, Any]]) -> None:
    """A group's relevance moves onto its questions; empty sections go."""
    for section in sections:
        rel = section.pop("_relevant", None)
        if rel:
            for question in section["questions"]:
                own = question.get("relevant")
                question["relevant"] = f"({rel}) and ({own})" if own else rel
    sections[:] = [s for s in sections if s["questions"]]
