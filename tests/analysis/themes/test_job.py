"""The theming job: offline, once per distinct text, never over a reviewer, never twice at once;
the tables it feeds; the export that a fresh copy can be seeded from."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from bench import themes_data
from consult.analysis.summarising import OVERALL, Status
from consult.analysis.themes import review, runs, tables
from consult.analysis.themes.exporting import write_export
from consult.analysis.themes.models import (
    RunState,
    Source,
    ThemeAssignment,
    ThemeCandidate,
    ThemeRun,
    ThemeText,
)
from consult.analysis.themes.seeding import read_sheets, seed
from consult.analysis.themes.themes import find_theme
from consult.collection.models import Answer
from consult.db import utcnow
from consult.problems import Refusal
from tests import factories
from tests.analysis.themes.conftest import labelled, run_job


def _count(session, model, *where):
    return session.scalar(select(func.count()).select_from(model).where(*where))


def _themes_of(session, answer_id, source):
    t = ThemeAssignment.__table__.c
    stmt = select(t.theme_id).where(t.answer_id == answer_id, t.source == source)
    return set(session.scalars(stmt))


def test_the_job_themes_offline_embeds_each_distinct_text_once_and_reports_progress(
    app, session, themed, embedder, no_network
):
    # The same comment from a second respondent is embedded once.
    themes_data.add_responses(session, themed, [("coordination", labelled()[0].text)], seed=2)
    outcome = run_job(app, session, themed, embedder, suggest=True)
    distinct = {c.text for c in labelled()}
    assert outcome.comments == len(labelled()) + 1
    assert len(embedder.asked) == len(set(embedder.asked))  # nothing twice
    assert distinct <= set(embedder.asked)
    assert _count(session, ThemeText, ThemeText.survey_id == themed.id) == len(embedder.asked)
    run = session.get(ThemeRun, themed.id)
    assert run.state == RunState.done and run.done == run.total > 0 and run.holder is None
    assert outcome.proposed >= 0.7 * outcome.comments  # most comments raise some theme
    candidates = session.scalars(select(ThemeCandidate)).all()
    assert candidates and all(c.words and c.examples for c in candidates)
    # Clusters of language-centred vectors mix languages instead of sorting by them.
    assert any(len(c.languages) == 3 for c in candidates)


def test_adding_comments_embeds_only_the_new_ones(app, session, themed, embedder, no_network):
    run_job(app, session, themed, embedder)
    embedder.asked.clear()
    new = ["Police stations need working radios and vehicles.", "fund waqt par nahi milte"]
    themes_data.add_responses(session, themed, [("resources", t) for t in new], seed=3)
    outcome = run_job(app, session, themed, embedder)
    assert sorted(embedder.asked) == sorted(new)
    assert outcome.embedded == 2


def test_reviewed_themes_are_never_overwritten_and_the_proposal_they_judged_stays(
    app, session, themed, embedder
):
    run_job(app, session, themed, embedder)
    item = review.next_item(session, themed)
    assert item is not None
    proposed = set(item.proposed)
    other = next(t for t in item.themes if t.id not in proposed)
    review.confirm(session, themed, item.answer_id, {other.id}, None)
    session.commit()
    run_job(app, session, themed, embedder)
    assert _themes_of(session, item.answer_id, Source.reviewed) == {other.id}
    assert _themes_of(session, item.answer_id, Source.machine) == proposed
    found = review.agreement(session, themed).per_response
    assert found.n == 1 and found.value == 0.0  # the reviewer took a theme not proposed


def test_a_second_run_is_refused_while_one_is_running_and_a_dead_one_is_taken_over(session, themed):
    runs.request(session, themed.id)
    holder = runs.claim(session, themed.id)
    assert holder is not None
    assert runs.claim(session, themed.id) is None  # the lock holds
    with pytest.raises(Refusal) as refused:
        runs.request(session, themed.id)
    assert refused.value.status == 409
    runs.beat(session, themed.id, holder, "embedding", 1, 10)
    # The worker dies: its heartbeat goes stale, the run is queued again and taken over.
    session.execute(
        update(ThemeRun).values(heartbeat=utcnow() - timedelta(seconds=runs.STALE_SECONDS + 5))
    )
    assert runs.stalled(session) == [themed.id]
    assert runs.stalled(session) == []  # queued once
    second = runs.claim(session, themed.id)
    assert second is not None and second != holder
    with pytest.raises(runs.LostClaim):
        runs.beat(session, themed.id, holder, "embedding", 2, 10)  # the old job stops


def _copy_responses(source_session, survey, target_session):
    """A fresh copy of the survey's responses (same public ids, groups and comments)."""
    from consult.collection.models import Response
    from consult.collection.responses import insert_responses

    copy = factories.nisp(target_session)
    ids = {q.code: q.id for q in copy.questions}
    groups = {g.id: g.code for g in survey.groups}
    codes = {q.id: q.code for q in survey.questions}
    group_q = ids["group"]
    rows, answers = [], []
    for response in source_session.scalars(
        select(Response).where(Response.survey_id == survey.id).order_by(Response.public_id)
    ):
        given = {ids[codes[a.question_id]]: a.value for a in response.answers}
        if response.group_id:
            given[group_q] = groups[response.group_id]
        rows.append({"survey_id": copy.id, "public_id": response.public_id,
                     "group_id": next((g.id for g in copy.groups
                                       if g.code == groups.get(response.group_id)), None),
                     "region": None, "language": "en", "channel": "synthetic",
                     "submitted_at": response.submitted_at})  # fmt: skip
        answers.append(given)
    insert_responses(target_session, rows, answers)
    target_session.flush()
    return copy


