"""What every ``consult`` command loads before it does anything: only what all of them need.

Start-up is part of every command's time (the raw export's ratio to the bare writer, the
summary's to the raw export: bench/export.py) and of every web worker's. Libraries that only
one feature uses load where that feature runs: numpy with theming and Delphi figures, httpx
(and the rich it brings) with webhook deliveries, pandas with statistics and uploads, psycopg
with a PostgreSQL database.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# Loaded by a feature when it runs, never at start-up (on SQLite).
ON_USE = ("numpy", "pandas", "scipy", "httpx", "rich", "psycopg", "openpyxl")

PROBE = """
import json, sys
from consult.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
{then}
print(json.dumps(sorted(sys.modules)))
"""


def run(tmp_path: Path, *args: str, then: str = "") -> subprocess.CompletedProcess[str]:
    """``consult ARGS`` in a fresh interpreter (then ``then``); prints the modules loaded."""
    env = {
        "PATH": "/usr/bin:/bin",
        "CONSULT_INSTANCE_PATH": str(tmp_path),
        "CONSULT_SECRET_KEY": "startup-test",
        "CONSULT_DATABASE_URL": f"sqlite:///{tmp_path}/consult.sqlite",
    }
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", PROBE.format(then=then), *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )


def loaded_by(tmp_path: Path, *args: str, then: str = "") -> set[str]:
    return set(json.loads(run(tmp_path, *args, then=then).stdout.splitlines()[-1]))


@pytest.mark.parametrize("command", [["--help"], ["export", "--help"], ["routes"]])
def test_a_command_starts_without_the_libraries_of_one_feature(tmp_path, command):
    modules = loaded_by(tmp_path, *command)
    assert "consult.exports.commands" in modules  # the app and its commands were loaded
    assert "consult.analysis.themes.views" in modules  # and every blueprint
    early = sorted(name for name in ON_USE if name in modules)
    assert early == [], f"loaded at start-up: {early}"


def test_the_probe_sees_a_library_once_a_feature_loads_it(tmp_path):
    """The check above can fail: the theming job's own module brings numpy, as it should."""
    assert "numpy" not in loaded_by(tmp_path, "themes", "--help")
    then = "import consult.analysis.themes.running"
    assert "numpy" in loaded_by(tmp_path, "themes", "--help", then=then)


def test_plugged_in_commands_of_other_packages_are_not_consults(tmp_path):
    """Flask-Limiter's ``limiter`` command (a ``flask.commands`` entry point) is not offered."""
    help_text = run(tmp_path, "--help").stdout.rsplit("\n", 2)[0]  # not the module list
    commands = {line.split()[0] for line in help_text.split("Commands:")[1].splitlines() if line}
    assert {"export", "init", "worker", "routes"} <= commands
    assert "limiter" not in commands
