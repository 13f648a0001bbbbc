"""Snapshots of every variant's render, and the variant list itself."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rustml
from rustml._template import load_template
from rustml._variants import variants

from .helpers import REPO
from .snapshots import stale

pytestmark = pytest.mark.render


def test_render_snapshots_are_current() -> None:
    problems = stale()
    assert not problems, "".join(problems) + "\nrefresh with: nox -s render -- --update"


def test_an_unrefreshed_template_edit_fails_with_a_readable_diff(tmp_path: Path) -> None:
    copy = shutil.copytree(REPO / "templates", tmp_path / "templates")
    pyproject = copy / "project" / "pyproject.toml.jinja"
    pyproject.write_text(
        pyproject.read_text().replace(
            '"Typing :: Typed",', '"Typing :: Typed",\n    "Framework :: Pytest",'
        )
    )
    problems = stale(template=copy)
    assert len(problems) == len(variants())  # pyproject.toml is in every variant
    first = problems[0]
    assert "(committed)" in first
    assert "(rendered now)" in first
    assert '+    "Framework :: Pytest",' in first  # shown in full: the line that changed
    assert "  pyproject.toml" in first  # and its hash line


@pytest.mark.parametrize("python_min", load_template().questions["python_min"].choices)
def test_generated_python_is_ruff_clean_for_every_python_min(
    python_min: str, outside_tmp: Path
) -> None:
    """ruff's pyupgrade rules follow target-version: what is clean for 3.10 must stay
    clean for 3.13 (the matrix's python_min=3.12 variant found UP040/UP047)."""
    project = rustml.new(outside_tmp / "p", data={"python_min": python_min}, lockfile=False)
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."],
        cwd=project.path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout[-3000:]
