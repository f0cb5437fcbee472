"""Configuration order: defaults, then instance/config.py, then CONSULT_* environment."""

from __future__ import annotations

from consult import create_app


def test_defaults_then_instance_file_then_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    (tmp_path / "config.py").write_text("K_TEST = 'file'\nOTHER = 'file'\n")
    monkeypatch.setenv("CONSULT_OTHER", "env")
    app = create_app()
    assert app.config["K_TEST"] == "file" and app.config["OTHER"] == "env"
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'consult.sqlite'}"
    assert app.config["SECRET_KEY"] is None  # until `consult init` generates one


def test_database_url_and_secret_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CONSULT_DATABASE_URL", "postgresql+psycopg://u@db.invalid/x")
    monkeypatch.setenv("CONSULT_SECRET_KEY", "s3cret")
    app = create_app()
    assert app.config["DATABASE_URL"].startswith("postgresql")
    assert app.config["SECRET_KEY"] == "s3cret"


def test_factory_creates_no_files(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path / "inst"))
    create_app()
    assert not (tmp_path / "inst").exists()
