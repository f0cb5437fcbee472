"""Migrations go up, down and up again on each database."""

from __future__ import annotations

from sqlalchemy import inspect

from consult import migrations


def test_upgrade_downgrade_upgrade(engine):
    migrations.downgrade(engine, "base")
    assert "survey" not in inspect(engine).get_table_names()
    migrations.upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"survey", "question", "response", "answer", "user_account", "alembic_version"} <= tables
