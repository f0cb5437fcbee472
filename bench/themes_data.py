"""The labelled comments of bench/data as consult data: a themes workbook, responses.

Shared by bench/themes.py and the themes tests.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from consult.collection.models import Channel
from consult.collection.responses import insert_responses, response_values
from consult.surveys.models import QuestionRole, Survey

DATA = Path(__file__).parent / "data"
LANGUAGES = {"en": "en", "ur": "ur", "roman": "ur-Latn"}


@dataclass(frozen=True)
class Comment:
    id: str
    recommendation: str
    language: str  # en, ur, ur-Latn
    themes: tuple[str, ...]
    text: str

    @property
    def held_out(self) -> bool:
        """The fixed split: even numbers are held out, odd ones tune (bench/data/README.md)."""
        return int(self.id[1:]) % 2 == 0


def _tsv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def comments() -> list[Comment]:
    return [
        Comment(r["id"], r["recommendation"], LANGUAGES[r["language"]], tuple(r["themes"].split()),
                r["text"])
        for r in _tsv("nisp_comments.tsv")
    ]  # fmt: skip


def themes() -> list[dict[str, str]]:
    return _tsv("nisp_themes.tsv")


def themes_workbook(path: Path | str) -> None:
    """The themes as the sheet `consult themes seed` reads."""
    import openpyxl

    rows = themes()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "themes"
    header = list(rows[0])
    sheet.append(header)
    for row in rows:
        sheet.append([row[h] for h in header])
    book.save(path)


def add_responses(
    session: Session,
    survey: Survey,
    texts: Iterable[tuple[str, str]],
    seed: int = 18,
    groups: list[str] | None = None,
) -> None:
    """One response per (recommendation code, text): its comment on that recommendation, in a
    group drawn from ``groups`` (default: every group of the survey)."""
    rng = random.Random(seed)
    group_q = next(q for q in survey.questions if q.role == QuestionRole.group)
    comment_q = {q.recommendation.code: q for q in survey.questions
                 if q.recommendation is not None and q.code.endswith("_comment")}  # fmt: skip
    codes = groups or [g.code for g in survey.groups]
    rows, batch = [], []
    for rec, text in texts:
        answers = {group_q.id: rng.choice(codes), comment_q[rec].id: text}
        rows.append(response_values(survey, answers, survey.default_language, Channel.synthetic))
        batch.append(answers)
        if len(rows) == 2000:
            insert_responses(session, rows, batch)
            rows, batch = [], []
    if rows:
        insert_responses(session, rows, batch)
    session.flush()
