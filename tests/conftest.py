"""Shared fixtures, and the test tiers.

Every test belongs to exactly one tier (a marker; docs/contributing.md):

- ``unit``: no cargo, no network, no rendering into cargo workspaces; the whole tier runs
  in under a minute (``pytest -m unit -n 2``);
- ``render``: renders projects with Copier (and runs rustfmt/ruff over them, git, the CLI);
- ``fleet``: fleets of rendered projects for ``rustml check`` and batch updates;
- ``e2e``: builds generated projects with cargo/maturin and runs their own sessions.

A test without a tier, or with two, fails collection.

cargo walks up from a crate to the first parent Cargo.toml, so generated projects must
never be rendered below this checkout: the fixtures here create directories outside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import rustml

from .helpers import RenderFn, clear_projects, outside_tmpdir

TIERS = ("unit", "render", "fleet", "e2e")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Refuse a test that is in no tier or in several."""
    wrong = []
    for item in items:
        tiers = {m.name for m in item.iter_markers() if m.name in TIERS}
        if len(tiers) != 1:
            wrong.append(f"{item.nodeid}: {sorted(tiers) or 'no tier'}")
    if wrong:
        raise pytest.UsageError(
            "every test needs exactly one tier marker ("
            + ", ".join(TIERS)
            + "):\n  "
            + "\n  ".join(wrong)
        )


@pytest.fixture
def outside_tmp() -> Iterator[Path]:
    """A temporary directory guaranteed not to be inside the repository."""
    yield from outside_tmpdir("rustml-test-")


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
        yield from outside_tmpdir("rustml-e2e-")
    finally:
        clear_projects()
