"""Two waves of the NISP consultation: the change per recommendation × group, with its
interval, on the results page and in the workbook; no change where either wave is under k."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from sqlalchemy import func, select
from statsmodels.stats.proportion import confint_proportions_2indep

from consult.accounts.roles import Role
from consult.accounts.users import add_member
from consult.analysis import recount
from consult.analysis.waves import check_previous
from consult.collection.models import Answer
from consult.collection.synthetic import add_fake_responses
from consult.problems import Refusal
from tests import factories
from tests.conftest import form_tokens
from tests.shell.test_admin import download

FIRST, SECOND = "nisp-2026", "nisp-2027"
SCALES = ("coordination_agree", "monitoring_agree", "kpis_agree", "coordination_feasible")


@pytest.fixture
def waves(session):
    """A large first wave and a small second one (its smallest groups fall under k)."""
    first = factories.nisp(session, slug=FIRST)
    list(add_fake_responses(session, first, 400, seed=11))
    second = factories.nisp(session, slug=SECOND)
    list(add_fake_responses(session, second, 60, seed=12))
    second.previous_wave_id = first.id
    session.flush()
    recount.forget()
    return first, second


@pytest.fixture
def admin(client, session):
    account = factories.user(session, Role.admin)
    factories.login(client, account)
    return account


def counted(session, survey, code, group_code):
    """(agree, n) for a scale question and group, straight from the stored answers."""
    question = next(q for q in survey.questions if q.code == code)
    group = next(g for g in survey.groups if g.code == group_code)
    top_two = [c.code for c in question.choices][-2:]
    a = Answer.__table__.c
    where = (a.question_id == question.id, a.group_id == group.id)
    n = session.scalar(select(func.count()).where(*where))
    agree = session.scalar(select(func.count()).where(*where, a.value.in_(top_two)))
    return agree, n


def expected(session, first, second, code, group_code):
    """The change and its interval, computed here with statsmodels; None under k."""
    k = second.k_min
    (x1, n1), (x2, n2) = (counted(session, s, code, group_code) for s in (first, second))
    if n1 < k or n2 < k:
        return None, (n1, n2)
    low, high = confint_proportions_2indep(x2, n2, x1, n1, method="newcomb", compare="diff")
    return (x2 / n2 - x1 / n1, low, high), (n1, n2)


def points(value):
    return f"{100 * value:+.1f}".replace("-", "−")


def _waves_rows(client):
    data = download(client, f"/admin/surveys/{SECOND}/summary.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Waves"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r[0] == "Recommendation")
    return {(r[1], r[2]): r for r in rows[header + 1 :] if r[0]}


def _page_cells(client, code):
    page = client.get(f"/admin/surveys/{SECOND}/results").get_data(as_text=True)
    row = re.search(rf'<tr data-question="{code}">(.*?)</tr>', page, re.S)
    assert row, code
    return re.findall(
        r'<span class="change"><bdi dir="ltr">(.*?)</bdi></span>'
        r'(?: <small class="interval">\[<bdi dir="ltr">(.*?)</bdi>\]</small>)?',
        row.group(1),
    )


def test_the_change_per_recommendation_and_group_equals_statsmodels(client, session, waves, admin):
    first, second = waves
    sheet = _waves_rows(client)
    shown = suppressed_one_wave = 0
    for code in SCALES:
        cells = _page_cells(client, code)
        assert len(cells) == len(second.groups) + 1  # the groups, then overall
        for i, group in enumerate(second.groups):
            want, (n1, n2) = expected(session, first, second, code, group.code)
            row = sheet[(code, group.survey.text(group.label, "en"))]
            change, interval = cells[i]
            if want is None:
                # Under k in either wave: no change figure anywhere.
                suppressed_one_wave += (n1 < 5) != (n2 < 5)
                assert row[7:10] == [None, None, None], row
                assert (change, interval) == ("–", "")
                continue
            if "hidden" in (row[3], row[5]):  # hidden against subtraction: no change either
                assert row[7] is None and change == "–"
                continue
            shown += 1
            diff, low, high = want
            assert row[7] == pytest.approx(100 * diff)
            assert (row[8], row[9]) == (pytest.approx(100 * low), pytest.approx(100 * high))
            assert row[10] == ("yes" if low > 0 or high < 0 else "no")
            assert change == points(diff)
            assert interval == f"{points(low)} to {points(high)}"
    assert shown >= 8, "too few cells compared to mean anything"
    assert suppressed_one_wave >= 1, "no group fell under k in one wave only"


def test_the_overall_change_uses_every_respondent_of_each_wave(client, session, waves, admin):
    first, second = waves
    sheet = _waves_rows(client)
    row = sheet[("coordination_agree", "Overall (each respondent counts once)")]
    totals = []
    for survey in (first, second):
        agree = n = 0
        for group in survey.groups:
            x, m = counted(session, survey, "coordination_agree", group.code)
            agree, n = agree + x, n + m
        totals.append((agree, n))
    (x1, n1), (x2, n2) = totals
    low, high = confint_proportions_2indep(x2, n2, x1, n1, method="newcomb", compare="diff")
    assert (row[4], row[6]) == (n1, n2)
    assert row[7] == pytest.approx(100 * (x2 / n2 - x1 / n1))
    assert (row[8], row[9]) == (pytest.approx(100 * low), pytest.approx(100 * high))


def test_a_survey_without_a_previous_wave_says_so(client, session, admin):
    factories.nisp(session, slug="alone")
    data = download(client, "/admin/surveys/alone/summary.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(data))["Waves"].iter_rows(values_only=True))
    assert rows[1][0].startswith("This survey is not a new wave")
    page = client.get("/admin/surveys/alone/results").get_data(as_text=True)
    assert 'id="waves"' not in page


def test_a_wave_must_ask_the_same_questions_and_never_loops(session):
    first = factories.nisp(session, slug=FIRST)
    other = factories.small(session, slug="small-wave")
    with pytest.raises(Refusal) as refused:
        check_previous(session, other, FIRST)
    message = refused.value.messages()[0]
    assert "coordination_agree" in message and "colour" in message
    second = factories.nisp(session, slug=SECOND)
    assert check_previous(session, second, FIRST) is first
    second.previous_wave_id = first.id
    session.flush()
    with pytest.raises(Refusal, match="wave of itself"):
        check_previous(session, first, SECOND)
    with pytest.raises(Refusal, match="No survey"):
        check_previous(session, second, "nowhere")


def test_the_settings_form_sets_a_wave_and_refuses_one_beside_its_field(client, session, admin):
    first = factories.nisp(session, slug=FIRST)
    factories.small(session, slug="small-wave")
    second = factories.nisp(session, slug=SECOND)
    build = f"/admin/surveys/{SECOND}/build"
    fields = {
        "languages": ["en", "ur"], "default_language": "en", "k_min": "5",
        "title-en": "NISP 2027", "title-ur": "قومی داخلی سلامتی پالیسی",
    }  # fmt: skip
    response = client.post(
        f"{build}/settings",
        data={**form_tokens(client, build), **fields, "previous_wave": "small-wave"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'id="previous_wave-error">A wave asks the same questions', page)
    assert 'name="previous_wave" type="text" value="small-wave"' in page
    session.expire_all()
    assert second.previous_wave_id is None
    response = client.post(
        f"{build}/settings",
        data={**form_tokens(client, build), **fields, "previous_wave": FIRST, "public_page": "1"},
    )
    assert response.status_code == 302
    session.expire_all()
    assert second.previous_wave_id == first.id and second.settings["public_page"] is True
    assert 'name="previous_wave" type="text" value="nisp-2026"' in client.get(build).get_data(
        as_text=True
    )


def test_settings_and_duplicate_make_a_wave(client, session, admin):
    first = factories.nisp(session, slug=FIRST)
    tokens = form_tokens(client, f"/admin/surveys/{FIRST}/build")
    response = client.post(
        f"/admin/surveys/{FIRST}/build/duplicate",
        data={**tokens, "new_slug": SECOND, "as_wave": "1"},
    )
    assert response.status_code == 302
    second = session.scalar(select(type(first)).where(type(first).slug == SECOND))
    assert second.previous_wave_id == first.id


def test_members_who_cannot_open_the_earlier_wave_see_no_figure_of_it(client, session, waves):
    first, second = waves
    viewer = factories.user(session, Role.viewer, survey=second)
    factories.login(client, viewer)
    page = client.get(f"/admin/surveys/{SECOND}/results").get_data(as_text=True)
    assert "cannot open" in page and 'class="change"' not in page
    data = download(client, f"/admin/surveys/{SECOND}/summary.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(data))["Waves"].iter_rows(values_only=True))
    assert rows[1][0].startswith("This survey repeats an earlier one that your account cannot")
    assert len(rows) == 2
    add_member(session, first, viewer)
    page = client.get(f"/admin/surveys/{SECOND}/results").get_data(as_text=True)
    assert 'class="change"' in page


def test_the_page_filters_do_not_change_the_waves(client, session, waves, admin):
    whole = _page_cells(client, "coordination_agree")
    page = client.get(f"/admin/surveys/{SECOND}/results?channel=web").get_data(as_text=True)
    assert "No responses yet" in page  # the filter leaves nothing of this wave's own figures
    row = re.search(r'<tr data-question="coordination_agree">(.*?)</tr>', page, re.S)
    assert row and re.findall(r'<span class="change"><bdi dir="ltr">(.*?)</bdi>', row.group(1)) == [
        change for change, _interval in whole
    ]
