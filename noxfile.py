"""rustml's own sessions.

`nox` runs lint and the fast tests. `nox -s render` checks every variant's render against
its snapshot; `nox -s "e2e(cpu+wasm,...)"` builds one variant and runs its sessions (`nox -s
e2e` all of them, then `nox -s e2e-summary` for the table); `nox -s update` runs the update
scenarios; `nox -s pytest-e2e` the end-to-end pytest suite. Variants come from
templates/copier.yml (rustml._variants), so run nox from rustml's dev environment
(`.venv/bin/nox`), where rustml is importable.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = True

ROOT = Path(__file__).resolve().parent
try:
    sys.path.insert(0, str(ROOT / "generator"))
    from rustml._variants import variants

    VARIANTS = [v.name for v in variants()]
except ImportError as exc:  # nox outside rustml's environment: no variant sessions
    print(f"rustml not importable ({exc}); e2e(variant) sessions are not listed")  # noqa: T201
    VARIANTS = []


@nox.session
def tests(session: nox.Session) -> None:
    """The unit, render and fleet tiers (no builds of generated projects)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "tests.tiers", "--tiers", "unit,render,fleet", *session.posargs)


@nox.session
def unit(session: nox.Session) -> None:
    """The unit tier alone: under a minute, network blocked, no cargo on PATH."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "tests.tiers", "--tiers", "unit", *session.posargs)


@nox.session(name="pytest-e2e")
def pytest_e2e(session: nox.Session) -> None:
    """The end-to-end pytest suite (projects built, target sessions, supply chain, update)."""
    session.install("-e", ".[test]")
    session.run("pytest", "-m", "e2e", "-v", *session.posargs)


@nox.session
def render(session: nox.Session) -> None:
    """Render every variant and compare with tests/snapshots/ (`-- --update` rewrites)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "tests.snapshots", *session.posargs)


# The e2e sessions run in nox's own environment (rustml is importable there, or there
# would be no variants): a venv per variant would cost ~25 s of installs each.
@nox.session(python=False)
@nox.parametrize("variant", VARIANTS, ids=VARIANTS)
def e2e(session: nox.Session, variant: str) -> None:
    """Render one variant outside the repo and run its own sessions, targets included."""
    session.run(sys.executable, "-m", "tests.variant_e2e", "run", variant, *session.posargs)


@nox.session(name="e2e-summary", python=False)
def e2e_summary(session: nox.Session) -> None:
    """The table of the recorded e2e(variant) runs: wall time, cost vs the first, crates built."""
    session.run(sys.executable, "-m", "tests.variant_e2e", "summary")


@nox.session
def update(session: nox.Session) -> None:
    """The update scenarios: a fixture next release, conflicts, refusals, an offline wheel."""
    session.install("-e", ".[test]")
    tests = ["tests/test_update.py", "tests/test_update_e2e.py"]
    session.run("pytest", *tests, "-v", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (lint + format), mypy --strict, and shellcheck on the CI scripts."""
    session.install("-e", ".[lint]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    # Debian's shellcheck (.ci/install installs it).
    session.run("shellcheck", ".ci/install", ".ci/run", external=True)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site into build/site (strict: a broken link fails)."""
    session.install("-e", ".[docs]")
    session.run("mkdocs", "build", *session.posargs)


@nox.session(name="template-lock")
def template_lock(session: nox.Session) -> None:
    """Re-resolve templates/includes/uv.lock, the lock new projects start from.

    Resolved in a default project (the lowest `python_min`: the lock is universal, with
    markers per Python version, so it serves every variant) from the current seed, so
    only what pyproject.toml's changes need moves; `nox -s template-lock -- --upgrade`
    upgrades everything.
    """
    session.install("-e", ".")
    seed = Path(__file__).parent / "templates/includes/uv.lock"
    with tempfile.TemporaryDirectory() as tmp:  # outside the repo: cargo walks up
        project = Path(tmp) / "lockdemo"
        session.run("rustml", "new", str(project), "--defaults", "--no-lock")
        shutil.copyfile(seed, project / "uv.lock")
        with session.chdir(project):
            session.run("uv", "lock", *session.posargs)
        shutil.copyfile(project / "uv.lock", seed)
    session.log(f"refreshed {seed}")


@nox.session(name="template-names")
def template_names(session: nox.Session) -> None:
    """Refresh templates/includes/dependency-crates.txt from an all-targets project's locks.

    The answer rules refuse a crate prefix whose crates would collide with a crate of the
    generated dependency graph; this is that graph (every workspace's Cargo.lock).
    """
    session.install("-e", ".")
    session.run("python", "-m", "tests.dependency_crates", "--write")


@nox.session(name="template-snapshot")
def template_snapshot(session: nox.Session) -> None:
    """Store the current template as a released version (run when cutting a release).

    Writes generator/rustml/_template_history/v<version>.tar.gz from templates/ (a
    reproducible archive), so every later rustml can replay this version when it updates
    a project generated by it. Then bump generator/rustml/_version.py and templates/VERSION
    together for the next release (the wheel build checks they agree).
    """
    session.install("-e", ".")
    session.run(
        "python",
        "-c",
        "from pathlib import Path; from rustml._history import Version, write_snapshot;"
        "v = Path('templates/VERSION').read_text().strip();"
        "print(write_snapshot(Path('templates'), Version.parse(v)))",
    )


@nox.session
def mutants(session: nox.Session) -> None:
    """Plant a bug in each branch of the update planner; a unit test must catch each."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "tests.planner_mutants")
