"""One row of an XLSForm ``survey`` sheet → one question of a consult definition."""

from __future__ import annotations

import re
from typing import Any, Protocol

from consult.authoring.xlsform.read import Row, XLSFormError
from consult.authoring.xlsform.vocabulary import (
    FALSE,
    IGNORED_COLUMNS,
    LOOKS,
    MEDIA_TYPES,
    PARAMETER_ALIASES,
    PARAMETERS,
    READ_AS,
    TRUE,
    UNSUPPORTED,
    UNSUPPORTED_COLUMNS,
)
from consult.surveys.codes import CODE, RESERVED
from consult.surveys.questions import question_type, type_for_xlsform

# A list: (code, label, the choice's other columns, the row).
Options = list[tuple[str, dict[str, str], dict[str, str], Row]]


class Converting(Protocol):
    """What a row needs of the form being converted (convert._Converter)."""

    default: str
    skip: bool
    lists: dict[str, Options]
    scales: dict[str, Any]
    group_list: str | None

    def unsupported(self, where: str, feature: str) -> None: ...
    def warn(self, where: str, what: str) -> None: ...
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
    """The question a row defines, or None when it is left out (``conv`` says why)."""
    if _refused(conv, row, where, kind):
        return None
    name = row.get("name")
    if not _name_ok(conv, name, where):
        return None
    question: dict[str, Any] = {"code": name}
    lowered, choice_list, other = _parse_type(kind)
    appearance = set(row.get("appearance").lower().split())
    qtype = type_for_xlsform(lowered, appearance)
    if qtype is None or qtype.has_choices != (choice_list is not None):
        conv.unsupported(where, f"the question type {kind!r}")
        return None
    if lowered in READ_AS:
        conv.warn(where, READ_AS[lowered])
    if choice_list is not None and _reads_as_scale(conv, row, qtype, choice_list):
        qtype = question_type(qtype.tagged_points_as or qtype.name)
    question["type"] = qtype.name
    role = _role(conv, row, where, choice_list)
    if role:
        question["role"] = role
    if _reserved(conv, question, where):
        return None
    if choice_list is not None:
        _options(conv, question, where, choice_list, qtype)
        if other:
            question["other"] = True
    _appearance(conv, question, where, appearance, qtype)
    _texts_and_rules(conv, question, row, where)
    _calculation(conv, question, row, where, qtype)
    _filter(conv, question, row, where, choice_list)
    _parameters(conv, question, row, where, qtype)
    if row.get("recommendation") and row.get("recommendation") != section.get("recommendation"):
        question["recommendation"] = row.get("recommendation")
    return question


def _calculation(
    conv: Converting, question: dict[str, Any], row: Row, where: str, qtype: Any
) -> None:
    if qtype.computed and row.get("calculation"):
        if conv.expression(row, "calculation", where):
            question["calculation"] = row.get("calculation")


def _name_ok(conv: Converting, name: str, where: str) -> bool:
    if not CODE.match(name):
        conv.unsupported(
            where, f"the name {name!r}: a name starts with a letter or _ and holds letters,"
            " digits, _, - and ."
        )  # fmt: skip
        return False
    return True


def _reserved(conv: Converting, question: dict[str, Any], where: str) -> bool:
    """A name that is a fixed column of consult's exports ("group" only for the group question,
    whose answer is that column)."""
    name = question["code"]
    if name in RESERVED and not (name == "group" and question.get("role") == "group"):
        conv.unsupported(where, f"the name {name!r} is a column of every consult export")
        return True
    return False


