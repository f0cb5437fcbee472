"""The public page /p/<slug>: off by default (404), aggregates only when on, small cells
suppressed, and no comment unless an organizer starred it and the survey approves quotes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from consult.analysis import recount
from consult.analysis.models import StarredComment
from consult.collection.models import Answer, Response
from consult.surveys.models import PUBLIC_PAGE, PUBLIC_QUOTES
from consult.tracking import services
from tests import factories, known_answers

SLUG = "nisp-consultation"
URL = f"/p/{SLUG}"
COMMENTS = [text for texts in known_answers.COMMENTS.values() for text in texts]


@pytest.fixture
def nisp(session):
    survey = factories.nisp(session)
    known_answers.load(session, survey)
    recount.forget()
    return survey


def _publish(session, survey, **more):
    survey.settings = {**survey.settings, PUBLIC_PAGE: True, **more}
    session.flush()


def _row(page, label):
    found = re.search(
        r"<tr><th scope=\"row\"><bdi>" + re.escape(label) + r"</bdi></th>(.*?)</tr>", page, re.S
    )
    assert found, label
    return re.findall(r'<span class="figure">(.*?)</span>', found.group(1))


def test_off_by_default_and_off_looks_like_unknown(client, nisp):
    assert client.get(URL).status_code == 404
    assert client.get("/p/no-such-survey").status_code == 404


def test_on_it_shows_aggregates_only(client, session, nisp):
    _publish(session, nisp)
    response = client.get(URL)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "<script" not in page.split("</head>", 1)[1]  # nothing to run in the page itself
    # What was asked, and the support matrix with the same suppression as the results page.
    assert "Inter-agency coordination" in page
    assert _row(page, "Inter-agency coordination")[:8] == [
        "62.5%", "85.7%", "&lt;5", "16.7%", "hidden", "–", "60.0%", "55.0%",
    ]  # fmt: skip
    # Who answered: groups × provinces, small and hidden cells keep their counts back.
    assert "Respondents by stakeholder group and province" in page
    scholars = _row(page, "Religious scholars")
    assert set(scholars[-8:]) <= {"&lt;5", "0"} and scholars[-1] == "&lt;5"
    civil = _row(page, "Civil society")
    assert set(civil[-8:]) == {"hidden"}  # its total is hidden: so is every cell of its row
    assert _row(page, "Media")[-8:] == ["8", "0", "0", "0", "0", "0", "0", "8"]
    # No individual answer, and no comment: none is starred.
    for text in COMMENTS:
        assert text not in page
    public_ids = session.scalars(select(Response.public_id).where(Response.survey_id == nisp.id))
    assert not any(pid in page for pid in public_ids)
    assert "In their own words" not in page
    assert "Method" in page and "fewer than 5 respondents" in page


def _star(session, survey, text):
    answer_id = session.scalar(select(Answer.id).where(Answer.value == text))
    session.add(StarredComment(survey_id=survey.id, answer_id=answer_id))
    session.flush()


def test_only_starred_comments_and_only_when_approved(client, session, nisp):
    _star(session, nisp, "رابطہ کاری بہتر ہو")
    _star(session, nisp, "Only three of us in this district")
    _publish(session, nisp)
    page = client.get(URL).get_data(as_text=True)
    assert "رابطہ کاری بہتر ہو" not in page  # starred, not approved for the public
    _publish(session, nisp, **{PUBLIC_QUOTES: True})
    page = client.get(URL).get_data(as_text=True)
    assert "رابطہ کاری بہتر ہو" in page
    quotes = page.split('id="quotes"', 1)[1].split("</section>", 1)[0]
    # The scholars' group is under k: their starred comment carries no group name.
    scholars = quotes.split("Only three of us in this district", 1)[1].split("</blockquote>")[0]
    assert "Religious scholars" not in scholars
    for text in COMMENTS:
        if text not in ("رابطہ کاری بہتر ہو", "Only three of us in this district"):
            assert text not in page, text


def test_implementation_and_urdu_right_to_left(client, session, nisp):
    rec = next(r for r in nisp.recommendations if r.code == "coordination")
    services.save_delivery(session, None, nisp, rec, owner="NACTA", status="done", progress="100")
    _publish(session, nisp)
    page = client.get(URL).get_data(as_text=True)
    assert 'id="delivery"' in page and "NACTA" in page and "Edit implementation" not in page
    urdu = client.get(f"{URL}?lang=ur").get_data(as_text=True)
    assert '<html lang="ur" dir="rtl">' in urdu
    assert nisp.title["ur"] in urdu
    assert "کس نے جواب دیا" in urdu  # "Who answered"


def test_the_change_since_a_wave_shows_only_when_that_wave_is_public_too(client, session, nisp):
    second = factories.nisp(session, slug="nisp-next")
    known_answers.load(session, second)
    second.previous_wave_id = nisp.id
    _publish(session, second)
    recount.forget()
    page = client.get("/p/nisp-next").get_data(as_text=True)
    assert 'id="waves"' not in page
    _publish(session, nisp)
    page = client.get("/p/nisp-next").get_data(as_text=True)
    assert 'id="waves"' in page
    # The same answers in both waves: a change of 0 where shown, none for the small group.
    changes = re.findall(r'<span class="change"><bdi dir="ltr">(.*?)</bdi></span>', page)
    assert "+0.0" in changes and "–" in changes
    assert set(changes) <= {"+0.0", "–"}
