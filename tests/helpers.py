"""Helpers shared by rustml's test modules (the one place they live).

Test modules import from here, never from each other. What is here: temporary
directories outside the checkout (cargo walks up to parent ``Cargo.toml`` files), the
rustml CLI and git as subprocesses, committed projects with owners' edits, generated
projects built once per worker for the end-to-end modules (with the checks every such
project must pass), and the environment the cross-target sessions need on our machines.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import rustml
from rustml._json import SCHEMAS
from rustml._targets import load_targets
from rustml._uvlock import uv_binary

REPO = Path(__file__).resolve().parents[1]

# -- places and processes -----------------------------------------------------------


def outside_tmpdir(prefix: str) -> Iterator[Path]:
    """A temporary directory guaranteed not to be inside the repository, removed after."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    assert REPO not in path.parents
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


RenderFn = Callable[..., rustml.NewResult]

GIT_ID = ["-c", "user.name=Test", "-c", "user.email=test@example.com"]


def git(project: Path, *args: str) -> str:
    """Run git in ``project`` (with an identity); its stdout. Fails the test on error."""
    return subprocess.run(
        ["git", "-C", str(project), *GIT_ID, *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def git_repository(path: Path, message: str) -> Path:
    """Make the directory ``path`` a git repository whose ``main`` branch holds its files."""
    git(path, "init", "--quiet", "--initial-branch", "main")
    git(path, "add", "--all")
    git(path, "commit", "--quiet", "--message", message)
    return path


def rustml_cli(
    *args: str,
    history: Path | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m rustml ARGS`` with no stdin, no inherited preset or extra history."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"RUSTML_TEMPLATE_HISTORY", "RUSTML_PRESET", "XDG_CONFIG_HOME"}
    }
    if history is not None:
        base["RUSTML_TEMPLATE_HISTORY"] = str(history)
    done = subprocess.run(
        [sys.executable, "-m", "rustml", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**base, **(env or {})},
        cwd=cwd,
        check=False,
    )
    if "json" in args and done.stdout.strip():
        assert_valid_json(args, done.stdout, done.returncode)
    return done


def assert_valid_json(args: tuple[str, ...], stdout: str, returncode: int) -> None:
    """Every ``--format json`` output of any test matches its command's published schema,
    and its exit_code is the process's."""
    command = "update-all" if args[0] == "update" and "--all" in args else args[0]
    schema = json.loads(SCHEMAS[command].read_text(encoding="utf-8"))
    data = json.loads(stdout)
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["exit_code"] == returncode, (data["exit_code"], returncode)


def snapshot(root: Path) -> tuple[dict[str, str], str]:
    """Every file's hash (outside .git) and git's view of the tree."""
    files = {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }
    status = git(root, "status", "--porcelain") if (root / ".git").is_dir() else ""
    return files, status


def file_bytes(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` (outside .git, links not followed): path -> bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink() and ".git" not in p.relative_to(root).parts
    }


#: Release builds without fat LTO and with parallel codegen: the e2e runs check what the
#: projects do, not their peak speed (`nox -s bench` and the manual full sessions do
#: that), and fat LTO with one codegen unit is most of each release build (wheels,
#: servers, coverage). Applies to every workspace of the project (embedded/ too).
FAST_RELEASE = {"CARGO_PROFILE_RELEASE_LTO": "off", "CARGO_PROFILE_RELEASE_CODEGEN_UNITS": "16"}


def clean_env(*, fast_release: bool = True) -> dict[str, str]:
    """This process's environment without what would leak into a generated project's
    builds (our virtualenv, a shared cargo target directory); with FAST_RELEASE unless
    ``fast_release=False`` (the template's own release profile)."""
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "CARGO_TARGET_DIR"}}
    return {**env, **FAST_RELEASE} if fast_release else env


def path_without(farm: Path, *tools: str) -> str:
    """A PATH with every executable of the current one except ``tools``.

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


# -- committed projects with owners' edits ------------------------------------------


def generate_committed(path: Path, *, lockfile: bool = False) -> Path:
    """A default project from the current rustml, committed to a fresh git repository."""
    rustml.new(path, lockfile=lockfile)
    commit_all(path, "generated")
    return path


def commit_all(path: Path, message: str) -> None:
    """``git init`` (if needed), add everything and commit."""
    if not (path / ".git").exists():
        git(path, "init", "-q", "-b", "main")
    git(path, "add", "-A")
    git(path, "commit", "-qm", message)


USER_RUST = (
    "\n/// The team's own helper.\n#[must_use]\npub fn team_threshold() -> f64 {\n    0.25\n}\n"
)
USER_PY = "\n\nTEAM = 'ml-platform'\n"
USER_CARGO = '\n[workspace.metadata.team]\nowner = "ml-platform"\n'
USER_PYPROJECT = '\n[tool.team]\nowner = "ml-platform"\n'
USER_RUSTFMT = "max_width = 100\n"


def make_user_edits(project: Path, name: str = "proj") -> dict[Path, str]:
    """Edits in a Rust file, a Python file, Cargo.toml, pyproject.toml and rustfmt.toml
    (which the fixture next release renames); committed. Returns file -> the text that
    must survive an update."""
    edits = {
        project / f"crates/{name}-core/src/lib.rs": USER_RUST,
        project / f"python/{name}/__init__.py": USER_PY,
        project / "Cargo.toml": USER_CARGO,
        project / "pyproject.toml": USER_PYPROJECT,
        project / "rustfmt.toml": USER_RUSTFMT,
    }
    for path, text in edits.items():
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    git(project, "commit", "-qam", "our edits")
    return edits


# -- cross targets on our machines --------------------------------------------------

#: One Rust triple of each cross-compiling target (targets.yml).
CROSS_TARGETS = tuple(t.rust_triples[0] for t in load_targets().values() if t.rust_triples)
BUILD_STD_TOOLCHAIN = "debian-web"


def _has_prebuilt_std(target: str) -> bool:
    libdir = subprocess.run(
        ["rustc", "--print", "target-libdir", "--target", target],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return bool(libdir) and any(Path(libdir).glob("libcore-*.rlib"))


def target_env() -> dict[str, str]:
    """Standard rustup targets where installed, else build-std with debian-web.

    Where rustup has no prebuilt standard library for a target (our machines cannot
    download one), the sessions build it from source with a toolchain that ships rust-src:
    RUSTML_BUILD_STD=1 with RUSTUP_TOOLCHAIN=debian-web, which .ci/install sets up.
    """
    if all(_has_prebuilt_std(t) for t in CROSS_TARGETS):
        return {}
    toolchains = subprocess.run(
        ["rustup", "toolchain", "list"], capture_output=True, text=True, check=False
    ).stdout
    if not re.search(rf"^{BUILD_STD_TOOLCHAIN}\b", toolchains, flags=re.MULTILINE):
        pytest.fail(
            "no prebuilt std for the cross targets and no build-std toolchain: "
            "run `rustup target add ...` or .ci/install"
        )
    return {"RUSTML_BUILD_STD": "1", "RUSTUP_TOOLCHAIN": BUILD_STD_TOOLCHAIN}


# -- generated projects, built once per worker --------------------------------------

ALL_TARGETS = list(load_targets())
CASES: dict[str, dict[str, Any]] = {
    "demo": {},
    # Every target at once: their sessions run in test_targets_e2e.py on this project.
    "My-Proj_2": {"license": "Apache-2.0", "python_min": "3.11", "targets": ALL_TARGETS},
}


@dataclass(frozen=True)
class Project:
    """A generated project with its own virtualenv (the package and the test and lint
    groups, from its uv.lock)."""

    result: rustml.NewResult
    python: Path
    env: dict[str, str]

    @property
    def root(self) -> Path:
        """The project's directory."""
        return self.result.path

    def run_unchecked(
        self, *cmd: str | Path, env: dict[str, str] | None = None, timeout: int = 1200
    ) -> subprocess.CompletedProcess[str]:
        """Run ``cmd`` in the project; the completed process, whatever its status."""
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
        """Run ``cmd`` in the project; it must succeed (the failure shows its output)."""
        proc = self.run_unchecked(*cmd, env=env, timeout=timeout)
        assert proc.returncode == 0, (
            f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n"
            f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
        )
        return proc


_PROJECTS: dict[str, Project] = {}


def locked_sync(venv: Path, *groups: str) -> list[str]:
    """The project's own install: ``uv sync --locked`` of `groups` into `venv`, the
    package built from its sources (not editable: the extension lands in the venv)."""
    uv = uv_binary()
    assert uv is not None, "uv is a dependency of rustml"
    chosen = [f"--group={group}" for group in groups]
    return [uv, "sync", "--locked", "--no-default-groups", *chosen, "--no-editable",
            "--quiet", f"--python={venv / 'bin' / 'python'}"]  # fmt: skip


def make_project(name: str, tmp_root: Path) -> Project:
    """Render, set up a venv and install CASES[name] once per test process."""
    if name in _PROJECTS:
        return _PROJECTS[name]
    if shutil.which("cargo") is None:
        pytest.fail("cargo is not on PATH: end-to-end tests need a Rust toolchain")
    base = Path(tempfile.mkdtemp(prefix="rustml-e2e-", dir=tmp_root))
    assert REPO not in base.parents
    result = rustml.new(base / name, data=CASES[name], lockfile=True)
    # The default project keeps the template's release profile (fat LTO, one codegen
    # unit): its `uv sync` is the suite's proof that such a build links.
    env = clean_env(fast_release=name != "demo")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    env["UV_PROJECT_ENVIRONMENT"] = str(venv)
    proj = Project(result=result, python=python, env=env)
    proj.run(*locked_sync(venv, "test", "lint"))
    _PROJECTS[name] = proj
    return proj


def clear_projects() -> None:
    """Forget the cached projects (their directory is about to be removed)."""
    _PROJECTS.clear()


class ProjectChecks:
    """Checks every generated project must pass.

    An end-to-end module subclasses it as ``class TestProject(ProjectChecks)`` beside a
    module-scoped ``project`` fixture, and pytest runs these against that project
    (pytest-xdist's ``--dist=loadfile`` keeps one project's tests on one worker).
    """

    def test_lockfile_is_resolved(self, project: Project) -> None:
        assert project.result.lockfile.generated, project.result.lockfile.reason
        assert (project.root / "Cargo.lock").is_file()

    def test_pytest_passes(self, project: Project) -> None:
        out = project.run(project.python, "-m", "pytest", "-q", "-p", "no:cacheprovider").stdout
        assert re.search(r"\d+ passed", out)
        # "1 xfailed" (an expected failure with its reason) is not a failure.
        assert not re.search(r"\b\d+ failed", out), out[-3000:]

    def test_cargo_test_workspace(self, project: Project) -> None:
        out = project.run("cargo", "test", "--workspace", "--locked").stdout
        assert "test result: ok" in out

    def test_core_builds_without_std(self, project: Project) -> None:
        core = f"{project.result.spec.crate_prefix}-core"
        project.run("cargo", "build", "-p", core, "--no-default-features", "--locked")

    def test_formatted_and_lint_clean(self, project: Project) -> None:
        project.run("cargo", "fmt", "--all", "--check")
        project.run(
            "cargo", "clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"
        )
        project.run("ruff", "check", ".")
        project.run("ruff", "format", "--check", ".")

    def test_readme_example_runs(self, project: Project) -> None:
        readme = (project.root / "README.md").read_text()
        blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
        assert blocks, "the README has no python example"
        out = project.run(project.python, "-c", blocks[0]).stdout
        assert "(3, 2)" in out

    def test_lint_session(self, project: Project) -> None:
        """The project's own `nox -s lint` (rustfmt, clippy, ruff, mypy, stubtest)."""
        project.run(sys.executable, "-m", "nox", "-s", "lint")

    def test_builds_leave_no_untracked_artifacts(self, project: Project) -> None:
        """After building, only source files are visible to git (.gitignore is right)."""
        project.run("git", "init", "-q")
        out = project.run("git", "status", "--porcelain", "--untracked-files=all").stdout
        paths = [line[3:] for line in out.splitlines()]
        assert not [p for p in paths if p.startswith(("target/", ".nox/", ".venv/"))]
        assert not [p for p in paths if p.endswith((".so", ".pyd", ".pyc"))]
