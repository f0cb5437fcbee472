"""Background jobs: the queue's storage follows the configuration, tasks run in an app context,
and a real consumer (`consult worker`) runs a queued task from the SQLite storage."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from huey.storage import RedisStorage, SqliteStorage

from consult import create_app, jobs

REDIS = "redis://127.0.0.1:6379/15"


@jobs.huey.task()
def _add(a: int, b: int) -> int:
    with jobs.app_context() as app:
        return a + b + len(app.config["SECRET_KEY"]) * 0


@pytest.fixture
def restore_queue():
    """The queue as it was, afterwards; meanwhile a name of its own, so that test runs
    sharing one Redis (several checkouts on a machine) never see each other's tasks."""
    huey = jobs.huey
    saved = (huey.storage_class, huey.storage_kwargs, huey._immediate, huey.app, huey.name)
    huey.name = f"consult-test-{secrets.token_hex(4)}"
    yield huey
    huey.name = saved[4]
    huey.configure(saved[0], saved[2], **saved[1])
    huey.app = saved[3]


def test_storage_is_sqlite_in_the_instance_folder_and_opened_lazily(tmp_path, restore_queue):
    create_app({"SECRET_KEY": "x", "TESTING": True, "DATABASE_URL": "sqlite://"})
    assert jobs.huey.storage_class is SqliteStorage
    assert jobs.huey.storage_kwargs["filename"].endswith("jobs.sqlite")
    assert not Path(jobs.huey.storage_kwargs["filename"]).exists()  # create_app made no file


def test_redis_when_configured_and_a_task_round_trips(restore_queue):
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail("Redis is not reachable at 127.0.0.1:6379")
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    app = create_app({"SECRET_KEY": "x", "TESTING": True, "REDIS_URL": REDIS})
    assert jobs.huey.storage_class is RedisStorage
    jobs.huey.storage.flush_all()
    result = _add(2, 3)
    task = jobs.huey.dequeue()
    assert task is not None
    jobs.huey.execute(task)  # what a consumer does with it
    assert result.get() == 5
    assert app is jobs.huey.app


def test_immediate_mode_runs_in_the_calling_process(restore_queue):
    app = create_app({"SECRET_KEY": "x", "TESTING": True, "JOBS_IMMEDIATE": True})
    with app.app_context():
        assert _add(1, 1).get() == 2  # ran before the call returned: nothing was queued
    assert jobs.huey.pending_count() == 0


def test_consult_worker_runs_a_queued_task(tmp_path, restore_queue):
    """A task queued in the SQLite storage is run by a real `consult worker` process."""
    env = {**os.environ, "CONSULT_INSTANCE_PATH": str(tmp_path), "CONSULT_SECRET_KEY": "x",
           "PYTHONPATH": str(Path(__file__).parents[2])}  # fmt: skip
    create_app({"SECRET_KEY": "x"})  # the same instance folder through the environment
    marker = tmp_path / "done"
    queue = (
        "import sys; from consult import create_app, jobs\n"
        "@jobs.huey.task(name='touch')\n"
        "def touch(path):\n"
        "    open(path, 'w').write('ran')\n"
        "create_app()\n"
        f"touch({str(marker)!r})\n"
    )
    subprocess.run([sys.executable, "-c", queue], env=env, check=True, timeout=60)
    worker = (
        "from consult import jobs\n"
        "@jobs.huey.task(name='touch')\n"
        "def touch(path):\n"
        "    open(path, 'w').write('ran')\n"
        "from consult.cli import main\n"
        "main(['worker', '--workers', '1'])\n"
    )
    process = subprocess.Popen([sys.executable, "-c", worker], env=env)
    try:
        deadline = time.monotonic() + 30
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert marker.read_text() == "ran"
