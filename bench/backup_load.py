"""A backup taken while respondents submit, restored, and checked against what was acknowledged.

    .venv/bin/python bench/backup_load.py [--seconds 30] [--backup-at 15] [--clients 8]

A fresh SQLite instance with the NISP consultation (`consult init`) served by gunicorn (4 sync
workers) on 127.0.0.1; closed-loop clients (bench/loadgen.py's request: a complete NISP
submission, a new nonce each) post for --seconds; at --backup-at `consult backup FILE` runs as
a separate process. The copy is restored with `consult restore` into a second, empty instance.
Checked, with each submission's nonce (the response keeps its SHA-256):
- every submission acknowledged (302) before the backup began is in the copy;
- every response in the copy is an acknowledged submission (none is half there, none unknown);
  those acknowledged while the backup ran may be in it or not (the copy is one instant);
- every answer of every copied response is the one submitted (five different answer sets).
Prints the counts as JSON; exits 1 when a check fails. tests/shell/test_backup.py runs it
for a few seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import post_request  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PATH = "/s/nisp-consultation"
SETS = 5

BODIES = """
import json, random
from urllib.parse import urlencode
from consult import create_app, db
from consult.collection.synthetic import as_formdata, fake_answers
from consult.surveys.loading import survey_by_slug
with create_app().app_context():
    survey = survey_by_slug(db.session(), "nisp-consultation")
    codes = {q.id: q.code for q in survey.questions}
    out = []
    for seed in range(%d):
        answers = fake_answers(survey, random.Random(seed))
        out.append([urlencode(as_formdata(survey, answers)),
                    {codes[qid]: value for qid, value in answers.items()}])
    print(json.dumps(out))
"""


@dataclass
class Log:
    sent: list[tuple[str, int, float, float, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def consult(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([str(BIN / "consult"), *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, check=True)  # fmt: skip
    return done.stdout


def instance(folder: Path) -> dict[str, str]:
    env = {**os.environ, "CONSULT_INSTANCE_PATH": str(folder), "CONSULT_WTF_CSRF_ENABLED": "false",
           "CONSULT_RATELIMIT_ENABLED": "false", "CONSULT_SECRET_KEY": "backup-load"}  # fmt: skip
    env.pop("CONSULT_DATABASE_URL", None)
    return env


def post(port: int, body: str) -> int:
    """One submission through bench/loadgen.py's request; the status code (0: no answer)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall(post_request("127.0.0.1", port, PATH, body))
            response = http.client.HTTPResponse(sock)
            response.begin()
            response.read()
            return response.status
    except OSError:
        return 0


def client(port: int, bodies: list[str], deadline: float, name: str, log: Log) -> None:
    n = 0
    while time.monotonic() < deadline:
        nonce, which = f"{name}-{n}", n % len(bodies)
        began = time.monotonic()
        status = post(port, f"{bodies[which]}&nonce={nonce}")
        with log.lock:
            log.sent.append((nonce, which, began, time.monotonic(), status))
        n += 1


def warm_up(port: int, bodies: list[str]) -> None:
    """Until every worker has answered a page: the first requests load the survey (untimed)."""
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", PATH)
            ready = connection.getresponse().status == 200
            connection.close()
            if ready:
                break
        except OSError:
            time.sleep(0.1)
    for _ in range(16):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", PATH)
        connection.getresponse().read()
        connection.close()


def restored_responses(path: Path) -> dict[str, dict[str, str]]:
    """nonce hash → {question code: stored value} of every response in the restored copy."""
    conn = sqlite3.connect(path)
    try:
        found: dict[str, dict[str, str]] = {
            nonce: {} for (nonce,) in conn.execute("SELECT nonce_hash FROM response")
        }
        for nonce, code, value in conn.execute(
            "SELECT r.nonce_hash, q.code, a.value FROM answer a JOIN response r "
            "ON r.id = a.response_id JOIN question q ON q.id = a.question_id"
        ):
            found[nonce][code] = value
        return found
    finally:
        conn.close()


def run(seconds: float, backup_at: float, clients: int, workdir: Path) -> dict[str, object]:
    source, target = instance(workdir / "live"), instance(workdir / "restored")
    consult(source, "init")
    made = subprocess.run([sys.executable, "-c", BODIES % SETS], env=source, cwd=ROOT,
                          capture_output=True, text=True, check=True)  # fmt: skip
    sets = json.loads(made.stdout)
    bodies, expected = [b for b, _ in sets], [a for _, a in sets]
    port = free_port()
    server = subprocess.Popen([str(BIN / "gunicorn"), "-w", "4", "-b", f"127.0.0.1:{port}",
                               "--log-level", "warning", "consult.wsgi:app"],
                              env=source, cwd=ROOT)  # fmt: skip
    try:
        warm_up(port, bodies)
        log, start = Log(), time.monotonic()
        deadline = start + seconds
        threads = [threading.Thread(target=client, args=(port, bodies, deadline, f"c{i}", log))
                   for i in range(clients)]  # fmt: skip
        for thread in threads:
            thread.start()
        time.sleep(max(0.0, start + backup_at - time.monotonic()))
        copy = workdir / "backup.sqlite"
        backup_began = time.monotonic()
        consult(source, "backup", str(copy))
        backup_ended = time.monotonic()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    (workdir / "restored").mkdir()
    consult(target, "restore", str(copy))
    copied = restored_responses(workdir / "restored" / "consult.sqlite")
    acked = {hashlib.sha256(n.encode()).hexdigest(): (w, done)
             for n, w, _b, done, status in log.sent if status == 302}  # fmt: skip
    before = {h for h, (_w, done) in acked.items() if done < backup_began}
    during = {h for h, (_w, done) in acked.items() if backup_began <= done < backup_ended}
    # What the copy cannot hold: acknowledged only after the backup had ended... unless its
    # commit happened before the snapshot and the answer reached the client later, so those
    # are allowed only when they are acknowledged (never unknown ones).
    unknown = set(copied) - set(acked)
    missing = before - set(copied)
    wrong = [h for h in copied if h in acked and copied[h] != expected[acked[h][0]]]
    report = {
        "seconds": seconds,
        "submitted": len(log.sent),
        "acknowledged": len(acked),
        "failed": sum(1 for *_x, status in log.sent if status != 302),
        "acknowledged_before_backup": len(before),
        "acknowledged_while_backing_up": len(during),
        "in_backup": len(copied),
        "backup_seconds": round(backup_ended - backup_began, 3),
        "missing_from_backup": len(missing),
        "unknown_in_backup": len(unknown),
        "answers_not_as_submitted": len(wrong),
    }
    report["ok"] = not (missing or unknown or wrong) and (
        len(before) <= len(copied) <= len(before) + len(during) + clients
    )
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--backup-at", type=float, default=15.0)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        report = run(args.seconds, args.backup_at, args.clients, Path(folder))
    print(json.dumps(report, indent=2))
    sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()
