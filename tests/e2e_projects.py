"""Generated projects shared by the end-to-end modules: rendered, installed once per worker."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import rustml

REPO = Path(__file__).resolve().parents[1]

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


def clean_env() -> dict[str, str]:
    """This process's environment without what would leak into a generated project's
    builds (our virtualenv, a shared cargo target directory)."""
    return {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "CARGO_TARGET_DIR"}}


def make_project(name: str, tmp_root: Path) -> Project:
    """Render, set up a venv and install CASES[name] once per test process."""
    if name in _PROJECTS:
        return _PROJECTS[name]
    if shutil.which("cargo") is None:
        pytest.fail("cargo is not on PATH: end-to-end tests need a Rust toolchain")
    base = Path(tempfile.mkdtemp(prefix="rustml-e2e-", dir=tmp_root))
    assert REPO not in base.parents
    result = rustml.new(base / name, data=CASES[name], lockfile=True)
    env = clean_env()
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    proj = Project(result=result, python=python, env=env)
    proj.run(python, "-m", "pip", "install", "--quiet", ".[test]", "ruff")
    _PROJECTS[name] = proj
    return proj


def path_without(farm: Path, *tools: str) -> str:
    """A PATH with every executable of the current one except `tools`.

    Tools share directories with what the sessions need (cargo and wasm-bindgen in
    ~/.cargo/bin, qemu and node in /usr/bin), so the PATH is a directory of links.
    """
    farm.mkdir(exist_ok=True)
    for directory in os.environ["PATH"].split(os.pathsep):
        if not Path(directory).is_dir():
            continue
        for exe in Path(directory).iterdir():
            link = farm / exe.name
            if exe.name in tools or link.exists() or link.is_symlink():
                continue
            if exe.is_file() and os.access(exe, os.X_OK):
                link.symlink_to(exe)
    return str(farm)


def clear_projects() -> None:
    """Forget the cached projects (their directory is about to be removed)."""
    _PROJECTS.clear()
