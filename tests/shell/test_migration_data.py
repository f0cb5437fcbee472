"""Upgrading keeps every stored row: a migration must never lose answers."""

from __future__ import annotations

from sqlalchemy import text

from consult import migrations
from consult.db import make_engine
from tests.conftest import postgres_engine

FIRST = "e7f3fa7bbc99"  # the first revision, as a deployment made with it would have


ROWS = [
    (
        "INSERT INTO survey (id, slug, title, description, thanks, languages, state, anonymous,"
        " k_min, settings, created_at) VALUES (1, 's', :empty, :empty, :empty, :languages,"
        " 'open', true, 5, :empty, :day)"
    ),
    "INSERT INTO section (id, survey_id, code, position, title, intro)"
    " VALUES (1, 1, 'a', 0, :empty, :empty)",
    (
        "INSERT INTO question (id, survey_id, section_id, code, position, type, required, label,"
        " hint, settings) VALUES (1, 1, 1, 'q', 0, 'short_text', false, :empty, :empty, :empty)"
    ),
    "INSERT INTO stakeholder_group (id, survey_id, code, position, label)"
    " VALUES (1, 1, 'media', 0, :empty)",
]


def _fill(conn) -> None:
    values = {"empty": "{}", "languages": '["en"]', "day": "2026-01-01"}
    for statement in ROWS:
        conn.execute(text(statement), values)
    # Response 1 has a group and a province, response 2 neither.
    for rid, group, region in ((1, 1, "punjab"), (2, None, None)):
        conn.execute(
            text(
                "INSERT INTO response (id, survey_id, public_id, language, channel, submitted_at,"
                " group_id, region) VALUES (:id, 1, :public, 'en', 'web', :day, :group, :region)"
            ),
            {"id": rid, "public": f"p{rid}", "day": "2026-01-01", "group": group, "region": region},
        )
        conn.execute(
            text("INSERT INTO answer (response_id, question_id, value) VALUES (:id, 1, 'kept')"),
            {"id": rid},
        )


def _check_upgrade_keeps_rows(engine) -> None:
    migrations.downgrade(engine, "base")
    migrations.upgrade(engine, FIRST)
    with engine.begin() as conn:
        _fill(conn)
    migrations.upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM answer WHERE value = 'kept'")).scalar() == 2
        assert conn.execute(text("SELECT count(*) FROM response")).scalar() == 2
        # Answers stored before the tally revision take their response's group and province.
        copied = conn.execute(
            text("SELECT response_id, group_id, region FROM answer ORDER BY response_id")
        ).all()
        assert [tuple(row) for row in copied] == [(1, 1, "punjab"), (2, None, None)]
    migrations.downgrade(engine, "base")
    migrations.upgrade(engine)


def test_sqlite_upgrade_keeps_answers(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    _check_upgrade_keeps_rows(engine)
    with engine.connect() as conn:  # foreign keys are enforced again afterwards
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_postgresql_upgrade_keeps_answers():
    engine, drop = postgres_engine()
    try:
        _check_upgrade_keeps_rows(engine)
    finally:
        drop()
