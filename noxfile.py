"""rustml's own sessions: `nox` runs lint and the fast tests; `nox -s e2e` builds projects."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session: nox.Session) -> None:
    """Unit and render tests (no Rust builds)."""
    session.install("-e", ".[test]")
    session.run("pytest", "-m", "not e2e", *session.posargs)


@nox.session
def e2e(session: nox.Session) -> None:
    """Render projects outside the repo, build them and run their own tests and linters."""
    session.install("-e", ".[test]")
    session.run("pytest", "-m", "e2e", "-v", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (lint + format) and mypy --strict on rustml itself."""
    session.install("-e", ".[lint]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")


@nox.session(name="template-lock")
def template_lock(session: nox.Session) -> None:
    """Re-resolve the template's requirements/dev.txt through a generated project's `lock`.

    The lock is universal (markers per Python version) from Python 3.10 up, so one file
    serves every `python_min`.
    """
    session.install("-e", ".", "nox", "uv")
    with tempfile.TemporaryDirectory() as tmp:  # outside the repo: cargo walks up
        project = Path(tmp) / "lockdemo"
        session.run("rustml", "new", str(project), "--defaults", "--no-lock")
        with session.chdir(project):
            session.run("nox", "-s", "lock")
        target = Path(__file__).parent / "templates/project/requirements/dev.txt"
        shutil.copyfile(project / "requirements/dev.txt", target)
    session.log(f"refreshed {target}")
