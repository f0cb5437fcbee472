"""The job with no network at all, and a worker killed half way: run by the real programs."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.analysis.themes.conftest import themes_workbook_bytes

pytestmark = pytest.mark.slow
ROOT = Path(__file__).parents[3]
CONSULT = [sys.executable, "-c", "from consult.cli import main; main()"]
SETUP = """
from consult import create_app, db, migrations
from consult.authoring.definitions import builtin_definition, create_survey
from consult.surveys.models import SurveyState
from bench import themes_data
app = create_app()
with app.app_context():
    migrations.upgrade(db.database().engine)
    s = db.session()
    survey = create_survey(s, builtin_definition(), SurveyState.open)
    comments = [c for c in themes_data.comments() if c.recommendation in {recs!r}]
    themes_data.add_responses(s, survey, [(c.recommendation, c.text) for c in comments])
    s.commit()
"""


def _instance(tmp_path: Path, recommendations: tuple[str, ...]) -> dict[str, str]:
    env = {**os.environ, "CONSULT_INSTANCE_PATH": str(tmp_path), "CONSULT_SECRET_KEY": "x",
           "PYTHONPATH": str(ROOT), "CONSULT_THEMES_STALE_SECONDS": "1"}  # fmt: skip
    env.pop("CONSULT_REDIS_URL", None)
    subprocess.run([sys.executable, "-c", SETUP.format(recs=recommendations)], env=env,
                   check=True, timeout=120, cwd=ROOT)  # fmt: skip
    (tmp_path / "themes.xlsx").write_bytes(themes_workbook_bytes(recommendations))
    subprocess.run([*CONSULT, "themes", "seed", "nisp-consultation", str(tmp_path / "themes.xlsx")],
                   env=env, check=True, timeout=120, cwd=ROOT)  # fmt: skip
    return env


def _no_network_namespace() -> bool:
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


def test_the_job_runs_in_a_network_namespace_with_no_network(tmp_path):
    """Model loading and embedding included: nothing is fetched, nothing is sent."""
    if not _no_network_namespace():
        pytest.skip("unshare -n is not allowed here (needs root or user namespaces)")
    env = _instance(tmp_path, ("coordination",))
    command = ["unshare", "-n", *CONSULT, "themes", "run", "nisp-consultation"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "Embedded 42 new texts" in done.stdout  # 30 comments, 4 themes × 3 texts


def _run_row(tmp_path: Path) -> tuple[str, int, int, int]:
    with sqlite3.connect(tmp_path / "consult.sqlite", timeout=15) as db:
        found = db.execute("SELECT state, done, total, embedded FROM theme_run").fetchone()
    return found or ("", 0, 0, 0)


def _texts(tmp_path: Path) -> int:
    with sqlite3.connect(tmp_path / "consult.sqlite", timeout=15) as db:
        return db.execute("SELECT count(*) FROM theme_text").fetchone()[0]


def _wait(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_job_whose_worker_is_killed_goes_on_with_the_next_worker(tmp_path):
    env = _instance(tmp_path, ("coordination", "monitoring", "resources", "stakeholders"))
    subprocess.run([*CONSULT, "themes", "run", "nisp-consultation", "--queue"], env=env,
                   check=True, timeout=60, cwd=ROOT)  # fmt: skip
    first = subprocess.Popen([*CONSULT, "worker", "--workers", "1"], env=env, cwd=ROOT)
    try:
        assert _wait(lambda: _run_row(tmp_path)[1] >= 64, 120), "the first worker never started"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    state, done, total, _ = _run_row(tmp_path)
    assert state == "running" and 0 < done < total  # killed half way
    kept = _texts(tmp_path)
    time.sleep(1.5)  # its heartbeat goes stale (CONSULT_THEMES_STALE_SECONDS=1)
    second = subprocess.Popen([*CONSULT, "worker", "--workers", "1"], env=env, cwd=ROOT)
    try:
        assert _wait(lambda: _run_row(tmp_path)[0] == "done", 180), _run_row(tmp_path)
    finally:
        second.terminate()
        second.wait(timeout=30)
    state, done, total, embedded = _run_row(tmp_path)
    distinct = _texts(tmp_path)
    assert done == total and distinct == 120 + 16 * 3  # 120 comments, 16 themes × 3 texts
    assert embedded == distinct - kept  # the second worker embedded only what was missing
