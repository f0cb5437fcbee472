"""One row of an XLSForm ``survey`` sheet → one question of a consult definition."""

from __future__ import annotations

import re
from typing import Any, Protocol

from consult.authoring.xlsform.read import Row, XLSFormError
from consult.authoring.xlsform.vocabulary import (
    FALSE,
    NAME,
    PARAMETERS,
    SIMPLE_TYPES,
    TRUE,
    UNSUPPORTED,
    UNSUPPORTED_COLUMNS,
)


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
    lowered = kind.lower()
    if lowered in UNSUPPORTED or lowered.split()[0] in (
        "select_one_from_file",
        "select_multiple_from_file",
    ):
        conv.unsupported(where, f"{UNSUPPORTED.get(lowered, 'choices from a file')} ({kind!r})")
        return None
    for column, value in row.cells.items():
        base = column.split("::", 1)[0]
        if value and base in UNSUPPORTED_COLUMNS:
            conv.unsupported(where, f"{UNSUPPORTED_COLUMNS[base]} (column {column!r})")
            if not conv.skip:
                return None
    name = row.get("name")
    if not NAME.match(name):
        raise XLSFormError(
            f"{where}: the name {name!r} must start with a-z and hold only a-z, 0-9 and _"
        )
    question: dict[str, Any] = {"code": name}
    choice_list, other = None, False
    for pattern, modern in _LEGACY:
        if found := pattern.match(kind):
            lowered, choice_list, other = modern, found.group(1), bool(found.group(2))
    if found := _MODERN.match(kind):
        lowered, choice_list, other = found.group(1).lower(), found.group(2), bool(found.group(3))
    appearance = set(row.get("appearance").lower().split())
    if choice_list is not None:
        if choice_list not in conv.lists:
            raise XLSFormError(f"{where}: no list named {choice_list!r} on the choices sheet")
        if lowered == "select_one" and "likert" in appearance:
            question["type"] = "scale"
            question["scale"] = _scale(conv, choice_list, where)
        else:
            question["type"] = {"select_one": "single_choice",
                                "select_multiple": "multiple_choice",
                                "rank": "ranking"}[lowered]  # fmt: skip
        if "minimal" in appearance and question["type"] == "single_choice":
            question["appearance"] = "minimal"
        if other:
            question["other"] = True
    elif lowered in SIMPLE_TYPES:
        question["type"] = SIMPLE_TYPES[lowered]
        if lowered == "text" and "multiline" in appearance:
            question["type"] = "long_text"
    else:
        conv.unsupported(where, f"the question type {kind!r}")
        return None

    role = row.get("role").lower()
    if role and role not in KNOWN_ROLES:
        raise XLSFormError(f"{where}: unknown role {role!r} (region, group or recommendations)")
    if choice_list is not None and choice_list == conv.group_list:
        role = "group"
    if role:
        question["role"] = role
    if choice_list is not None and question["type"] != "scale" and role not in KNOWN_ROLES[1:]:
        question["choices"] = [
            {"code": code, "label": label or {conv.default: code}}
            for code, label, _ in conv.lists[choice_list]
        ]

    label = conv.i18n(row, "label")
    if not label:
        label = {conv.default: name}  # XLSForm allows unlabelled questions; show the name
    question["label"] = label
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
    bounds = f"{row.get('parameters')} {row.get('consult_parameters')}"
    for pair in bounds.replace(";", " ").split():
        key, _, value = pair.partition("=")
        if key not in PARAMETERS:
            conv.unsupported(where, f"the parameter {key!r}")
            continue
        if question["type"] == "date" and key in ("min", "max"):
            question[key] = value  # checked as a date by the definition
            continue
        try:
            number = PARAMETERS[key](value)
        except ValueError:
            raise XLSFormError(f"{where}: parameter {key} needs a number, not {value!r}") from None
        question[key] = int(number) if float(number).is_integer() else number
    if row.get("recommendation"):
        if section.get("recommendation") not in (None, row.get("recommendation")):
            raise XLSFormError(f"{where}: a section's questions share one recommendation")
        section["recommendation"] = row.get("recommendation")
    return question


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
