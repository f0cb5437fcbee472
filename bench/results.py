"""The results page and the policy brief against the summary workbook of the same data, same run.

    .venv/bin/python bench/results.py [--sizes 100000,1000000] [--keep DIR] [--repeat N]
                                      [--postgres URL]

For each size: a throwaway instance (bench/export.py's ``prepare``: its own SQLite file, or a
throwaway PostgreSQL database, with the NISP consultation and N synthetic responses). Then,
each step in its own process:

  (a) page     the results page through the app's test client, signed in as an admin: the
               first request of a new process (cold: imports pandas and counts every
               answer) and the median of the next three (warm: the counts are kept per
               process until a response comes in, analysis/recount.py); and, in the same
               process, the count alone (frames(), what every cold view pays)
  (b) comments the comments page (every comment, first page), warm
  (c) brief    `consult brief SLUG FILE`, end to end
  (d) summary  `consult export SLUG FILE --summary`, end to end: the baseline

Targets (issue 16), on this machine's two cores: the page within 1 s at 100,000 responses and
3 s at 1,000,000 (warm); the brief no slower than the summary workbook (brief/summary <= 1).
Printed: each step's wall and CPU time, the ratios, and how the page's time grows with size.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.export import CONSULT, SLUG, _postgres, prepare, run  # noqa: E402

ADMIN = ("bench@example.org", "bench-password-123")


def step_page(which: str) -> None:
    """In its own process: sign in, GET the page four times; print cold and warm seconds."""
    from consult import create_app

    app = create_app({"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    client.post("/auth/login", data={"email": ADMIN[0], "password": ADMIN[1]})
    url = f"/admin/surveys/{SLUG}/{which}"
    times = []
    for _ in range(4):
        start = time.perf_counter()
        response = client.get(url)
        response.get_data()
        times.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"GET {url}: {response.status_code}")
    count = 0.0
    if which == "results":
        from consult import db
        from consult.analysis.filters import Filters
        from consult.analysis.summarising import frames
        from consult.surveys.loading import command_survey

        with app.app_context():
            start = time.perf_counter()
            frames(db.session(), command_survey(SLUG), Filters())
            count = time.perf_counter() - start
    print(f"{times[0]:.4f} {median(times[1:]):.4f} {count:.4f}")


def _admin(env: dict[str, str]) -> None:
    import subprocess

    subprocess.run(  # noqa: S603 - fixed arguments
        [CONSULT, "create-user", ADMIN[0], "--role", "admin", "--password-stdin"],
        input=ADMIN[1].encode(),
        env=env,
        capture_output=True,
        check=False,  # already there on a kept instance
    )


def measure(size: int, base: Path, server: str | None, repeat: int) -> dict[str, float]:
    env = prepare(size, base, server)
    _admin(env)
    out = Path(env["CONSULT_INSTANCE_PATH"])
    me = [sys.executable, __file__, "--step"]
    steps = {
        "page": [*me, "results"],
        "comments": [*me, "comments"],
        "brief": [CONSULT, "brief", SLUG, str(out / "brief.pdf")],
        "summary": [CONSULT, "export", SLUG, str(out / "summary.xlsx"), "--summary"],
    }
    found: dict[str, list[float]] = {}
    for _ in range(repeat):
        for name, args in steps.items():
            seconds, cpu, rss, printed = run(args, env)
            if name in ("page", "comments"):
                cold, warm, count = (float(x) for x in printed.split()[-3:])
                found.setdefault(f"{name} cold", []).append(cold)
                found.setdefault(name, []).append(warm)
                found.setdefault(f"{name} count", []).append(count)
                alone = f"   count alone {count:6.2f} s" if count else ""
                print(
                    f"  {size:>9,}  {name:<9} cold {cold:7.2f} s   warm {warm:7.2f} s{alone}",
                    flush=True,
                )
            else:
                found.setdefault(name, []).append(seconds)
                print(
                    f"  {size:>9,}  {name:<9} {seconds:7.2f} s wall {cpu:7.2f} s CPU {rss:6.0f} MB",
                    flush=True,
                )
    return {name: median(values) for name, values in found.items()}


def report(results: dict[int, dict[str, float]]) -> None:
    print("\nRatios (same run)")
    for size, r in results.items():
        target = "1 s at 100k" if size <= 100_000 else "3 s at 1M"
        print(
            f"  {size:>9,}  page warm {r['page']:.2f} s, cold {r['page cold']:.2f} s, "
            f"count {r['page count']:.2f} s (target {target})   "
            f"page/summary {r['page'] / r['summary']:.2f}   "
            f"brief/summary {r['brief'] / r['summary']:.2f} (target <= 1)"
        )
    sizes = sorted(results)
    for small, large in zip(sizes, sizes[1:], strict=False):
        grow = results[large]["page cold"] / results[small]["page cold"]
        count = results[large]["page count"] / max(results[small]["page count"], 1e-6)
        print(
            f"  {large:,} / {small:,}: page cold {grow:.1f}x, count {count:.1f}x "
            f"for {large / small:.0f}x the responses"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--keep", type=Path, help="Reuse or keep the instances in this folder.")
    parser.add_argument("--repeat", type=int, default=1, help="Run the steps N times; medians.")
    parser.add_argument("--postgres", metavar="URL", help="A throwaway PostgreSQL database.")
    parser.add_argument("--step", choices=["results", "comments"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        return step_page(args.step)
    base = args.keep or Path(tempfile.mkdtemp(prefix="consult-bench-results-"))
    sizes = [int(s) for s in args.sizes.split(",")]
    where = "PostgreSQL" if args.postgres else "SQLite"
    print(f"bench/results.py: {where}, sizes {sizes}, instances in {base}, {os.cpu_count()} cores")
    try:
        results = {size: measure(size, base, args.postgres, args.repeat) for size in sizes}
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
