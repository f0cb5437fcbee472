"""A study and its panel: creating the study from a survey, adding panellists from a pasted
list or an uploaded sheet (name, email, group), fixing the protocol. Flush, never commit."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult.delphi import keys
from consult.delphi.models import DelphiStudy, Panellist
from consult.delphi.protocol import Protocol
from consult.mail import valid_address
from consult.problems import Problems, Refusal
from consult.spreadsheets.uploads import Limits, Sheet, read_table
from consult.surveys.models import Question, Survey
from consult.surveys.questions import question_type

# A panel is a few dozen to a few hundred experts; the bound keeps an upload small.
# The whole panel, beside its groups, in the study's figures (report.StudyReport).
ALL = "all"
PANEL_LIMITS = Limits(size=1024 * 1024, rows=5_001, columns=10)
HEADER = ("name", "email", "group")


def study_of(session: Session, survey: Survey) -> DelphiStudy | None:
    """The study whose round 1 is ``survey``."""
    return session.scalar(select(DelphiStudy).where(DelphiStudy.survey_id == survey.id))


def rating_items(survey: Survey) -> list[Question]:
    """The questions a Delphi round rates: the survey's agreement scales, in page order."""
    return [q for q in survey.ordered_questions() if question_type(q.type).agreement]


def create_study(session: Session, survey: Survey) -> DelphiStudy:
    """A study whose round 1 will be ``survey``; refused without any rating item."""
    if study_of(session, survey) is not None:
        raise Refusal.conflicting(str(_l("This survey has a Delphi study already.")))
    if not rating_items(survey):
        raise Refusal.conflicting(str(_l("A Delphi study needs at least one rating scale.")))
    items = rating_items(survey)
    points = len(items[0].options())
    default = Protocol(agree_from=points - 1 if points >= 4 else points,
                       disagree_to=2 if points >= 4 else 1)  # fmt: skip
    study = DelphiStudy(survey_id=survey.id, key_salt=keys.new_salt(), protocol=default.as_dict())
    session.add(study)
    session.flush()
    return study


def set_protocol(session: Session, study: DelphiStudy, protocol: Protocol) -> None:
    """Store the protocol; refused once round 1 has opened (it is fixed from then on)."""
    if study.rounds:
        raise Refusal.conflicting(str(_l("The protocol is fixed once round 1 has opened.")))
    study.protocol = protocol.as_dict()
    session.flush()


def sheet_of(pasted: str, upload: bytes | None, filename: str) -> Sheet:
    """The list as a sheet: an uploaded .csv/.xlsx (bounded reading), or the pasted lines
    (a header line name,email,group is optional there)."""
    if upload:
        return read_table(upload, filename, PANEL_LIMITS)
    text = pasted.strip()
    if not text:
        raise Refusal.at("pasted", str(_l("Paste the list, or choose a file.")))
    first = text.splitlines()[0].lower().replace(" ", "")
    if not first.startswith("name,email"):
        text = ",".join(HEADER) + "\n" + text
    return read_table(text.encode("utf-8"), "pasted.csv", PANEL_LIMITS)


def add_panellists(session: Session, study: DelphiStudy, sheet: Sheet) -> int:
    """Add every row (name, email, group code) or none; Refusal naming each bad row."""
    problems = Problems()
    missing = [h for h in HEADER[:2] if h not in sheet.header]
    if missing:
        raise Refusal.at(
            "pasted", str(_l("The first row must name the columns: name, email, group."))
        )
    col = {h: sheet.header.index(h) for h in HEADER if h in sheet.header}
    groups = {g.code for g in study.survey.groups}
    taken = set(session.scalars(select(Panellist.email).where(Panellist.study_id == study.id)))
    rows: list[Panellist] = []
    for number, row in enumerate(sheet.rows, start=2):
        name, email = row[col["name"]].strip(), row[col["email"]].strip().lower()
        group = row[col["group"]].strip() if "group" in col else ""
        wrong = _row_problems(name, email, group, groups, taken)
        for message in wrong:  # translated only when there is something to say
            problems.add(str(message), "pasted", str(_l("row %(n)d", n=number)))
        taken.add(email)
        rows.append(Panellist(study_id=study.id, pseudonym=keys.new_pseudonym(), name=name,
                              email=email, group_code=group or None))  # fmt: skip
    problems.raise_any()
    session.add_all(rows)
    session.flush()
    return len(rows)


def _row_problems(
    name: str, email: str, group: str, groups: set[str], taken: set[str]
) -> list[object]:
    wrong: list[object] = []
    if not name or len(name) > 200:
        wrong.append(_l("A name of 1 to 200 characters."))
    if not valid_address(email):
        wrong.append(_l("Not an e-mail address."))
    elif email in taken:
        wrong.append(_l("This address is on the panel already."))
    if groups and group not in groups:
        wrong.append(_l("Unknown group code."))
    return wrong


def panel(session: Session, study: DelphiStudy) -> list[Panellist]:
    stmt = select(Panellist).where(Panellist.study_id == study.id).order_by(Panellist.name)
    return list(session.scalars(stmt))


def panel_size(session: Session, study: DelphiStudy) -> int:
    stmt = select(func.count()).select_from(Panellist).where(Panellist.study_id == study.id)
    return session.scalar(stmt) or 0