def _refused(conv: Converting, row: Row, where: str, kind: str) -> bool:
    """Whether the row is left out: a type or a column consult cannot hold (refused), or media
    (a warning)."""
    lowered = kind.lower()
    first = lowered.split()[0]
    if lowered in MEDIA_TYPES:
        conv.warn(where, f"left out: {kind!r} collects a file, which consult does not keep")
        return True
    if lowered in UNSUPPORTED or first in ("select_one_from_file", "select_multiple_from_file"):
        conv.unsupported(where, f"{UNSUPPORTED.get(lowered, 'choices from a file')} ({kind!r})")
        return True
    refused = False
    for column, value in row.cells.items():
        base = column.split("::", 1)[0]
        if value and base in UNSUPPORTED_COLUMNS:
            conv.unsupported(where, f"{UNSUPPORTED_COLUMNS[base]} (column {column!r})")
            refused = True
        elif value and base in IGNORED_COLUMNS:
            conv.warn(where, f"left out: {IGNORED_COLUMNS[base]} (column {column!r})")
    return refused and not conv.skip


def _parse_type(kind: str) -> tuple[str, str | None, bool]:
    """(the XLSForm type name, its choice list or None, whether "or_other" is asked)."""
    lowered, choice_list, other = kind.lower(), None, False
    for pattern, modern in _LEGACY:
        if found := pattern.match(kind):
            lowered, choice_list, other = modern, found.group(1), bool(found.group(2))
    if found := _MODERN.match(kind):
        lowered, choice_list, other = found.group(1).lower(), found.group(2), bool(found.group(3))
    return lowered, choice_list, other


def _reads_as_scale(conv: Converting, row: Row, qtype: Any, choice_list: str) -> bool:
    """A select_one tagged with a recommendation whose choices are 1..N is a scale: a
    KoboToolbox-authored consultation gets its recommendation matrix."""
    if not row.get("recommendation") or not qtype.tagged_points_as:
        return False
    codes = [code for code, _, _, _ in conv.lists.get(choice_list, [])]
    return len(codes) >= 2 and codes == [str(i) for i in range(1, len(codes) + 1)]


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
        seen: dict[str, dict[str, Any]] = {}
        for code, label, _, _ in conv.lists[choice_list]:
            seen.setdefault(code, {"code": code, "label": label or {conv.default: code}})
        question["choices"] = list(seen.values())


def _filter(
    conv: Converting, question: dict[str, Any], row: Row, where: str, choice_list: str | None
) -> None:
    """A cascading select: the filter, and the columns of each choice it reads."""
    if not row.get("choice_filter") or choice_list is None:
        return
    if not conv.expression(row, "choice_filter", where):
        return
    question["choice_filter"] = row.get("choice_filter")
    columns: dict[str, list[dict[str, str]]] = {}
    for code, _, extra, _ in conv.lists.get(choice_list, []):
        columns.setdefault(code, []).append(extra)
    question["choice_columns"] = columns


def _appearance(
    conv: Converting, question: dict[str, Any], where: str, appearance: set[str], qtype: Any
) -> None:
    for shown_as in sorted(appearance & qtype.appearances):
        question["appearance"] = shown_as  # e.g. "minimal": a dropdown
    left = appearance - qtype.appearances - {qtype.xlsform_appearance, "likert", "field-list"}
    if left:
        conv.warn(where, f"left out: the appearance {' '.join(sorted(left))!r}")


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
    for pair in bounds.replace(";", " ").replace(",", " ").split():
        key, _, value = pair.partition("=")
        key = PARAMETER_ALIASES.get(key.strip(), key.strip())
        if key in LOOKS:
            continue
        if key not in PARAMETERS:
            conv.warn(where, f"left out: the parameter {key!r}")
            continue
        try:
            question[key] = qtype.parameter(key, value)  # a date's bounds stay text
        except ValueError:
            raise XLSFormError(f"{where}: parameter {key} needs a number, not {value!r}") from None


def _scale(conv: Converting, name: str, where: str) -> str:
    """A likert list becomes a scale: its names must be the points 1, 2, 3, ... in order."""
    if name not in conv.scales:
        points = conv.lists[name]
        if [code for code, _, _, _ in points] != [str(i) for i in range(1, len(points) + 1)]:
            raise XLSFormError(
                f"{where}: a likert list ({name!r}) names its points 1, 2, 3, ... in order"
            )
        conv.scales[name] = [
            {"value": i, "label": label or {conv.default: code}}
            for i, (code, label, _, _) in enumerate(points, start=1)
        ]
    return name
