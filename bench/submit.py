"""Submissions under load: consult behind gunicorn against a bare Flask ceiling, same run.

A third column, ``invite``, is consult again, answered through single-use invitation links
(one fresh link per request) instead of the public link: an anonymous survey's invitation use
is claimed and confirmed in the pending store (collection/pending.py) beside the response's
own transaction. Its ratio is to ``consult`` (the public link) in the same rounds: what the
invitation path costs.

    .venv/bin/python bench/submit.py [--rounds 5] [--duration 4] [--clients 16,64]
                                     [--backends sqlite,postgresql] [--workers 4]

For each database: a fresh database with the NISP consultation (`consult init`), consult and
the ceiling (bench/ceiling.py) each served by gunicorn (sync workers, 2 per core) on
127.0.0.1, and bench/loadgen.py sending complete NISP submissions from N concurrent clients
for a fixed time, then waiting for every request in flight. Each server first gets an untimed
warm-up at the same load (--warmup seconds): a worker's first requests load the survey and
compile templates, which is start-up, not steady state. Then the two apps take turns, round
after round, and the ratio printed is the median of the rounds' ratios: this shared virtual
machine's speed drifts too much for two long runs one after the other to compare.
Each request carries a new one-time nonce, so every one must be stored. CSRF is switched off
for the run (a token needs a prior GET per client; the nonce path is unchanged).

Prints requests/s, p50 and p99 latency over all rounds, the median of the rounds' own p99
(a slow stretch of the machine lands in one round, not in all), the ratio to the ceiling, and
responses stored against responses acknowledged (302). Targets (issue 6): >= 70% of the
ceiling, p99 <= 250 ms at 64 clients on PostgreSQL, stored == acknowledged; issue 14: the
invitation path (``invite``, ratio to ``consult``) within noise of the public link.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import gunicorn
import psycopg
from sqlalchemy import create_engine, func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import Result, post_request, run  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PATH = "/s/nisp-consultation"
PG_BASE = os.environ.get("CONSULT_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def form_body(env: dict[str, str]) -> str:
    """One complete, valid NISP submission as a urlencoded form (from the fake answer maker)."""
    code = (
        "import json, random\n"
        "from consult import create_app, db\n"
        "from consult.collection.synthetic import as_formdata, fake_answers\n"
        "from consult.surveys.loading import survey_by_slug\n"
        "with create_app().app_context():\n"
        "    survey = survey_by_slug(db.session(), 'nisp-consultation')\n"
        "    print(json.dumps(as_formdata(survey, fake_answers(survey, random.Random(1)))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return urlencode([tuple(pair) for pair in json.loads(out.stdout)])


def invitation_tokens(env: dict[str, str], count: int) -> list[str]:
    """``count`` single-use invitation links of the NISP consultation (no group: the form asks)."""
    code = (
        "import json, sys\n"
        "from consult import create_app, db\n"
        "from consult.collection.invitations import Invitee, create_invitations\n"
        "from consult.surveys.loading import survey_by_slug\n"
        "with create_app().app_context():\n"
        "    session = db.session()\n"
        "    survey = survey_by_slug(session, 'nisp-consultation')\n"
        f"    made = create_invitations(session, survey, [Invitee()] * {count})\n"
        "    session.commit()\n"
        "    print(json.dumps([token for _invitation, token in made]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    tokens: list[str] = json.loads(out.stdout)
    return tokens


def serve(target: str, env: dict[str, str], workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    # gunicorn 27 opens a control socket at one fixed path: the second server would log an error.
    quiet = ["--no-control-socket"] if int(gunicorn.__version__.split(".")[0]) >= 27 else []
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", *quiet, target],
        env=env, cwd=ROOT,
    )  # fmt: skip
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{target} did not start")


def stored(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        count = conn.scalar(select(func.count()).select_from(text("response")))
    engine.dispose()
    return int(count or 0)


def load(
    port: int, clients: int, seconds: float, body: str, links: Iterator[str] | None = None
) -> Result:
    """Closed-loop load; every request carries a new nonce, so each must be stored. With
    ``links``, each request answers through the next unused invitation link instead."""
    run_id = secrets.token_hex(4)

    def make(n: int) -> bytes:
        path = f"/i/{next(links)}" if links is not None else PATH
        return post_request("127.0.0.1", port, path, f"{body}&nonce={run_id}-{n}")

    return run("127.0.0.1", port, clients, seconds, make)


def measure(
    ports: dict[str, int],
    url: str,
    clients: int,
    body: str,
    args: argparse.Namespace,
    links: Iterator[str],
) -> dict[str, dict[str, float]]:
    """Alternate the apps for ``args.rounds`` rounds; the ratio is the median of the rounds'.

    This machine's speed drifts by tens of percent within a minute (a shared virtual machine):
    alternating short rounds gives both apps the same conditions, where two long runs one after
    the other would not.
    """
    for port in ports.values():
        # Not timed: each worker's first requests load the survey, build its form class and
        # compile templates (both apps get the same warm-up).
        load(port, clients, args.warmup, body)
    load(ports["consult"], clients, args.warmup, body, links)  # the invitation path's warm-up
    merged = {label: Result() for label in ports}
    stored_rows = dict.fromkeys(ports, 0)
    round_p99: dict[str, list[float]] = {label: [] for label in ports}
    merged["invite"], stored_rows["invite"], round_p99["invite"] = Result(), 0, []
    ratios: dict[str, list[float]] = {"consult": [], "invite": []}
    for _ in range(args.rounds):
        rates = {}
        for label, port in [*ports.items(), ("invite", ports["consult"])]:
            before = stored(url)
            result = load(port, clients, args.duration, body, links if label == "invite" else None)
            stored_rows[label] += stored(url) - before
            rates[label] = result.requests / result.seconds
            round_p99[label].append(result.percentile(99))
            whole = merged[label]
            whole.latencies += result.latencies
            whole.errors += result.errors
            whole.seconds += result.seconds
            for status, n in result.statuses.items():
                whole.statuses[status] = whole.statuses.get(status, 0) + n
        ratios["consult"].append(rates["consult"] / rates["ceiling"])
        ratios["invite"].append(rates["invite"] / rates["consult"])
    return {
        label: {
            "rps": r.requests / r.seconds,
            "p50_ms": r.percentile(50),
            "p99_ms": r.percentile(99),
            "p99_round_ms": statistics.median(round_p99[label]),
            "ratio": statistics.median(ratios[label]) if label in ratios else 1.0,
            "acked": r.statuses.get(302, 0),
            "stored": stored_rows[label],
            "failed": r.requests - r.statuses.get(302, 0) + r.errors,
        }
        for label, r in merged.items()
    }


def database(backend: str, workdir: Path) -> tuple[str, object]:
    if backend == "sqlite":
        return f"sqlite:///{workdir / 'bench.sqlite'}", None
    name = f"consult_bench_{secrets.token_hex(4)}"
    with psycopg.connect(PG_BASE, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    base = PG_BASE.rsplit("/", 1)[0]
    return f"{base.replace('postgresql://', 'postgresql+psycopg://')}/{name}", name


def drop(name: object) -> None:
    if name:
        with psycopg.connect(PG_BASE, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=4, help="seconds per app per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds, the apps alternating")
    parser.add_argument("--warmup", type=float, default=2, help="untimed seconds per server")
    parser.add_argument("--clients", default="16,64")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--links", type=int, default=40000, help="invitation links made")
    args = parser.parse_args()
    random.seed(1)
    print(
        f"# submit bench: {args.rounds} rounds of {args.duration:g}s per app, alternating,"
        f" after {args.warmup:g}s warm-up; gunicorn sync x{args.workers}, cores={os.cpu_count()};"
        " ratio: median of the rounds'"
    )
    print(
        f"{'db':10} {'clients':>7} {'app':8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}"
        f" {'p99 rnd':>8} {'ratio':>6} {'acked':>7} {'stored':>7} {'failed':>6}"
    )
    for backend in args.backends.split(","):
        workdir = Path(tempfile.mkdtemp(prefix="consult-bench-"))
        try:
            url, name = database(backend, workdir)
        except psycopg.OperationalError as error:
            print(f"{backend:10} skipped: {str(error).splitlines()[0]}")
            continue
        env = {
            **os.environ,
            "CONSULT_INSTANCE_PATH": str(workdir),
            "CONSULT_DATABASE_URL": url,
            "CONSULT_SECRET_KEY": "bench",
            "CONSULT_WTF_CSRF_ENABLED": "false",
            "CONSULT_RATELIMIT_ENABLED": "false",
            "PYTHONPATH": str(ROOT),
        }
        try:
            subprocess.run([str(BIN / "consult"), "init"], env=env, check=True, capture_output=True)
            body = form_body(env)
            # Enough links for the busiest run; each request spends one.
            links = iter(invitation_tokens(env, args.links))
            for clients in [int(c) for c in args.clients.split(",")]:
                servers = {
                    "ceiling": serve("bench.ceiling:app", env, args.workers),
                    "consult": serve("consult.wsgi:app", env, args.workers),
                }
                try:
                    ports = {label: port for label, (_, port) in servers.items()}
                    results = measure(ports, url, clients, body, args, links)
                finally:
                    for process, _ in servers.values():
                        process.terminate()
                        process.wait(timeout=30)
                for label, r in results.items():
                    print(
                        f"{backend:10} {clients:7d} {label:8} {r['rps']:8.0f}"
                        f" {r['p50_ms']:8.1f} {r['p99_ms']:8.1f}"
                        f" {r['p99_round_ms']:8.1f} {r['ratio']:6.2f}"
                        f" {int(r['acked']):7d} {int(r['stored']):7d} {int(r['failed']):6d}"
                    )
        finally:
            drop(name)
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
