"""A page of 1,000 responses from the API against the raw workbook of the same responses.

    .venv/bin/python bench/api.py [--responses 1000] [--rounds 7] [--keep DIR]

A throwaway instance (its own SQLite file; CONSULT_INSTANCE_PATH and CONSULT_SECRET_KEY set)
gets the NISP consultation and N synthetic responses from `consult fake-responses`, as
bench/export.py does. Then, in one process and in turn (api, workbook, api, ...), through the
application's test client (the whole request: routing, access, the query, shaping, encoding):

  api       GET /api/v1/surveys/SLUG/responses?limit=N with an admin's read token (JSON)
  workbook  GET /admin/surveys/SLUG/export.xlsx signed in as that admin (the raw workbook)

Both uncompressed (Accept-Encoding: identity), both audited as they are in production. The
ratio api/workbook (median of the rounds, wall and CPU) is the figure: the API serves the same
rows as the workbook (exports/raw.py), without the spreadsheet writer.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SLUG = "nisp-consultation"
CONSULT = str(BIN / "consult")


def prepare(size: int, base: Path) -> None:
    instance = base / f"api{size}"
    instance.mkdir(parents=True, exist_ok=True)
    os.environ.update(CONSULT_INSTANCE_PATH=str(instance), CONSULT_SECRET_KEY="bench")
    if not (instance / "ready").exists():
        for args in (["init"], ["fake-responses", SLUG, str(size), "--seed", "1"]):
            subprocess.run([CONSULT, *args], check=True, capture_output=True, cwd=ROOT)  # noqa: S603
        (instance / "ready").touch()


def clients(app):  # type: ignore[no-untyped-def]
    """An API client's headers, and a test client signed in as the same admin."""
    import time as clock

    from sqlalchemy import select

    from consult import db
    from consult.accounts import sessions, tokens
    from consult.accounts.models import User
    from consult.accounts.roles import Role

    with app.app_context():
        session = db.session()
        admin = session.scalar(select(User).where(User.role == Role.admin))
        _token, secret = tokens.create_token(session, admin, "bench", False, None)
        raw = sessions.begin(session, admin)
        session.commit()
        state = {"_user_id": str(admin.id), "_fresh": True, "sid": raw,
                 "sv": admin.session_version, "t0": int(clock.time()),
                 "seen": int(clock.time())}  # fmt: skip
    browser = app.test_client()
    with browser.session_transaction() as cookie:
        cookie.update(state)
    return {"Authorization": f"Bearer {secret}", "Accept-Encoding": "identity"}, browser


def measure(size: int, rounds: int) -> dict[str, tuple[float, float]]:
    from consult import create_app

    app = create_app({"RATELIMIT_ENABLED": False})
    headers, browser = clients(app)
    api_client = app.test_client()
    steps = {
        "api": lambda: api_client.get(
            f"/api/v1/surveys/{SLUG}/responses?limit={size}", headers=headers
        ),
        "workbook": lambda: browser.get(
            f"/admin/surveys/{SLUG}/export.xlsx", headers={"Accept-Encoding": "identity"}
        ),
    }
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in steps}
    for _ in range(rounds):
        for name, call in steps.items():
            start, cpu = time.perf_counter(), time.process_time()
            response = call()
            body = response.get_data()  # a streamed workbook is read to its end
            took = (time.perf_counter() - start, time.process_time() - cpu)
            assert response.status_code == 200, (name, response.status_code, body[:300])
            times[name].append(took)
            print(f"  {name:<9} {took[0] * 1000:8.1f} ms wall {took[1] * 1000:8.1f} ms CPU "
                  f"{len(body) / 1024:8.0f} KB", flush=True)  # fmt: skip
        assert len(times["api"]) == len(times["workbook"])
    return {name: (median(t[0] for t in got), median(t[1] for t in got))
            for name, got in times.items()}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="keep the instance here (reused next time)")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="consult-bench-api-"))
    try:
        prepare(args.responses, base)
        result = measure(args.responses, args.rounds)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    api, book = result["api"], result["workbook"]
    print(f"\nMedians of {args.rounds} rounds, {args.responses:,} responses (same run)")
    for name, (wall, cpu) in result.items():
        print(f"  {name:<9} {wall * 1000:8.1f} ms wall {cpu * 1000:8.1f} ms CPU")
    print(f"  api/workbook  {api[0] / book[0]:.2f} wall  {api[1] / book[1]:.2f} CPU")


if __name__ == "__main__":
    main()
