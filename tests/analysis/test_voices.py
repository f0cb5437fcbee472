"""Every voice on the web: the comments page shows what the workbook's Comments sheet shows, no
more; search and paging; organizers star quotes; group and province filters; no row ids."""

from __future__ import annotations

import html
import re

import pytest

from consult.accounts.roles import Role
from consult.analysis import voices
from consult.analysis.filters import Filters
from consult.analysis.models import StarredComment
from consult.collection.models import Answer
from consult.collection.responses import Submission, submit
from tests import factories, known_answers
from tests.conftest import form_tokens

SLUG = "nisp-consultation"
URL = f"/admin/surveys/{SLUG}/comments"


@pytest.fixture
def nisp(session):
    survey = factories.nisp(session)
    known_answers.load(session, survey)
    return survey


@pytest.fixture
def organizer(client, session, nisp):
    account = factories.user(session, Role.organizer, survey=nisp)
    factories.login(client, account)
    return account


def _texts(page):
    return [
        html.unescape(t) for t in re.findall(r'<blockquote dir="auto">(.*?)</blockquote>', page)
    ]


def _groups(page):
    return [html.unescape(t) for t in re.findall(r'<li class="vgroup"><h3>(.*?)</h3>', page)]


def test_the_comments_page_lists_what_the_workbook_lists_in_its_order(client, nisp, organizer):
    page = client.get(f"{URL}?question=coordination_comment").get_data(as_text=True)
    # Groups in survey order, each sorted by text; the small group's comment last, unnamed.
    assert _groups(page) == [
        "Media",
        "Academia",
        "Group not shown (fewer than 5 respondents)",
    ]
    assert _texts(page) == [
        "=1+1 should stay text",
        "رابطہ کاری بہتر ہو",
        "evil reversed",  # bidi controls removed, as in the workbook
        "+92 300 1234567",
        "-minus first",
        "@SUM(A1)",
        "Only three of us in this district",
    ]
    assert "Religious scholars" not in _groups(page)
    assert '<strong class="total">7</strong>' in page


def test_search_and_paging(client, session, nisp, organizer):
    comment = next(q for q in nisp.questions if q.code == "coordination_comment")
    for index in range(120):
        answers = known_answers.answers_for(nisp, "media", 0) | {comment.id: f"needle {index:03}"}
        submit(session, nisp, Submission(answers=answers, language="en"))
    first = client.get(f"{URL}?q=NEEDLE").get_data(as_text=True)
    assert '<strong class="total">120</strong>' in first and "page 1 of 3" in first
    assert _texts(first)[:2] == ["needle 000", "needle 001"] and len(_texts(first)) == 50
    last = client.get(f"{URL}?q=needle&page=3").get_data(as_text=True)
    assert _texts(last)[-1] == "needle 119" and len(_texts(last)) == 20
    assert 'rel="prev"' in last and 'rel="next"' not in last
    # LIKE's wildcards are searched for as themselves.
    nothing = client.get(f"{URL}?q=%25_%25").get_data(as_text=True)
    assert '<strong class="total">0</strong>' in nothing


def test_a_narrow_filter_withholds_every_comment(client, nisp, organizer):
    # The four religious scholars alone: their group is the filter, so no comment may show.
    page = client.get(f"{URL}?group=religious_scholars").get_data(as_text=True)
    assert "Comments withheld" in page and "Only three of us" not in page
    media = client.get(f"{URL}?group=media").get_data(as_text=True)
    assert "=1+1 should stay text" in media and "+92 300 1234567" not in media
    bad = client.get(f"{URL}?group=nobody&province=atlantis")
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "There is no stakeholder group nobody." in text
    assert "There is no province or region atlantis." in text


def test_tokens_name_comments_without_their_row_ids(client, session, nisp, organizer):
    page = client.get(f"{URL}?question=coordination_comment").get_data(as_text=True)
    tokens = re.findall(r'name="comment" value="([0-9a-f]+)"', page)
    assert len(tokens) == 7 and len(set(tokens)) == 7
    ids = {str(i) for i in range(1, 1000)}
    assert not ids & set(tokens)


def test_an_organizer_stars_a_quote_and_it_shows_in_starred(client, session, nisp, organizer):
    page = client.get(f"{URL}?question=coordination_comment").get_data(as_text=True)
    token = re.search(r'name="comment" value="([0-9a-f]+)"', page).group(1)
    data = form_tokens(client, URL) | {
        "question": "coordination_comment",
        "comment": token,
        "on": "1",
        "back": "?question=coordination_comment",
    }
    done = client.post(f"{URL}/star", data=data)
    assert done.status_code == 302 and done.location.endswith("?question=coordination_comment")
    assert session.query(StarredComment).count() == 1
    starred = client.get(f"{URL}?starred=1").get_data(as_text=True)
    assert _texts(starred) == ["=1+1 should stay text"]
    assert "Starred: remove from the brief" in starred
    client.post(f"{URL}/star", data=data | {"on": "0"})
    assert session.query(StarredComment).count() == 0
    wrong = client.post(f"{URL}/star", data=data | {"comment": "0" * 24}, follow_redirects=True)
    assert "That comment is no longer there." in wrong.get_data(as_text=True)


def test_a_viewer_reads_comments_but_cannot_star(client, session, nisp):
    viewer = factories.user(session, Role.viewer, survey=nisp)
    factories.login(client, viewer)
    page = client.get(URL).get_data(as_text=True)
    assert "=1+1 should stay text" in page and 'name="comment"' not in page


def test_quotes_follow_the_view_and_its_small_groups(session, nisp):
    scholars = next(q for q in nisp.questions if q.code == "coordination_comment")
    answer = next(
        a
        for a in session.query(Answer).filter_by(question_id=scholars.id)
        if a.value == "Only three of us in this district"
    )
    session.add(StarredComment(survey_id=nisp.id, answer_id=answer.id))
    session.flush()
    view = voices.comment_view(session, nisp, Filters())
    assert voices.quotes(session, view) == [(scholars, None, "Only three of us in this district")]
    narrow = voices.comment_view(session, nisp, Filters(group="religious_scholars"))
    assert narrow.withheld and voices.quotes(session, narrow) == []
