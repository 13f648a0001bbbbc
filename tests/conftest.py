"""Shared fixtures: rendering into temporary directories outside this repository.

cargo walks up from a crate to the first parent Cargo.toml, so generated projects must
never be rendered below this checkout.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import rustml

from .e2e_projects import clear_projects

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def outside_tmp() -> Iterator[Path]:
    """A temporary directory guaranteed not to be inside the repository."""
    path = Path(tempfile.mkdtemp(prefix="rustml-test-"))
    assert REPO not in path.parents
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


RenderFn = Callable[..., rustml.NewResult]


@pytest.fixture
def render(outside_tmp: Path) -> RenderFn:
    """Render a project with the given answers, without resolving Cargo.lock."""

    def _render(name: str = "demo", **data: Any) -> rustml.NewResult:
        return rustml.new(outside_tmp / name, data=data, lockfile=False)

    return _render


@pytest.fixture(scope="session")
def e2e_root() -> Iterator[Path]:
    """One temporary directory, outside the repository, for every e2e project."""
    root = Path(tempfile.mkdtemp(prefix="rustml-e2e-"))
    assert REPO not in root.parents
    try:
        yield root
    finally:
        clear_projects()
        shutil.rmtree(root, ignore_errors=True)
