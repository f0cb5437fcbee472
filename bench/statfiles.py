"""SPSS, Stata and R files of N responses against the raw workbook of the same data, same run.

    .venv/bin/python bench/statfiles.py [--size 100000] [--keep DIR] [--repeat N] [--formats sav]

A throwaway instance (as bench/export.py makes it: the NISP consultation and N synthetic
responses from `consult fake-responses`), then each step in its own process, end to end
(start-up, reading, writing), with its own peak RSS:

  raw   `consult export SLUG raw.xlsx`              (the baseline)
  sav   `consult export SLUG out.sav`               (and dta, rds with --formats sav,dta,rds)

Reported: each format's wall and CPU time over the raw workbook's (the ratio), medians of
--repeat runs taken in turn.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.export import CONSULT, SLUG, prepare, run  # noqa: E402


def measure(size: int, base: Path, formats: list[str], repeat: int) -> dict[str, tuple]:
    env = prepare(size, base, None)
    out = Path(env["CONSULT_INSTANCE_PATH"])
    steps = {"raw": [CONSULT, "export", SLUG, str(out / "raw.xlsx")]}
    steps |= {fmt: [CONSULT, "export", SLUG, str(out / f"out.{fmt}")] for fmt in formats}
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in steps}
    for _ in range(repeat):
        for name, args in steps.items():
            seconds, cpu, rss, _ = run(args, env)
            runs[name].append((seconds, cpu, rss))
            print(
                f"  {size:>9,}  {name:<5} {seconds:8.2f} s wall {cpu:8.2f} s CPU {rss:8.0f} MB",
                flush=True,
            )
    sizes = {name: (out / Path(args[-1]).name).stat().st_size for name, args in steps.items()}
    return {
        name: (
            median(r[0] for r in got),
            median(r[1] for r in got),
            max(r[2] for r in got),
            sizes[name],
        )
        for name, got in runs.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--formats", default="sav")
    parser.add_argument("--keep", type=Path, help="Reuse or keep the instance in this folder.")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="consult-bench-"))
    formats = args.formats.split(",")
    print(f"bench/statfiles.py: SQLite, {args.size:,} responses, {os.cpu_count()} cores, {base}")
    try:
        results = measure(args.size, base, formats, args.repeat)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    raw = results["raw"]
    print("\nRatios (same run, medians)")
    for fmt in formats:
        wall, cpu, rss, size = results[fmt]
        print(
            f"  {fmt}/raw workbook: wall {wall / raw[0]:.2f}  CPU {cpu / raw[1]:.2f}  "
            f"peak RSS {rss:.0f} / {raw[2]:.0f} MB  file {size / 1e6:.1f} / {raw[3] / 1e6:.1f} MB"
        )


if __name__ == "__main__":
    main()
