"""How long the upload readers take on the largest hostile files they accept or refuse.

    .venv/bin/python bench/upload_bounds.py [--repeat 3]

tests/spreadsheets/test_upload_bounds.py holds each reader to the issue's bounds (refused, or
read within 2 s of CPU and 100 MB). This prints the figures: the process's CPU seconds per read
and the ratio to a baseline in the same run — one pass of the standard library's XML parser
over the same file's unpacked parts, the least any reader must do to look at them — so a slower
machine shows as a slower baseline rather than as a regression. One JSON line per file and
reader (medians of --repeat).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from statistics import median
from typing import Any
from xml.etree import ElementTree

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ as a package

from consult.authoring.xlsform.read import FORM_LIMITS, read_book  # noqa: E402
from consult.problems import Refusal  # noqa: E402
from consult.spreadsheets.uploads import LIST_LIMITS, read_table  # noqa: E402
from tests.spreadsheets.bombs import dimension_bomb, strings_bomb  # noqa: E402

BOUND_SECONDS = 2.0


def cpu_seconds(read: Callable[[], Any]) -> tuple[float, str]:
    started = time.process_time()
    try:
        read()
        outcome = "read"
    except Refusal:
        outcome = "refused"
    return time.process_time() - started, outcome


def bare_parse(data: bytes) -> None:
    """The baseline: every XML part of the file through iterparse, nothing kept."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        for name in book.namelist():
            if name.endswith(".xml"):
                with book.open(name) as part:
                    for _event, element in ElementTree.iterparse(part):
                        element.clear()


def files() -> dict[str, bytes]:
    return {
        "dimension bomb": dimension_bomb(),
        "strings bomb, 50 MB unpacked": strings_bomb(50 * 1024 * 1024, varied=False),
        "most text a list accepts": strings_bomb(LIST_LIMITS.strings - 100_000),
        "most text a form accepts": strings_bomb(FORM_LIMITS.strings - 100_000),
    }


READERS: dict[str, Callable[[bytes], Any]] = {
    "list": lambda data: read_table(data, "people.xlsx"),
    "form": read_book,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for label, data in files().items():
        base = median(cpu_seconds(lambda d=data: bare_parse(d))[0] for _ in range(args.repeat))
        for reader, read in READERS.items():
            runs = [cpu_seconds(lambda d=data, r=read: r(d)) for _ in range(args.repeat)]
            seconds = median(s for s, _ in runs)
            print(json.dumps({
                "file": label, "reader": reader, "outcome": runs[0][1],
                "seconds": round(seconds, 3), "bound_s": BOUND_SECONDS,
                "within_bound": seconds < BOUND_SECONDS,
                "bare_parse_s": round(base, 3),
                "ratio_to_bare_parse": round(seconds / base, 2) if base else None,
            }))  # fmt: skip


if __name__ == "__main__":
    main()
