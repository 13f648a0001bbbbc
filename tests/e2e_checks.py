"""Checks every generated project must pass, imported by each end-to-end test module.

Each module defines a module-scoped ``project`` fixture and imports these functions, so
pytest runs them against its own project (and pytest-xdist's ``--dist=loadfile`` keeps one
project's tests on one worker).
"""

from __future__ import annotations

import re
import sys

from .e2e_projects import Project

__all__ = [
    "test_builds_leave_no_untracked_artifacts",
    "test_cargo_test_workspace",
    "test_core_builds_without_std",
    "test_formatted_and_lint_clean",
    "test_lint_session",
    "test_lockfile_is_resolved",
    "test_pytest_passes",
    "test_readme_example_runs",
]


def test_lockfile_is_resolved(project: Project) -> None:
    assert project.result.lockfile.generated, project.result.lockfile.reason
    assert (project.root / "Cargo.lock").is_file()


def test_pytest_passes(project: Project) -> None:
    out = project.run(project.python, "-m", "pytest", "-q", "-p", "no:cacheprovider").stdout
    assert re.search(r"\d+ passed", out)
    assert "failed" not in out


def test_cargo_test_workspace(project: Project) -> None:
    out = project.run("cargo", "test", "--workspace", "--locked").stdout
    assert "test result: ok" in out


def test_core_builds_without_std(project: Project) -> None:
    core = f"{project.result.spec.crate_prefix}-core"
    project.run("cargo", "build", "-p", core, "--no-default-features", "--locked")


def test_formatted_and_lint_clean(project: Project) -> None:
    project.run("cargo", "fmt", "--all", "--check")
    project.run(
        "cargo", "clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"
    )
    project.run("ruff", "check", ".")
    project.run("ruff", "format", "--check", ".")


def test_readme_example_runs(project: Project) -> None:
    readme = (project.root / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    assert blocks, "the README has no python example"
    out = project.run(project.python, "-c", blocks[0]).stdout
    assert "(3, 2)" in out


def test_lint_session(project: Project) -> None:
    """The project's own `nox -s lint` (rustfmt, clippy, ruff, mypy, stubtest)."""
    project.run(sys.executable, "-m", "nox", "-s", "lint")


def test_builds_leave_no_untracked_artifacts(project: Project) -> None:
    """After building, only source files are visible to git (.gitignore is right)."""
    project.run("git", "init", "-q")
    out = project.run("git", "status", "--porcelain", "--untracked-files=all").stdout
    paths = [line[3:] for line in out.splitlines()]
    assert not [p for p in paths if p.startswith(("target/", ".nox/", ".venv/"))]
    assert not [p for p in paths if p.endswith((".so", ".pyd", ".pyc"))]
