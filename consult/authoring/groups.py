"""What a question stands for besides its own answer (its role), and the lists that come with it.

- The stakeholder-group question: its rows are the survey's stakeholder groups (code, text in
  every language, target, hard quota): the groups of group links, invitations, the monitor and
  the recommendation × stakeholder-group matrix. A survey has at most one.
- The province or region question: its rows are its choices, each with an optional target
  (the monitor's row of targets). At most one.
- A ranking of the survey's recommendations: its items are the recommendations.

Groups are referred to by responses, invitations and drafts: a group in use keeps its code and
stays; the roles themselves stay once responses were given (each response's group and province
were fixed when it was stored). Flush, never commit; problems are added, not raised.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from consult.authoring.answered import group_in_use, has_responses, is_answered
from consult.authoring.common import Row, kept_texts, recode, whole_number
from consult.problems import Problems
from consult.surveys.codes import CODE
from consult.surveys.models import Question, QuestionRole, StakeholderGroup, Survey
from consult.surveys.questions import QuestionType

# Where the targets per province or region live in Survey.settings (distribution/monitoring).
REGION_TARGETS = "region_targets"
# Roles whose answers are copied onto each response when it is stored.
FIXED_ON_RESPONSES = frozenset({QuestionRole.group, QuestionRole.region})


@dataclass
class GroupItem:
    code: str
    was: str
    label: dict[str, str]
    target: int | None
    quota: int | None


def check_role(
    session: Session, survey: Survey, question: Question | None, qtype: QuestionType,
    role: str, problems: Problems,
) -> str | None:  # fmt: skip
    """The role chosen for the question (None: an ordinary question), if it may have it."""
    wanted = role or None
    current = question.role if question is not None else None
    if wanted == current:
        return wanted
    if wanted is not None and wanted not in qtype.roles:
        problems.add(str(_l("A question of this type cannot stand for that.")), "role")
        return current
    holder = next((q for q in survey.questions if wanted and q.role == wanted), None)
    if holder is not None and holder is not question:
        message = _l("Question %(code)s stands for this already: change it there first.",
                     code=holder.code)  # fmt: skip
        problems.add(str(message), "role")
    if {wanted, current} & FIXED_ON_RESPONSES and has_responses(session, survey):
        message = _l("Responses were given: which questions give the stakeholder group and the"
                     " province stays as it is.")  # fmt: skip
        problems.add(str(message), "role")
        problems.conflict = True
    elif question is not None and is_answered(session, question):
        problems.add(str(_l("This question has answers: what it stands for cannot change.")),
                     "role")  # fmt: skip
        problems.conflict = True
    if wanted == QuestionRole.recommendations and not survey.recommendations:
        problems.add(str(_l("The survey has no recommendations yet.")), "role")
    return wanted


def group_rows(survey: Survey) -> list[Row]:
    return [
        Row(code=g.code, was=g.code, label=dict(g.label), target=_text(g.target),
            quota=_text(g.quota))
        for g in survey.groups
    ]  # fmt: skip


def _text(number: int | None) -> str:
    return "" if number is None else str(number)


def check_groups(
    session: Session, survey: Survey, rows: list[Row], problems: Problems
) -> list[GroupItem]:
    """The groups as typed (blank rows left out); problems by row field."""
    items: list[GroupItem] = []
    by_code = {g.code: g for g in survey.groups}
    default = survey.default_language
    for at, row in enumerate(rows):
        if row.blank():
            continue
        code, name = row.code.strip(), f"c{at}-code"
        if not CODE.match(code):
            problems.add(str(_l("Use letters, digits, _, - and ., starting with a letter.")), name)
        elif any(item.code == code for item in items):
            problems.add(str(_l("This code is already used.")), name)
        elif row.was != code and row.was in by_code and group_in_use(session, by_code[row.was]):
            message = _l("Responses or invitations belong to this group: its code stays.")
            problems.add(str(message), name)
        if not row.label.get(default, "").strip():
            problems.add(str(_l("A group needs its name.")), f"c{at}-label-{default}")
        target = whole_number(row.target, f"c{at}-target", problems, least=1)
        quota = whole_number(row.quota, f"c{at}-quota", problems, least=1)
        label = kept_texts(row.label, survey.languages)
        items.append(GroupItem(code, row.was if row.was in by_code else "", label, target, quota))
    kept = {item.was for item in items}
    check_dropped(session, [g for g in survey.groups if g.code not in kept], problems)
    if not items:
        problems.add(str(_l("Give at least one stakeholder group.")), "choices")
    return items


def check_dropped(session: Session, groups: list[StakeholderGroup], problems: Problems) -> None:
    for group in groups:
        if group_in_use(session, group):
            message = _l("Responses or invitations belong to group %(code)s: it stays.",
                         code=group.code)  # fmt: skip
            problems.add(str(message))
            problems.conflict = True


def set_groups(session: Session, survey: Survey, items: list[GroupItem]) -> None:
    """The survey's groups become ``items``, in order; groups keep their identity (their
    responses, invitations and links) when their row does."""
    by_code = {g.code: g for g in survey.groups}
    kept = {item.was for item in items if item.was}
    for group in [g for g in survey.groups if g.code not in kept]:
        survey.groups.remove(group)
    session.flush()  # the dropped go first: a new group may take one of their codes
    existing = [(by_code[item.was], item) for item in items if item.was]
    recode(session, [group for group, _item in existing], [item.code for _g, item in existing])
    for position, item in enumerate(items):
        found = by_code.get(item.was) if item.was else None
        if found is None:
            found = StakeholderGroup(code=item.code, position=position, label=item.label)
            survey.groups.append(found)
        found.position, found.label = position, item.label
        found.target, found.quota = item.target, item.quota
    survey.groups.sort(key=lambda g: g.position)
    session.flush()


def drop_groups(session: Session, survey: Survey) -> None:
    """No stakeholder-group question any more: its groups go (checked by check_dropped)."""
    survey.groups.clear()
    session.flush()


def region_targets(rows: list[Row], problems: Problems) -> dict[str, int]:
    """Targets per province or region as typed, by choice code."""
    found = {}
    for at, row in enumerate(rows):
        number = whole_number(row.target, f"c{at}-target", problems, least=1)
        if number is not None and not row.blank():
            found[row.code.strip()] = number
    return found


def set_region_targets(survey: Survey, targets: dict[str, int] | None) -> None:
    settings = {k: v for k, v in survey.settings.items() if k != REGION_TARGETS}
    if targets:
        settings[REGION_TARGETS] = targets
    survey.settings = settings  # a new dict: JSON columns notice reassignment only


def with_region_targets(survey: Survey, rows: list[Row]) -> list[Row]:
    targets = survey.settings.get(REGION_TARGETS) or {}
    for row in rows:
        row.target = _text(targets.get(row.code))
    return rows
