"""Raw export and summary workbook at scale, against a naive pandas baseline, in the same run.

    .venv/bin/python bench/export.py [--sizes 10000,100000] [--baseline-max 100000]
                                     [--keep DIR] [--xlsxwriter] [--repeat N]

For each size: a throwaway instance (its own SQLite file, CONSULT_INSTANCE_PATH and
CONSULT_SECRET_KEY set) gets the NISP consultation and N synthetic responses from
`consult fake-responses`. Then, each step in its own process, so that its peak RSS
(ru_maxrss, from wait4) is its own:

  (a) raw      `consult export SLUG FILE`, end to end: start-up, database read, workbook
  (b) summary  `consult export SLUG FILE --summary`, end to end
  (c) pandas   the naive baseline: pandas read_sql of the same answers, one column per
               question, DataFrame.to_excel (skipped above --baseline-max: ~10 min at 1M)
  (d) bare     the chosen writer's loop over the same rows, already in memory (only the
               loop is timed; the rows are read before the clock starts)
  (d') bare-xlsxwriter, with --xlsxwriter: the same loop through the fallback engine

Targets (issue 5), at 100k: raw >= 5x faster than pandas, raw <= 2x bare, summary <= 0.5x raw;
and raw's peak RSS at 1M <= 1.2x its peak RSS at 100k.

Each `consult` process starts as an installed one does: with consult's bytecode compiled
(pip compiles a wheel's on install; a checkout writes it on first run). Where
PYTHONDONTWRITEBYTECODE is set (this project's machines), every start would otherwise compile
consult's ~230 modules again (~0.2 s): the bench compiles them once, first (--no-compile: not).

On a shared machine one run can land on a busy moment: --repeat N runs the steps N times,
in turn (raw, summary, bare, raw, ...), and reports the median of each (peak RSS: the highest).
"""

from __future__ import annotations

import argparse
import compileall
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


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """Run a process; return wall seconds, CPU seconds, its own peak RSS in MB, and its stdout.

    CPU time (user + system) is printed beside wall time: on a shared machine it shows how
    much of a wall-clock difference is the step's own work.
    """
    start = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT
    )
    out = process.stdout.read().decode() if process.stdout else ""
    err = process.stderr.read().decode() if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{out}\n{err}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


def prepare(size: int, base: Path, server: str | None) -> dict[str, str]:
    instance = base / (f"n{size}" if server is None else f"pg{size}")
    instance.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, CONSULT_INSTANCE_PATH=str(instance), CONSULT_SECRET_KEY="bench")
    if server is not None:
        env["CONSULT_DATABASE_URL"] = f"{server.rstrip('/')}/consult_bench_{size}"
        if not (instance / "ready").exists():
            _postgres(server, f'DROP DATABASE IF EXISTS "consult_bench_{size}" WITH (FORCE)')
            _postgres(server, f'CREATE DATABASE "consult_bench_{size}"')
    if not (instance / "ready").exists():
        run([CONSULT, "init"], env)
        seconds, *_ = run([CONSULT, "fake-responses", SLUG, str(size), "--seed", "1"], env)
        print(f"  made {size:,} responses in {seconds:.0f} s", flush=True)
        (instance / "ready").touch()
    return env


def _postgres(server: str, statement: str) -> None:
    import psycopg

    url = server.replace("postgresql+psycopg://", "postgresql://").rstrip("/") + "/postgres"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


def measure(
    size: int, base: Path, baseline_max: int, xlsxwriter: bool, server: str | None, repeat: int = 1
) -> dict[str, tuple]:
    env = prepare(size, base, server)
    out = Path(env["CONSULT_INSTANCE_PATH"])
    steps: dict[str, list[str]] = {
        "raw": [CONSULT, "export", SLUG, str(out / "raw.xlsx")],
        "summary": [CONSULT, "export", SLUG, str(out / "summary.xlsx"), "--summary"],
        "bare": [sys.executable, __file__, "--step", "bare", "--engine", "stream"],
    }
    if xlsxwriter:
        steps["bare-xlsxwriter"] = [
            sys.executable,
            __file__,
            "--step",
            "bare",
            "--engine",
            "xlsxwriter",
        ]
    if size <= baseline_max:
        steps["pandas"] = [sys.executable, __file__, "--step", "pandas"]
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in steps}
    for _ in range(repeat):
        for name, args in steps.items():
            if name == "pandas" and runs[name]:
                continue  # minutes each, and far from its target: once is enough
            seconds, cpu, rss, printed = run(args, env)
            if name.startswith("bare"):
                # The loop alone, as the step measured it (wall and CPU).
                seconds, cpu = (float(x) for x in printed.split()[-2:])
            runs[name].append((seconds, rss, cpu))
            print(
                f"  {size:>9,}  {name:<16} {seconds:8.2f} s wall {cpu:8.2f} s CPU {rss:8.0f} MB",
                flush=True,
            )
    results = {
        name: (median(r[0] for r in got), max(r[1] for r in got), median(r[2] for r in got))
        for name, got in runs.items()
    }
    if repeat > 1:
        for name, (seconds, rss, cpu) in results.items():
            print(
                f"  {size:>9,}  {name + ' (median)':<16} {seconds:8.2f} s wall {cpu:8.2f} s CPU "
                f"{rss:8.0f} MB",
                flush=True,
            )
    return results


