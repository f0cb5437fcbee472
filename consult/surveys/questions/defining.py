"""What a question type knows about defining questions of its kind: its title in the builder,
whether it has choices, its settings (read from the builder's form, checked in a definition),
its place in skip-logic rules, and its name in XLSForm.

``QuestionType`` (base.py) inherits this, so each type is still one class: the answering and
reporting side is in base.py, the defining side here, to keep each module small.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l

from consult.problems import Problems
from consult.surveys.expressions import ExpressionError, parse
from consult.surveys.models import DefinitionError, Question

NOT_WHOLE = _l("A whole number, please.")
NOT_NUMBER = _l("A number, please.")
MIN_ABOVE_MAX = _l("The maximum is smaller than the minimum.")

# Comparisons on answers that are numbers (a number, a scale point, a calculation).
ORDERED = ("=", "!=", "<", "<=", ">", ">=", "answered", "not_answered")
# Comparisons on any answer: given or not.
GIVEN = ("answered", "not_answered")


class TypeDefinition:
    """The defining side of a question type (see the module docstring)."""

    name: ClassVar[str]
    # The builder's name for the type (lazy: shown in the interface language).
    title: ClassVar[Any] = ""
    # The macro in templates/admin/builder/_settings.html with the type's own settings ("":
    # none); the names of those inputs, read back by settings_from_form.
    settings_macro: ClassVar[str] = ""
    setting_inputs: ClassVar[tuple[str, ...]] = ()
    has_answer: ClassVar[bool] = True
    # Respondents pick from a list of options (choices, scale points, items to rank).
    has_choices: ClassVar[bool] = False
    # The options are numbered points 1..n (a scale: the number is the stored answer; a
    # definition names a shared list of points; a table-list page holds only these).
    numbered_points: ClassVar[bool] = False
    # "Other, please specify" may be added.
    allows_other: ClassVar[bool] = False
    # Appearances the type accepts besides its own (e.g. "minimal": a dropdown).
    appearances: ClassVar[frozenset[str]] = frozenset()
    # Always required (consent must be given).
    always_required: ClassVar[bool] = False
    # A list of points 1..N tagged with a recommendation reads as this type instead (a
    # KoboToolbox select_one → a scale, so the recommendation matrix has it).
    tagged_points_as: ClassVar[str | None] = None
    # Worked out by consult (a calculation, a start time), never asked: see computed.py.
    computed: ClassVar[bool] = False
    # Offered in the builder's "add a question" list (metadata an XLSForm brings, such as
    # start and end times, is kept when imported but is no question an author adds).
    offered: ClassVar[bool] = True
    # What a question of this type may stand for besides its own answer (QuestionRole values):
    # the stakeholder group, the province or region, the recommendations to rank.
    roles: ClassVar[frozenset[str]] = frozenset()
    # The comparisons the builder's condition editor offers on an answer of this type
    # (surveys/conditions.py); empty: other questions' conditions cannot read it.
    comparisons: ClassVar[tuple[str, ...]] = ("=", "!=", "answered", "not_answered")
    # A new question of this type starts with its points from a scale preset
    # (authoring/presets.py), or with this many empty choice rows.
    starting_rows: ClassVar[int] = 0
    # XLSForm: the type names that read as this type (the first is written), and an
    # appearance that must be present too (text + multiline is a long text).
    xlsform_names: ClassVar[tuple[str, ...]] = ()
    xlsform_appearance: ClassVar[str | None] = None

    @property
    def can_be_required(self) -> bool:
        return self.has_answer and not self.always_required

    # ------------------------------------------------------------------ settings

    def settings_from_form(self, values: Mapping[str, str], problems: Problems) -> dict[str, Any]:
        """The type's own settings from the builder's inputs (``setting_inputs``), as typed.

        Problems are added by input name; what cannot be read is left out.
        """
        settings: dict[str, Any] = {}
        appearance = values.get("appearance", "")
        if appearance in self.appearances:
            settings["appearance"] = appearance
        if self.allows_other and values.get("other") == "1":
            settings["other"] = True
        return settings

    def check_settings(self, question: Question, where: str) -> None:
        """The settings of a defined question make sense; raises DefinitionError.

        May normalise them in place (e.g. a date bound becomes ISO text).
        """
        settings = question.settings
        if self.always_required:
            question.required = True
        appearance = settings.get("appearance")
        if appearance is not None and appearance not in self.appearances:
            raise DefinitionError(
                where, "only 'minimal' (a dropdown) on single_choice is supported", "appearance"
            )
        if "other" in settings:
            if not self.allows_other:
                raise DefinitionError(
                    where, "only single and multiple choice have 'other'", "other"
                )
            if not isinstance(settings["other"], bool):
                raise DefinitionError(where, "expected true or false", "other")
            if not settings["other"]:
                del settings["other"]
        for key in ("relevant", "constraint"):
            if key in settings:
                try:
                    parse(settings[key])
                except ExpressionError as error:
                    raise DefinitionError(where, str(error), key) from None

    def parameter(self, key: str, value: str) -> Any:
        """An XLSForm ``parameters`` value (min=, max=, ...) as this type keeps it."""
        number = float(value)
        return int(number) if number.is_integer() else number

    # ------------------------------------------------------------------ rules

    def rule_value(self, value: str | None) -> str | None:
        """A stored value as expressions see it."""
        return value

    def default_formdata(self, value: str) -> str | list[str]:
        """A ``default`` setting as the form's data."""
        return value

    # ------------------------------------------------------------------ XLSForm

    def xlsform_type(self, question: Question, list_name: str | None) -> tuple[str, list[str]]:
        """The ``type`` cell of this question in an XLSForm, and the appearances it needs."""
        kind = self.xlsform_names[0]
        if self.has_choices:
            kind = f"{kind} {list_name}" + (" or_other" if question.settings.get("other") else "")
        return kind, [self.xlsform_appearance] if self.xlsform_appearance else []


def read_number(
    values: Mapping[str, str], name: str, whole: bool, problems: Problems
) -> int | float | None:
    """A number typed in the builder (None when empty or unreadable; then a problem is added)."""
    text = values.get(name, "").strip()
    if not text:
        return None
    try:
        return int(text) if whole else float(text)
    except ValueError:
        problems.add(str(NOT_WHOLE if whole else NOT_NUMBER), name)
        return None


def check_bounds(settings: Mapping[str, Any], problems: Problems, low: str, high: str) -> None:
    if isinstance(settings.get(low), int | float) and isinstance(settings.get(high), int | float):
        if settings[low] > settings[high]:
            problems.add(str(MIN_ABOVE_MAX), high)


def check_iso_dates(question: Question, where: str) -> None:
    for key in ("min", "max"):
        if key in question.settings:
            try:
                date.fromisoformat(str(question.settings[key]))
            except ValueError:
                raise DefinitionError(where, "expected a date yyyy-mm-dd", key) from None
            question.settings[key] = str(question.settings[key])
