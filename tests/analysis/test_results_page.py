"""The results page: filters in the URL (group and province too), bars on a fixed scale, each
cell carrying its group, responses over time, priorities longest first, links to comments."""

from __future__ import annotations

import re

import pytest

from consult.accounts.roles import Role
from tests import factories, known_answers
from tests.analysis.test_results import _figures

SLUG = "nisp-consultation"
URL = f"/admin/surveys/{SLUG}/results"


@pytest.fixture
def nisp(session):
    survey = factories.nisp(session)
    known_answers.load(session, survey)
    return survey


@pytest.fixture
def viewer(client, session, nisp):
    account = factories.user(session, Role.viewer, survey=nisp)
    factories.login(client, account)
    return account


def _matrix_rows(page):
    table = page.split('class="data stack rmatrix"', 1)[1].split("</table>", 1)[0]
    headers = re.findall(r'<th scope="col" class="num"><bdi>(.*?)</bdi></th>', table)
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table, re.S)
    return headers, rows


def test_every_matrix_cell_names_its_group_and_bars_share_one_scale(client, nisp, viewer):
    page = client.get(URL).get_data(as_text=True)
    headers, rows = _matrix_rows(page)
    assert len(headers) == 8 and len(rows) == 6
    for row in rows:
        labels = re.findall(r'<span class="cell-label"><bdi>(.*?)</bdi></span>', row)
        assert labels[:8] == headers
    # Every bar is the same length on the page (80 px for 0 to 100%): the value is its fill.
    meters = re.findall(r'<svg class="meter" width="(\d+)"[^>]*viewBox="0 0 100 8"', page)
    assert meters and set(meters) == {"80"}
    media = re.search(r'<svg class="meter".*?</svg>', rows[0]).group(0)
    assert '<rect width="62.50"' in media  # 62.5% of the scale, from zero
    assert 'class="bar"' not in page.split('<main id="main"', 1)[1]  # not the header's class
    # The marks are explained where they are shown.
    assert "consensus: at least 70% on one side" in page and "groups split" in page


def test_group_and_province_filters_live_in_the_url(client, nisp, viewer):
    media = client.get(f"{URL}?group=media").get_data(as_text=True)
    assert '<strong class="total">8</strong>' in media
    assert '<option value="media" selected>' in media
    sindh = client.get(f"{URL}?province=sindh").get_data(as_text=True)
    assert '<strong class="total">7</strong>' in sindh  # academia answered from Sindh
    assert _figures(sindh, "Inter-agency coordination")[1] == "85.7%"
    # Downloads and comment links keep the filters.
    assert "summary.xlsx?lang=en&amp;province=sindh" in sindh
    assert "brief.pdf?lang=ur&amp;province=sindh" in sindh
    assert "comments?lang=en&amp;province=sindh" in sindh
    bad = client.get(f"{URL}?group=nobody")
    assert bad.status_code == 400 and "There is no stakeholder group nobody." in bad.get_data(
        as_text=True
    )


def test_responses_over_time_and_priorities(client, nisp, viewer):
    page = client.get(URL).get_data(as_text=True)
    assert "Responses over time" in page and "Responses per day" in page
    steps = re.findall(r"<title>(\d{4}-\d{2}-\d{2}): (\d+)</title>", page)
    assert [int(n) for _, n in steps] == [30]
    order = re.findall(
        r'<li><span class="item"><bdi>(.*?)</bdi></span>', page.split("Priorities", 1)[1]
    )
    assert len(order) == 6 and order[0] == "Monitoring and evaluation"
    shares = re.findall(r'<span class="num">(\d+)%</span></li>', page)
    assert [int(s) for s in shares] == sorted((int(s) for s in shares), reverse=True)


def test_captions_are_question_text_not_codes(client, nisp, viewer):
    page = client.get(URL).get_data(as_text=True)
    captions = re.findall(r"<caption>(.*?)</caption>", page)
    codes = {q.code for q in nisp.questions}
    assert captions and not any(c.split(" ")[0] in codes for c in captions)


def test_counts_are_kept_until_a_response_comes_in(session, nisp):
    from consult.analysis import recount
    from consult.analysis.filters import Filters
    from consult.collection.responses import Submission, submit

    first = recount.counted(session, nisp, Filters())
    assert recount.counted(session, nisp, Filters()) is first
    assert recount.counted(session, nisp, Filters(group="media")) is not first
    answers = known_answers.answers_for(nisp, "media", 0)
    submit(session, nisp, Submission(answers=answers, language="en"))
    again = recount.counted(session, nisp, Filters())
    assert again is not first
    assert sum(p[4] for p in again.respondents) == sum(p[4] for p in first.respondents) + 1
