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

from .e2e_projects import REPO, clear_projects


def _outside_tmpdir(prefix: str) -> Iterator[Path]:
    """A temporary directory guaranteed not to be inside the repository, removed after."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    assert REPO not in path.parents
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def outside_tmp() -> Iterator[Path]:
    """A temporary directory guaranteed not to be inside the repository."""
    yield from _outside_tmpdir("rustml-test-")


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
    try:
        yield from _outside_tmpdir("rustml-e2e-")
    finally:
        clear_projects()
