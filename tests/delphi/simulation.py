"""A Delphi study run through the web client, as organizers and panellists use it: the study
made from the NISP consultation, a panel uploaded, rounds opened, links e-mailed (a real SMTP
server), every panellist answering from the link in their own e-mail. What each panellist
answered is recorded here, by address, for the tests to compute their own figures from."""

from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass, field
from typing import Any

from consult.accounts.roles import Role
from consult.surveys.models import SurveyState
from consult.surveys.questions import question_type
from tests import factories
from tests.conftest import CSRF_INPUT, form_tokens

LINK = re.compile(r"http://127\.0\.0\.1:5000(/d/[^?\s]+)\?lang=(\w+)")
GROUPS = ("media", "academia", "religious_scholars", "community", "civil_society", "security")


@dataclass
class Panellist:
    name: str
    email: str
    group: str
    lean: float  # how far this panellist leans to agree (answers are drawn around it)


@dataclass
class Run:
    survey: Any
    client: Any
    panel: list[Panellist]
    codes: list[str]
    # round → email → {item code: rating, or None for cannot judge}
    answers: dict[int, dict[str, dict[str, int | None]]] = field(default_factory=dict)
    # round → email → the page the panellist saw (GET)
    pages: dict[int, dict[str, str]] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)
    # The ranking question, its items, and round → email → items best first.
    ranking: str = ""
    items: list[str] = field(default_factory=list)
    rankings: dict[int, dict[str, list[str]]] = field(default_factory=dict)


def make_panel(size: int) -> list[Panellist]:
    rng = random.Random(19)
    return [Panellist(f"Panellist{n:02d} Qureshi", f"panellist{n:02d}@example.org",
                      GROUPS[n % len(GROUPS)], rng.uniform(-1.5, 1.5))
            for n in range(size)]  # fmt: skip


def start(app: Any, session: Any, smtp: Any, panel: list[Panellist]) -> Run:
    """The study made, its panel uploaded, the protocol saved, round 1 opened and sent."""
    survey = factories.nisp(session, state=SurveyState.draft, slug="nisp-delphi")
    client = app.test_client()
    factories.login(client, factories.user(session, Role.organizer, survey=survey))
    base = f"/admin/surveys/{survey.slug}/delphi"
    assert post(client, base, "/create").status_code == 302
    csv = "name,email,group\n" + "".join(f"{p.name},{p.email},{p.group}\n" for p in panel)
    upload = {"file": (io.BytesIO(csv.encode()), "panel.csv")}
    response = post(client, base, "/panel", upload, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    protocol = {"agree_from": "4", "disagree_to": "2", "consensus_agree": "75",
                "consensus_disagree": "15", "max_rounds": "3", "stable_unchanged": "85",
                "stable_delta": "10", "quantile_method": "linear"}  # fmt: skip
    assert post(client, base, "/protocol", protocol).status_code == 302
    codes = [q.code for q in survey.ordered_questions() if question_type(q.type).agreement]
    [ranked] = [q for q in survey.ordered_questions() if question_type(q.type).ranks]
    return Run(survey=survey, client=client, panel=panel, codes=codes, ranking=ranked.code,
               items=[code for code, _ in ranked.options()])  # fmt: skip


def post(client: Any, base: str, path: str, data: dict | None = None, **options: Any) -> Any:
    tokens = form_tokens(client, base + "/")
    return client.post(base + path, data={**tokens, **(data or {})}, **options)


def open_and_send(run: Run, smtp: Any, number: int) -> dict[str, str]:
    """Open round ``number``, send its links; each panellist's link, by address."""
    base = f"/admin/surveys/{run.survey.slug}/delphi"
    assert post(run.client, base, "/rounds").status_code == 302
    before = len(smtp.messages)
    response = post(run.client, base, f"/rounds/{number}/send", {"language": "en"})
    assert response.status_code == 302
    links = {}
    for message in smtp.messages[before:]:
        found = LINK.search(message.get_content())
        assert found, message.get_content()
        links[message["To"]] = found.group(1)
    return links


def close(run: Run, number: int, approve: bool = True) -> None:
    base = f"/admin/surveys/{run.survey.slug}/delphi"
    assert post(run.client, base, f"/rounds/{number}/close").status_code == 302
    if approve:
        page = run.client.get(f"{base}/rounds/{number}").get_data(as_text=True)
        ids = re.findall(r'name="approved" value="(\d+)"', page)
        assert post(run.client, base, f"/rounds/{number}/comments",
                    {"approved": ids}).status_code == 302  # fmt: skip


def rating(rng: random.Random, lean: float) -> int:
    return max(1, min(5, round(3 + lean + rng.gauss(0, 0.9))))


def answer_round(run: Run, app: Any, number: int, links: dict[str, str],
                 absent: set[str], rng: random.Random) -> None:  # fmt: skip
    """Every panellist not in ``absent`` answers from their link in a fresh browser."""
    run.answers[number], run.pages[number] = {}, {}
    previous = run.answers.get(number - 1, {})
    for person in run.panel:
        if person.email in absent:
            continue
        panellist = app.test_client()
        page = panellist.get(links[person.email]).get_data(as_text=True)
        run.pages[number][person.email] = page
        mine: dict[str, int | None] = {}
        data = {"csrf_token": CSRF_INPUT.search(page).group(1)}  # type: ignore[union-attr]
        for code in run.codes:
            before = previous.get(person.email, {}).get(code, "missing")
            if rng.random() < 0.05:
                mine[code] = None
            elif isinstance(before, int) and rng.random() < 0.7:
                mine[code] = before  # most keep their answer
            else:
                mine[code] = rating(rng, person.lean + 0.3 * (number - 1))
            data[f"item-{code}"] = "cj" if mine[code] is None else str(mine[code])
            if isinstance(before, int) and mine[code] is not None:
                crossing = {position(before), position(mine[code])} == {"agree", "disagree"}
                if crossing:
                    data[f"reason-{code}"] = "The panel's comments changed my mind."
            if rng.random() < 0.03:
                text = f"Comment {len(run.comments)} on {code}"
                run.comments.append(text)
                data[f"comment-{code}"] = text
        rank(run, number, person, data, rng)
        response = panellist.post(links[person.email], data=data)
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
        run.answers[number][person.email] = mine


def rank(run: Run, number: int, person: Panellist, data: dict, rng: random.Random) -> None:
    """Most rank the items near a shared order; a few leave the ranking empty."""
    run.rankings.setdefault(number, {})
    if rng.random() < 0.05:
        return
    order = sorted(run.items, key=lambda item: run.items.index(item) + rng.gauss(0, 1.5))
    run.rankings[number][person.email] = order
    for position_, item in enumerate(order, start=1):
        data[f"rank-{run.ranking}-{item}"] = str(position_)


def position(value: int) -> str:
    return "agree" if value >= 4 else "disagree" if value <= 2 else "neither"
