"""The built wheel carries the template: install it in a fresh venv and render from it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import REPO

pytestmark = pytest.mark.e2e


def test_wheel_renders_without_the_checkout(outside_tmp: Path) -> None:
    dist = outside_tmp / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
        check=True,
    )
    wheel = next(dist.glob("rustml-*.whl"))
    venv = outside_tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([venv / "bin/python", "-m", "pip", "install", "-q", str(wheel)], check=True)
    out = subprocess.run(
        [venv / "bin/rustml", "new", str(outside_tmp / "proj"), "--defaults", "--no-lock"],
        cwd=outside_tmp,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Created proj" in out.stdout
    where = subprocess.run(
        [venv / "bin/python", "-c", "import rustml._template as t; print(t.template_root())"],
        cwd=outside_tmp,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "site-packages" in where
    assert (outside_tmp / "proj/crates/proj-core/src/kmeans.rs").is_file()
