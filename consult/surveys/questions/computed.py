"""Values consult works out itself rather than asks: XLSForm's ``calculate`` and the metadata
rows KoboToolbox and ODK forms start with (``start``, ``end``, ``today``).

They have no field; their values are stored as answers (so they are exported, imported and
used by rules like any answer), worked out when a response is stored (collection/computed.py).
Anonymous surveys keep times only to the day, as they do for ``submitted_at``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field

from consult.problems import Problems
from consult.surveys.expressions import ExpressionError, as_text, evaluate
from consult.surveys.models import DefinitionError, Question
from consult.surveys.questions.base import FormData, QuestionType
from consult.surveys.questions.defining import ORDERED


@dataclass
class Moment:
    """When the response was answered, as far as consult may keep it."""

    # When the form was first shown (None: not known) and when the response is stored.
    started: datetime | None
    now: datetime
    anonymous: bool
    # Values an imported sheet gives for these questions, by code (kept as given).
    given: Mapping[str, str] = field(default_factory=dict)

    def kept(self, when: datetime) -> str:
        """A time as stored: ISO to the second, or only the day for anonymous surveys."""
        if self.anonymous:
            return when.date().isoformat()
        return when.replace(microsecond=0, tzinfo=None).isoformat(sep=" ")


class Computed(QuestionType):
    """Worked out, never asked: no field, nothing on the page."""

    macro = "computed"
    computed = True
    live_value = None

    def field(self, question: Question, lang: str) -> Field | None:
        return None

    def compute(
        self, question: Question, answers: Mapping[str, str | None], moment: Moment
    ) -> str | None:
        """The value to store, from the answers (by code, as rules see them) and the moment."""
        raise NotImplementedError

    def importer(self, question: Question) -> Callable[[list[Any]], FormData]:
        def data(cells: list[Any]) -> FormData:
            return {}  # computed again from the row (Moment.given keeps metadata as given)

        return data

    def codebook_choices(self, question: Question, lang: str) -> str:
        return str(self.title)


class Calculate(Computed):
    name = "calculate"
    title = _l("Calculation (worked out from other answers)")
    xlsform_names = ("calculate",)
    settings_macro = "calculation"
    comparisons = ORDERED
    setting_inputs = ("calculation",)

    def settings_from_form(self, values: Mapping[str, str], problems: Problems) -> dict[str, Any]:
        settings = super().settings_from_form(values, problems)
        if values.get("calculation", "").strip():
            settings["calculation"] = values["calculation"].strip()
        return settings

    def check_settings(self, question: Question, where: str) -> None:
        super().check_settings(question, where)
        if not question.settings.get("calculation"):
            raise DefinitionError(where, "a calculation needs its expression", "calculation")
        from consult.surveys.expressions import parse

        try:
            parse(question.settings["calculation"])
        except ExpressionError as error:
            raise DefinitionError(where, str(error), "calculation") from None

    def compute(
        self, question: Question, answers: Mapping[str, str | None], moment: Moment
    ) -> str | None:
        try:
            value = as_text(evaluate(question.settings["calculation"], answers))
        except ExpressionError:
            return None
        return None if value in ("", "NaN") else value

    def fake(self, question: Question, rng: random.Random) -> str | None:
        return None  # worked out from the other answers when stored


class _Clock(Computed):
    # Metadata of KoboToolbox and ODK forms: kept when imported, never added in the builder.
    offered = False
    comparisons = ()

    def fake(self, question: Question, rng: random.Random) -> str | None:
        return None

    def when(self, moment: Moment) -> datetime | None:
        raise NotImplementedError

    def compute(
        self, question: Question, answers: Mapping[str, str | None], moment: Moment
    ) -> str | None:
        if question.code in moment.given:
            given = moment.given[question.code]
            return given[:10] if moment.anonymous else given
        when = self.when(moment)
        return None if when is None else moment.kept(when)


class Start(_Clock):
    name = "start"
    title = _l("Start time (when the form was first shown)")
    xlsform_names = ("start",)

    def when(self, moment: Moment) -> datetime | None:
        return moment.started


class End(_Clock):
    name = "end"
    title = _l("End time (when the response was sent)")
    xlsform_names = ("end",)

    def when(self, moment: Moment) -> datetime | None:
        return moment.now


class Today(_Clock):
    name = "today"
    title = _l("Day of the response")
    xlsform_names = ("today",)

    def when(self, moment: Moment) -> datetime | None:
        return moment.now

    def compute(
        self, question: Question, answers: Mapping[str, str | None], moment: Moment
    ) -> str | None:
        value = super().compute(question, answers, moment)
        return value[:10] if value else None
