"""Fault injection: `rustml new` and `rustml update` killed anywhere lose nothing.

Each scenario runs the command once to completion (the reference, and its duration T),
then again and again, sending a signal at 30 points spread over T, cycling through
SIGINT, SIGTERM, SIGKILL and SIGHUP. After every run the invariants are checked:

- the destination is absent or complete (new), the project is as before or entirely
  updated (update);
- every file the owners had is byte-identical in place or in a backup (new --force);
- SIGINT, SIGTERM and SIGHUP leave no staging or temporary directory and no child process;
- SIGKILL leaves no child process either (the kernel ends it), and what it left (a
  staging directory, a temporary render, an update's journal) is cleaned up or completed
  by the next run.

``tests/planner_mutants.py`` plants "skip the backup of one file" in the placement and
checks that the --force scenario fails.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from rustml._transaction import recover

from .helpers import commit_all, file_bytes, git, rustml_cli
from .template_versions import NEXT_VERSION, make_next_template

POINTS = 30
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGKILL, signal.SIGHUP)
#: RUSTML_FAULT_PACKAGE=<dir holding a rustml package>: run that copy instead (mutants).
PACKAGE_ENV = "RUSTML_FAULT_PACKAGE"


@dataclass
class Run:
    """One run of the CLI, killed (or not) at ``at`` seconds."""

    signum: int | None
    at: float
    returncode: int
    stderr: str
    pid: int

    def left(self, directory: Path) -> list[str]:
        """Entries of ``directory`` named after this run's process (staging, temp dirs)."""
        return [p.name for p in directory.iterdir() if f"-{self.pid}-" in p.name]


def start(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    extra = os.environ.get(PACKAGE_ENV)
    env = {**env, "PYTHONPATH": extra} if extra else env
    return subprocess.Popen(
        [sys.executable, "-m", "rustml", *args],
        cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def run_killed(
    args: list[str], cwd: Path, env: dict[str, str], at: float, signum: int | None
) -> Run:
    proc = start(args, cwd, env)
    if signum is not None:
        deadline = time.monotonic() + at
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.002)
        if proc.poll() is None:
            proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=600)
    return Run(signum, at, proc.returncode, stderr, proc.pid)


