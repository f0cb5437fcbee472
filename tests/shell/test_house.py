"""The house rules of docs/architecture.md, checked on the code itself.

import-linter checks the direction of imports (pyproject's [tool.importlinter], run by `make
lint`); the rules it cannot express are checked here by reading each module's syntax tree.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "consult"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# Modules that answer requests: they (and the foundation's request plumbing) may use the
# request, g, the session and templates; services, the kernel and spreadsheets may not.
REQUEST_NAMES = {"request", "g", "session", "render_template"}
FOUNDATION = {"config", "db", "deadlines", "extensions", "i18n", "assets", "privacy",
              "security", "errors", "forms", "problems", "jobs"}  # fmt: skip


def modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def name_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def is_view_module(path: Path) -> bool:
    """Views, the answering flow, the shell's pages, the access decorators every view carries,
    and the foundation's request plumbing."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if len(parts) == 1:
        return parts[0] in FOUNDATION | {"home", "__init__", "cli", "wsgi"}
    return (
        "views" in parts
        or parts[-1] in ("views", "import_views", "fieldwork", "answering", "entry", "pages")
        or parts == ("accounts", "access")
        or parts[-1].endswith("_views")
    )


def test_no_module_is_longer_than_the_limit():
    long = [
        f"{path.relative_to(ROOT)}: {n} lines"
        for path, _ in modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert not long, long


def test_no_function_is_longer_than_a_screen():
    long = []
    for path, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {length}")
    assert not long, long


def test_no_private_name_is_imported_from_another_module():
    found = []
    for path, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("consult"):
                private = [a.name for a in node.names if a.name.startswith("_")]
                if private:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {private}")
    assert not found, found


def test_only_views_touch_the_request_g_session_or_templates():
    found = []
    for path, tree in modules():
        if is_view_module(path):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in ("flask", "flask.globals"):
                used = sorted(REQUEST_NAMES & {a.name for a in node.names})
                if used:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {used}")
    assert not found, found


def test_nothing_below_the_shell_imports_it():
    shell = {"consult.cli", "consult.home", "consult.wsgi"}
    found = []
    for path, tree in modules():
        if name_of(path) in shell | {"consult"}:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in shell:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.ImportFrom) and node.module == "consult":
                if {"create_app", "cli", "home", "wsgi"} & {a.name for a in node.names}:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, found


def _type_names() -> set[str]:
    from consult.surveys.questions import TYPES

    return set(TYPES)


def _mentions_type(node: ast.AST) -> bool:
    text = ast.unparse(node)
    return bool(re.search(r"(\.type\b|\btype_name\b|\bqtype\b|\bkind\b)", text))


def _string_constants(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return set().union(*(_string_constants(e) for e in node.elts)) if node.elts else set()
    return set()


def type_comparisons(path: Path, tree: ast.Module, names: set[str]) -> list[str]:
    """Comparisons of a question's type with a type name, and tables keyed by type name."""
    tuples = {
        t.id: _string_constants(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and _mentions_type(node):
            constants: set[str] = set()
            for side in (node.left, *node.comparators):
                if isinstance(side, ast.Name):
                    constants |= tuples.get(side.id, set())  # a tuple of names defined above
                else:
                    constants |= _string_constants(side)
            if constants & names:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)[:80]}")
        if isinstance(node, ast.Dict) and len(node.keys) > 1:
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if len(keys & names) >= 2 and 2 * len(keys & names) > len(keys):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} a table keyed by type name")
    return found


def test_no_question_type_is_named_outside_the_question_types():
    names = _type_names()
    found = []
    for path, tree in modules():
        if "questions" in path.parts:
            continue
        found += type_comparisons(path, tree, names)
    assert not found, found


def test_the_type_check_finds_a_comparison():
    """The check above is not blind: it sees the comparisons it is meant to refuse."""
    code = (
        "KINDS = ('scale', 'ranking')\n"
        "def f(question):\n"
        "    a = question.type == 'scale'\n"
        "    b = question.type in KINDS\n"
        "    return {'scale': 1, 'integer': 2}[question.type]\n"
    )
    found = type_comparisons(PACKAGE / "x.py", ast.parse(code), _type_names())
    assert len(found) == 3, found


def _linter_config(root: str) -> str:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    lines = ["[importlinter]", f"root_package = {root}"]
    for number, contract in enumerate(config["contracts"]):
        lines.append(f"[importlinter:contract:{number}]")
        for key, value in contract.items():
            if isinstance(value, list):
                value = "\n    " + "\n    ".join(
                    v if key == "layers" else v.replace("consult", root, 1) for v in value
                )
            lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n"


def _lint_copy(tmp_path: Path, inject: str | None) -> subprocess.CompletedProcess[str]:
    """import-linter over a copy of the package (renamed, so the installed one is not read)."""
    copy = tmp_path / "house"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "translations"))
    for path in copy.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\bconsult\.", "house.", text).replace(
            "from consult import", "from house import"), encoding="utf-8")  # fmt: skip
    if inject:
        target = copy / "surveys" / "models.py"
        target.write_text(target.read_text(encoding="utf-8") + f"\n{inject}\n", encoding="utf-8")
    (tmp_path / "contracts.ini").write_text(_linter_config("house"))
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    linter = Path(sys.executable).parent / "lint-imports"
    return subprocess.run(
        [str(linter), "--config", str(tmp_path / "contracts.ini"), "--no-cache"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.mark.slow
def test_import_linter_refuses_the_kernel_importing_a_feature(tmp_path):
    clean = _lint_copy(tmp_path / "clean", None)
    assert clean.returncode == 0, clean.stdout[-2000:]
    broken = _lint_copy(tmp_path / "broken", "from house.collection import models as _answers")
    assert broken.returncode != 0
    assert "house.surveys is not allowed to import house.collection" in broken.stdout
