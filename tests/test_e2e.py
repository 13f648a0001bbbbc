"""End to end: render outside the repo, build, and run the generated project's own checks.

One module-scoped project per answer set; every check is its own test so a failure names
what broke. Slow (a release build of the extension per project): marked ``e2e``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import rustml

from .conftest import REPO

pytestmark = pytest.mark.e2e

ALL_TARGETS = ["cpu", "gpu", "wasm", "embedded"]
CASES = {
    "demo": {},
    # Every target at once: their sessions run in test_targets_e2e.py on this project.
    "My-Proj_2": {"license": "Apache-2.0", "python_min": "3.11", "targets": ALL_TARGETS},
}


@dataclass(frozen=True)
class Project:
    result: rustml.NewResult
    python: Path
    env: dict[str, str]

    @property
    def root(self) -> Path:
        return self.result.path

    def run_unchecked(
        self, *cmd: str | Path, env: dict[str, str] | None = None, timeout: int = 1200
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(c) for c in cmd],
            cwd=self.root,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def run(
        self, *cmd: str | Path, env: dict[str, str] | None = None, timeout: int = 1200
    ) -> subprocess.CompletedProcess[str]:
        proc = self.run_unchecked(*cmd, env=env, timeout=timeout)
        assert proc.returncode == 0, (
            f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n"
            f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
        )
        return proc


_PROJECTS: dict[str, Project] = {}


def make_project(name: str, tmp_root: Path) -> Project:
    """Render, set up a venv and install CASES[name] once per test process."""
    if name in _PROJECTS:
        return _PROJECTS[name]
    if shutil.which("cargo") is None:
        pytest.fail("cargo is not on PATH: end-to-end tests need a Rust toolchain")
    base = Path(tempfile.mkdtemp(prefix="rustml-e2e-", dir=tmp_root))
    assert REPO not in base.parents
    result = rustml.new(base / name, data=CASES[name], lockfile=True)
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "CARGO_TARGET_DIR"}}
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    proj = Project(result=result, python=python, env=env)
    proj.run(python, "-m", "pip", "install", "--quiet", ".[test]", "ruff")
    _PROJECTS[name] = proj
    return proj


@pytest.fixture(scope="session")
def e2e_root() -> Iterator[Path]:
    """One temporary directory, outside the repository, for every e2e project."""
    root = Path(tempfile.mkdtemp(prefix="rustml-e2e-"))
    assert REPO not in root.parents
    try:
        yield root
    finally:
        _PROJECTS.clear()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(
    scope="module",
    params=[pytest.param(name, marks=pytest.mark.xdist_group(name)) for name in CASES],
)
def project(request: pytest.FixtureRequest, e2e_root: Path) -> Project:
    return make_project(request.param, e2e_root)


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