def step_bare(engine: str) -> None:
    """The writer alone: rows read and shaped first, then only the loop is timed."""
    from sqlalchemy import select

    from consult import create_app, db
    from consult.exports.raw import codebook, raw_table
    from consult.spreadsheets.tables import Table
    from consult.spreadsheets.workbooks import write_raw
    from consult.surveys.models import Survey

    app = create_app()
    with app.app_context():
        session = db.session()
        survey = session.scalar(select(Survey).where(Survey.slug == SLUG))
        table = raw_table(session, survey, survey.default_language)
        rows = list(table.rows)
        book = codebook(survey, survey.default_language)
        target = Path(os.environ["CONSULT_INSTANCE_PATH"]) / f"bare-{engine}.xlsx"
        start, cpu = time.perf_counter(), time.process_time()
        write_raw(str(target), Table(table.headers, iter(rows), len(rows)), book, engine=engine)
        print(f"{time.perf_counter() - start:.3f} {time.process_time() - cpu:.3f}")


def step_pandas() -> None:
    """What an analyst would write: read the answers, one column per question, to_excel."""
    import pandas as pd
    from sqlalchemy import create_engine

    url = os.environ.get("CONSULT_DATABASE_URL") or (
        f"sqlite:///{os.environ['CONSULT_INSTANCE_PATH']}/consult.sqlite"
    )
    engine = create_engine(url)
    query = """
        SELECT r.public_id AS response_id, r.submitted_at, g.code AS "group", r.language,
               r.channel, q.code AS question, a.value
        FROM response r
        LEFT JOIN stakeholder_group g ON g.id = r.group_id
        LEFT JOIN answer a ON a.response_id = r.id
        LEFT JOIN question q ON q.id = a.question_id
        WHERE q.role IS NULL OR q.role <> 'group'
        ORDER BY r.id
    """
    long = pd.read_sql(query, engine)
    fixed = ["response_id", "submitted_at", "group", "language", "channel"]
    wide = long.pivot_table(index=fixed, columns="question", values="value", aggfunc="first")
    target = Path(os.environ["CONSULT_INSTANCE_PATH"]) / "pandas.xlsx"
    wide.reset_index().to_excel(target, sheet_name="Responses", index=False)


def report(all_results: dict[int, dict[str, tuple]]) -> None:
    print("\nRatios (same run)")
    for size, r in all_results.items():
        for clock, i in (("wall", 0), ("CPU", 2)):
            raw, summary, bare = r["raw"][i], r["summary"][i], r["bare"][i]
            line = f"  {size:>9,} {clock:>4}  raw/bare {raw / bare:5.2f} (target <= 2)"
            line += f"   summary/raw {summary / raw:5.2f} (target <= 0.5)"
            if "pandas" in r:
                line += f"   pandas/raw {r['pandas'][i] / raw:5.1f} (target >= 5)"
            if "bare-xlsxwriter" in r:
                line += f"   xlsxwriter/stream bare {r['bare-xlsxwriter'][i] / bare:4.1f}"
            print(line)
    sizes = sorted(all_results)
    for small, large in zip(sizes, sizes[1:], strict=False):
        growth = all_results[large]["raw"][1] / all_results[small]["raw"][1]
        summary = all_results[large]["summary"][1] / all_results[small]["summary"][1]
        print(
            f"  peak RSS {large:,} / {small:,}: raw {growth:.2f} (target <= 1.2 for 1M/100k), "
            f"summary {summary:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--baseline-max", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="Reuse or keep the instances in this folder.")
    parser.add_argument("--xlsxwriter", action="store_true", help="Also time the fallback engine.")
    parser.add_argument(
        "--repeat", type=int, default=1, help="Run the steps N times in turn; report medians."
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="Use a throwaway database on this server instead of SQLite, "
        "e.g. postgresql+psycopg://postgres@127.0.0.1:5432",
    )
    parser.add_argument(
        "--no-compile",
        action="store_true",
        help="Do not compile consult's bytecode first (each start compiles what has none).",
    )
    parser.add_argument("--step", choices=["bare", "pandas"], help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="stream", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "bare":
        return step_bare(args.engine)
    if args.step == "pandas":
        return step_pandas()
    if not args.no_compile:
        compileall.compile_dir(str(ROOT / "consult"), quiet=1)
    base = args.keep or Path(tempfile.mkdtemp(prefix="consult-bench-"))
    sizes = [int(s) for s in args.sizes.split(",")]
    where = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"bench/export.py: {where}, sizes {sizes}, instances in {base}, {os.cpu_count()} cores, "
        f"bytecode {'as found' if args.no_compile else 'compiled first'}"
    )
    try:
        results = {
            size: measure(
                size, base, args.baseline_max, args.xlsxwriter, args.postgres, args.repeat
            )
            for size in sizes
        }
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
            for size in sizes if args.postgres else []:
                _postgres(
                    args.postgres, f'DROP DATABASE IF EXISTS "consult_bench_{size}" WITH (FORCE)'
                )
    report(results)


if __name__ == "__main__":
    main()
