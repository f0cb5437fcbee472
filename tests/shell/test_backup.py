"""Backups: taken while respondents submit, restored into an empty instance with exactly what
was acknowledged (SQLite, bench/backup_load.py); pg_dump and pg_restore on PostgreSQL."""

from __future__ import annotations

import secrets
import shutil
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from consult import create_app, db
from consult.accounts.audit import AuditEvent
from consult.surveys.models import Survey
from tests.conftest import pg_base_url

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import backup_load  # noqa: E402


@pytest.mark.slow
def test_a_backup_during_submissions_restores_exactly_what_was_acknowledged(tmp_path):
    """A short load here; `bench/backup_load.py --seconds 30` is the 30-second case."""
    report = backup_load.run(seconds=5, backup_at=2, clients=4, workdir=tmp_path)
    assert report["ok"], report
    assert report["acknowledged_before_backup"] > 0  # the check has something to check
    assert report["missing_from_backup"] == report["unknown_in_backup"] == 0
    assert report["answers_not_as_submitted"] == 0


def test_restore_refuses_a_database_in_use(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SECRET_KEY": "x"})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init"]).exit_code == 0
    copy = tmp_path / "copy.sqlite"
    assert runner.invoke(args=["backup", str(copy)]).exit_code == 0
    refused = runner.invoke(args=["restore", str(copy)])
    assert refused.exit_code != 0 and "holds surveys or accounts" in refused.output


@pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump is not installed")
def test_postgresql_backup_and_restore_with_pg_dump(tmp_path, monkeypatch):
    base = make_url(pg_base_url())
    admin = create_engine(base, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    names = [f"consult_backup_{secrets.token_hex(4)}" for _ in range(2)]
    try:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001
        pytest.skip(f"PostgreSQL not reachable: {error}")
    urls = [base.set(database=n).render_as_string(hide_password=False) for n in names]
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    try:
        source = create_app({"SECRET_KEY": "x", "DATABASE_URL": urls[0]})
        assert source.test_cli_runner().invoke(args=["init"]).exit_code == 0
        dump = tmp_path / "consult.dump"
        done = source.test_cli_runner().invoke(args=["backup", str(dump)])
        assert done.exit_code == 0, done.output
        target = create_app({"SECRET_KEY": "x", "DATABASE_URL": urls[1]})
        done = target.test_cli_runner().invoke(args=["restore", str(dump)])
        assert done.exit_code == 0, done.output
        engine = create_engine(urls[1])
        with engine.connect() as conn:
            assert conn.scalar(select(Survey.slug)) == "nisp-consultation"
            actions = set(conn.scalars(select(AuditEvent.action)))
            assert "restore" in actions  # (the backup is recorded after its copy is made)
            assert conn.scalar(select(func.count()).select_from(Survey)) == 1
        engine.dispose()
        for app in (source, target):
            db.database(app).engine.dispose()
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
