"""The house rules of generator/: modules under 400 lines, functions under 60 (their
docstrings not counted), and no module reaching into another's private names (what is
shared is public in its module; the package's private modules themselves are fine)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .helpers import REPO

pytestmark = pytest.mark.unit

MODULES = sorted((REPO / "generator" / "rustml").rglob("*.py"))
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def test_modules_are_under_400_lines() -> None:
    long = {
        _rel(p): n
        for p in MODULES
        if (n := len(p.read_text(encoding="utf-8").splitlines())) >= MAX_MODULE_LINES
    }
    assert not long


def test_functions_are_under_60_lines() -> None:
    long = {}
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                lines = (node.end_lineno or node.lineno) - first + 1
                doc = node.body[0]
                if isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant):
                    lines -= (doc.end_lineno or doc.lineno) - doc.lineno + 1
                if lines >= MAX_FUNCTION_LINES:
                    long[f"{_rel(path)}:{node.name}"] = lines
    assert not long


def test_no_module_imports_another_modules_private_names() -> None:
    found = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rustml"):
                package = REPO / "generator" / Path(*(node.module or "").split("."))
                private = [
                    a.name
                    for a in node.names
                    if a.name.startswith("_")
                    and not a.name.startswith("__")
                    and not (package / f"{a.name}.py").exists()
                    and not (package / a.name).is_dir()
                ]
                found += [f"{_rel(path)}: {node.module}.{name}" for name in private]
    assert not found