def _figures(session, survey):
    return {
        (t.question.code, row.theme.code, unit): (row.counts[unit], row.shares[unit])
        for t in tables.theme_tables(session, survey)
        for row in t.rows
        for unit in t.units
    }


def test_the_export_seeds_a_fresh_copy_that_shows_the_same_tables(
    app, session, themed, embedder, tmp_path
):
    from sqlalchemy.orm import Session

    from consult import migrations
    from consult.db import make_engine

    run_job(app, session, themed, embedder)
    for _ in range(3):
        item = review.next_item(session, themed)
        review.confirm(session, themed, item.answer_id, {item.themes[0].id}, None)
    session.flush()
    buffer = io.BytesIO()
    assert write_export(session, themed, buffer) == len(labelled())
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    migrations.upgrade(engine)
    with Session(engine) as fresh:
        copy = _copy_responses(session, themed, fresh)
        assert seed(fresh, copy, read_sheets(buffer.getvalue())) == (8, len(labelled()))
        assert _figures(fresh, copy) == _figures(session, themed)
        assert _figures(session, themed)  # not two empty tables
        mine, theirs = review.agreement(session, themed), review.agreement(fresh, copy)
        assert (theirs.per_response.n, theirs.per_response.value) == (
            mine.per_response.n, mine.per_response.value)  # fmt: skip
    engine.dispose()


def test_a_group_of_four_shows_no_share_and_its_comments_stay_hidden(app, session, embedder):
    survey = factories.nisp(session)
    texts = [c.text for c in labelled(("resources",))]
    themes_data.add_responses(session, survey, [("resources", t) for t in texts[:4]],
                              groups=["media"])  # fmt: skip
    themes_data.add_responses(session, survey, [("resources", t) for t in texts[4:]],
                              groups=["academia", "civil_society"], seed=5)  # fmt: skip
    from tests.analysis.themes.conftest import themes_workbook_bytes

    seed(session, survey, read_sheets(themes_workbook_bytes(("resources",))))
    run_job(app, session, survey, embedder)
    [table] = tables.theme_tables(session, survey)
    assert table.cells["media"].status == Status.small
    assert all(row.shares["media"] is None for row in table.rows)
    assert table.cells["academia"].shown and table.cells[OVERALL].n == len(texts)
    theme = find_theme(session, survey, "res_budget")
    with pytest.raises(Refusal):
        tables.cell_comments(session, survey, table.question, theme, "media")
    shown = tables.cell_comments(session, survey, table.question, theme, OVERALL)
    assert shown.total == table.rows[0].counts[OVERALL] and shown.texts == sorted(shown.texts)
    top = tables.top_themes(session, survey, "en")
    assert list(top) == ["resources"] and top["resources"][0].count >= top["resources"][-1].count


def test_seeding_refuses_a_bad_sheet_whole_and_says_where(session):
    import openpyxl

    survey = factories.nisp(session)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "themes"
    sheet.append(
        ["recommendation", "code", "label::English (en)", "label::Urdu (ur)", "description"]
    )
    sheet.append(["resources", "res_budget", "Budget", "بجٹ", "Money on time."])
    sheet.append(["nowhere", "bad code", "", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(Refusal) as refused:
        seed(session, survey, read_sheets(buffer.getvalue()))
    text = " ".join(refused.value.messages())
    assert "row 3" in text and "nowhere" in text
    session.rollback()
    assert _count(session, Answer) == 0
