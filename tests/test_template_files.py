"""The template's own files: the .jinja suffix only where templated, portable names."""

from __future__ import annotations

import pytest
from rustml._template import load_template

pytestmark = pytest.mark.unit


def test_only_templated_files_carry_the_jinja_suffix() -> None:
    root = load_template().root / "project"
    for path in root.rglob("*"):
        if path.is_file() and path.suffix == ".jinja":
            text = path.read_text()
            assert "{{" in text or "{%" in text, f"{path.relative_to(root)} needs no .jinja"
        elif path.is_file():
            text = path.read_text(errors="replace")
            needs = f"{path.relative_to(root)} needs .jinja"
            assert "{{" not in text, needs
            assert "{%" not in text, needs


def test_template_file_names_are_portable() -> None:
    root = load_template().root / "project"
    for path in root.rglob("*"):
        rel = str(path.relative_to(root))
        assert '"' not in rel, rel
        assert "\\" not in rel, rel
