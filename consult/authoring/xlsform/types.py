"""One row of an XLSForm ``survey`` sheet → one question of a consult definition."""

from __future__ import annotations

import re
from typing import Any, Protocol

from consult.authoring.xlsform.read import Row, XLSFormError
from consult.authoring.xlsform.vocabulary import (
    FALSE,
    NAME,
    PARAMETERS,
    TRUE,
    UNSUPPORTED,
    UNSUPPORTED_COLUMNS,
)
from consult.surveys.questions import type_for_xlsform


class Converting(Protocol):
    """What a row needs of the form being converted (convert._Converter)."""

    default: str
    skip: bool
    lists: dict[str, list[tuple[str, dict[str, str], Row]]]
    scales: dict[str, Any]
    group_list: str | None

    def unsupported(self, where: str, feature: str) -> None: ...
    def i18n(self, row: Row, column: str) -> dict[str, str]: ...
    def expression(self, row: Row, column: str, where: str) -> bool: ...


# Legacy spellings pyxform still reads.
_LEGACY = (
    (re.compile(r"^select one from (\S+)( or specify other)?$", re.I), "select_one"),
    (
        re.compile(r"^select all that apply from (\S+)( or specify other)?$", re.I),
        "select_multiple",
    ),
)
_MODERN = re.compile(r"^(select_one|select_multiple|rank)\s+(\S+)(\s+or_other)?$", re.I)
KNOWN_ROLES = ("region", "group", "recommendations")


def question_from_row(
    conv: Converting, row: Row, where: str, kind: str, section: dict[str, Any]
) -> dict[str, Any] | None:
    """The question a row defines, or None when it is left out (``conv.unsupported`` says)."""
    if _refused(conv, row, where, kind):
        return None
    name = row.get("name")
    if not NAME.match(name):
        raise XLSFormError(
            f"{where}: the name {name!r} must start with a-z and hold only a-z, 0-9 and _"
        )
    question: dict[str, Any] = {"code": name}
    lowered, choice_list, other = _parse_type(kind)
    appearance = set(row.get("appearance").lower().split())
    qtype = type_for_xlsform(lowered, appearance)
    if qtype is None or qtype.has_choices != (choice_list is not None):
        conv.unsupported(where, f"the question type {kind!r}")
        return None
    question["type"] = qtype.name
    role = _role(conv, row, where, choice_list)
    if role:
        question["role"] = role
    if choice_list is not None:
        _options(conv, question, where, choice_list, qtype)
        if other:
            question["other"] = True
    for shown_as in sorted(appearance & qtype.appearances):
        question["appearance"] = shown_as  # e.g. "minimal": a dropdown
    _texts_and_rules(conv, question, row, where)
    _parameters(conv, question, row, where, qtype)
    if row.get("recommendation"):
        if section.get("recommendation") not in (None, row.get("recommendation")):
            raise XLSFormError(f"{where}: a section's questions share one recommendation")
        section["recommendation"] = row.get("recommendation")
    return question


def _refused(conv: Converting, row: Row, where: str, kind: str) -> bool:
    """Whether the row is a type or uses a column consult leaves out."""
    lowered = kind.lower()
    if lowered in UNSUPPORTED or lowered.split()[0] in (
        "select_one_from_file",
        "select_multiple_from_file",
    ):
        conv.unsupported(where, f"{UNSUPPORTED.get(lowered, 'choices from a file')} ({kind!r})")
        return True
    for column, value in row.cells.items():
        base = column.split("::", 1)[0]
        if value and base in UNSUPPORTED_COLUMNS:
            conv.unsupported(where, f"{UNSUPPORTED_COLUMNS[base]} (column {column!r})")
            if not conv.skip:
                return True
    return False


def _parse_type(kind: str) -> tuple[str, str | None, bool]:
    """(the XLSForm type name, its choice list or None, whether "or_other" is asked)."""
    lowered, choice_list, other = kind.lower(), None, False
    for pattern, modern in _LEGACY:
        if found := pattern.match(kind):
            lowered, choice_list, other = modern, found.group(1), bool(found.group(2))
    if found := _MODERN.match(kind):
        lowered, choice_list, other = found.group(1).lower(), found.group(2), bool(found.group(3))
    return lowered, choice_list, other


def _role(conv: Converting, row: Row, where: str, choice_list: str | None) -> str:
    """The question's consult role ("" none): as written, or "group" for the groups' list."""
    role = row.get("role").lower()
    if role and role not in KNOWN_ROLES:
        raise XLSFormError(f"{where}: unknown role {role!r} (region, group or recommendations)")
    if choice_list is not None and choice_list == conv.group_list:
        role = "group"
    return role


def _options(
    conv: Converting, question: dict[str, Any], where: str, choice_list: str, qtype: Any
) -> None:
    """The question's options: a scale's points, the groups, or its own choices."""
    if choice_list not in conv.lists:
        raise XLSFormError(f"{where}: no list named {choice_list!r} on the choices sheet")
    if qtype.numbered_points:
        question["scale"] = _scale(conv, choice_list, where)
    if not qtype.numbered_points and question.get("role") not in KNOWN_ROLES[1:]:
        question["choices"] = [
            {"code": code, "label": label or {conv.default: code}}
            for code, label, _ in conv.lists[choice_list]
        ]


def _texts_and_rules(conv: Converting, question: dict[str, Any], row: Row, where: str) -> None:
    label = conv.i18n(row, "label")
    # XLSForm allows unlabelled questions; show the name.
    question["label"] = label or {conv.default: question["code"]}
    if hint := conv.i18n(row, "hint"):
        question["hint"] = hint
    required = row.get("required").lower()
    if required in TRUE:
        question["required"] = True
    elif required not in FALSE:
        conv.unsupported(where, f"required only when {row.get('required')!r}")
    for key in ("relevant", "constraint"):
        if row.get(key) and conv.expression(row, key, where):
            question[key] = row.get(key)
    for key in ("constraint_message", "required_message"):
        if text := conv.i18n(row, key):
            question[key] = text
    if row.get("default"):
        question["default"] = row.get("default")


def _parameters(
    conv: Converting, question: dict[str, Any], row: Row, where: str, qtype: Any
) -> None:
    """min, max, max_length, ... from ``parameters`` and ``consult_parameters``."""
    bounds = f"{row.get('parameters')} {row.get('consult_parameters')}"
    for pair in bounds.replace(";", " ").split():
        key, _, value = pair.partition("=")
        if key not in PARAMETERS:
            conv.unsupported(where, f"the parameter {key!r}")
            continue
        try:
            question[key] = qtype.parameter(key, value)  # a date's bounds stay text
        except ValueError:
            raise XLSFormError(f"{where}: parameter {key} needs a number, not {value!r}") from None


def _scale(conv: Converting, name: str, where: str) -> str:
    """A likert list becomes a scale: its names must be the points 1, 2, 3, ... in order."""
    if name not in conv.scales:
        points = conv.lists[name]
        if [code for code, _, _ in points] != [str(i) for i in range(1, len(points) + 1)]:
            raise XLSFormError(
                f"{where}: a likert list ({name!r}) names its points 1, 2, 3, ... in order"
            )
        conv.scales[name] = [
            {"value": i, "label": label or {conv.default: code}}
            for i, (code, label, _) in enumerate(points, start=1)
        ]
    return name