def children_of(marker: str) -> list[str]:
    """Live processes whose command line mentions ``marker`` (orphans of a killed run)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if marker in cmdline and "pytest" not in cmdline:
            found.append(f"{entry.name}: {cmdline[:200]}")
    return found


def no_orphans(marker: str) -> None:
    deadline = time.monotonic() + 5
    while children_of(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not children_of(marker), children_of(marker)


def interpreter_startup() -> float:
    """Seconds before the CLI's signal handlers are in place: Python's own start-up (site,
    the venv's .pth files) and the package's import, the slowest of three tries."""
    times = []
    for _ in range(3):
        t0 = time.monotonic()
        subprocess.run([sys.executable, "-c", "import rustml.__main__"], check=True)
        times.append(time.monotonic() - t0)
    return max(times)


def points(total: float) -> list[tuple[float, int]]:
    """(time, signal) for each kill point, spread over a run of ``total`` seconds.

    From the moment the CLI's handlers are in place: a signal while Python itself starts
    gets Python's default handling, which no program can change.
    """
    first = interpreter_startup()
    span = max(total - first, 0.001)
    return [(first + span * (i + 0.5) / POINTS, SIGNALS[i % len(SIGNALS)]) for i in range(POINTS)]


def expect_clean_exit(run: Run) -> None:
    """SIGINT/SIGTERM: 128+signal with one line, or 0 when the run had finished.

    A signal that lands while the interpreter shuts down (the command done) finds
    Python's default handlers back: the process ends by the signal, after the fact.
    """
    assert "Traceback" not in run.stderr, run.stderr
    if run.signum is None:
        assert run.returncode == 0, run
    elif run.signum == signal.SIGKILL:
        assert run.returncode in (0, -signal.SIGKILL), run
    else:
        assert run.returncode in (0, 128 + run.signum, -run.signum), run
        if run.returncode == 128 + run.signum:
            assert len(run.stderr.strip().splitlines()) == 1, run.stderr


def sweep(
    args: list[str],
    cwd: Path,
    env: dict[str, str],
    reset: Callable[[], None],
    check: Callable[[Run], None],
) -> list[Run]:
    """The reference run, then one run per kill point; ``check`` after each."""
    reset()
    t0 = time.monotonic()
    reference = run_killed(args, cwd, env, 0, None)
    total = time.monotonic() - t0
    assert reference.returncode == 0, reference.stderr
    check(reference)
    runs = []
    for at, signum in points(total):
        reset()
        run = run_killed(args, cwd, env, at, signum)
        expect_clean_exit(run)
        check(run)
        runs.append(run)
    return runs


# -- new --force: every owner byte kept ----------------------------------------------

OWNER_FILES = {
    "README.md": b"the team's readme\n",
    "Cargo.toml": b"[package]\nname = 'theirs'\n",
    "notes/plan.txt": b"keep me\n",
    "crates": b"a file where the template has a directory\n",
    "pyproject.toml/inside": b"a directory where the template has a file\n",
}


def owner_bytes_kept(dst: Path) -> None:
    backups = sorted(dst.glob(".rustml-backup-*")) if dst.is_dir() else []
    for rel, content in OWNER_FILES.items():
        places = [dst / rel, *(b / rel for b in backups)]
        assert any(p.is_file() and p.read_bytes() == content for p in places), (rel, backups)


@pytest.mark.render
def test_force_interrupted_anywhere_loses_nothing(outside_tmp: Path) -> None:
    parent = outside_tmp / "work"
    dst = parent / "demo"
    env = dict(os.environ)
    complete: set[str] = set()

    def reset() -> None:
        shutil.rmtree(dst, ignore_errors=True)
        for rel, content in OWNER_FILES.items():
            (dst / rel).parent.mkdir(parents=True, exist_ok=True)
            (dst / rel).write_bytes(content)

    def check(run: Run) -> None:
        owner_bytes_kept(dst)
        rendered = {r for r in file_bytes(dst) if not r.startswith(".rustml-backup-")}
        if not complete:
            complete.update(rendered)
        if run.signum != signal.SIGKILL:
            # Held-back signals: the placement happened entirely or not at all.
            assert rendered in (complete, set(OWNER_FILES)), sorted(rendered ^ complete)[:5]
            assert run.left(parent) == []

    args = ["new", str(dst), "--defaults", "--no-lock", "--force", "--no-preset"]
    runs = sweep(args, parent, env, reset, check)
    # What the SIGKILLed runs left beside the destination goes with the next run.
    rustml_cli("new", str(parent / "next"), "--defaults", "--no-lock")
    assert sorted(p.name for p in parent.iterdir()) == ["demo", "next"]
    assert {r.returncode for r in runs} & {129, 130, 143}, "no run was interrupted midway"


# -- new with vendoring: absent or complete, no orphaned cargo -----------------------


@pytest.mark.e2e
def test_new_with_vendoring_interrupted_anywhere_is_absent_or_complete(
    outside_tmp: Path,
) -> None:
    parent = outside_tmp / "work"
    parent.mkdir()
    dst = parent / "demo"
    env = dict(os.environ)
    complete: set[str] = set()

    def reset() -> None:
        shutil.rmtree(dst, ignore_errors=True)

    def check(run: Run) -> None:
        no_orphans(str(parent))
        if dst.exists():
            listed = set(file_bytes(dst))
            if not complete:
                complete.update(listed)
            assert listed == complete, sorted(complete ^ listed)[:5]
        if run.signum != signal.SIGKILL:
            assert run.left(parent) == []

    args = ["new", str(dst), "--defaults", "--data", "vendor=true", "--no-preset"]
    runs = sweep(args, parent, env, reset, check)
    assert complete, "the reference run produced nothing"
    # The staging directories of SIGKILLed runs are never reported as projects, and
    # the next run removes them.
    listed = rustml_cli("check", "-r", str(parent), "--format", "json")
    assert ".rustml-staging-" not in listed.stdout + listed.stderr
    if not dst.exists():
        assert "no rustml project found" in listed.stderr
    rustml_cli("new", str(parent / "next"), "--defaults", "--no-lock")
    expected = ["demo", "next"] if dst.exists() else ["next"]
    assert sorted(p.name for p in parent.iterdir()) == expected
    assert any(r.returncode in (130, 143, 129) for r in runs), "no run was interrupted midway"


# -- update: as before or entirely updated ---------------------------------------------


@pytest.mark.render
def test_update_interrupted_anywhere_is_all_or_nothing(outside_tmp: Path) -> None:
    history = make_next_template(outside_tmp / "history" / f"v{NEXT_VERSION}")
    project = outside_tmp / "proj"
    subprocess.run(
        [sys.executable, "-m", "rustml", "new", str(project), "--defaults", "--no-lock"],
        check=True, capture_output=True,
    )  # fmt: skip
    commit_all(project, "generated")
    before = file_bytes(project)
    tmpdir = outside_tmp / "tmp"
    tmpdir.mkdir()
    env = {**os.environ, "RUSTML_TEMPLATE_HISTORY": str(history.parent), "TMPDIR": str(tmpdir)}
    after: dict[str, bytes] = {}

    def reset() -> None:
        git(project, "reset", "-q", "--hard")
        git(project, "clean", "-qfd")

    def check(run: Run) -> None:
        no_orphans(str(tmpdir))
        if run.signum == signal.SIGKILL:
            # An update killed while writing left its journal: the next run completes it.
            recover(project)
        now = file_bytes(project)
        if not after:
            after.update(now)
        assert now in (before, after), sorted(set(now) ^ set(after))[:5]
        if run.signum != signal.SIGKILL:
            assert run.left(tmpdir) == []

    sweep(["update", str(project)], project, env, reset, check)
    assert after != before
    reset()
    done = subprocess.run(
        [sys.executable, "-m", "rustml", "update", str(project)], env=env, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert list(tmpdir.iterdir()) == [], "a killed run's temporary directory was not removed"


@pytest.mark.render
def test_update_all_interrupted_leaves_no_worktree_or_empty_branch(outside_tmp: Path) -> None:
    """`update --all` killed midway: every project's checkout untouched, no worktree left,
    and an update branch only where it holds the committed update."""
    history = make_next_template(outside_tmp / "history" / f"v{NEXT_VERSION}")
    fleet = outside_tmp / "fleet"
    for name in ("a", "b", "c"):
        subprocess.run(
            [sys.executable, "-m", "rustml", "new", str(fleet / name), "--defaults", "--no-lock"],
            check=True, capture_output=True,
        )  # fmt: skip
        commit_all(fleet / name, "generated")
    heads = {name: git(fleet / name, "rev-parse", "HEAD") for name in ("a", "b", "c")}
    tmpdir = outside_tmp / "tmp"
    tmpdir.mkdir()
    env = {**os.environ, "RUSTML_TEMPLATE_HISTORY": str(history.parent), "TMPDIR": str(tmpdir)}
    branch = f"rustml/update-v{NEXT_VERSION}"
    for at, signum in [(1.0, signal.SIGTERM), (2.0, signal.SIGINT), (3.0, signal.SIGHUP)]:
        for name in ("a", "b", "c"):  # each round starts without the update branch
            if branch in git(fleet / name, "branch", "--list", branch):
                git(fleet / name, "branch", "-D", branch)
        run = run_killed(["update", "--all", str(fleet)], fleet, env, at, signum)
        expect_clean_exit(run)
        for name in ("a", "b", "c"):
            project = fleet / name
            assert git(project, "rev-parse", "HEAD") == heads[name]
            assert git(project, "status", "--porcelain") == ""
            assert len(git(project, "worktree", "list").splitlines()) == 1
            if branch in git(project, "branch", "--list", branch):
                log = git(project, "log", "--format=%s", "-1", branch)
                assert log.startswith("rustml update"), log
        assert run.left(tmpdir) == []
