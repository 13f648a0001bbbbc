"""``rustml update --all DIR``: update every project below DIR, each on a new git branch.

The checked-out branch's files are never touched: each update runs in a temporary git
worktree on a new branch (``rustml/update-v<version>``), is committed there, and the
worktree is removed. Owners review and merge the branch like any other.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rustml._check import find_projects
from rustml._history import TemplateHistory, default_history
from rustml._project import git, workdir
from rustml._signals import deferred
from rustml._update import update
from rustml.errors import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UserError

__all__ = ["BatchOutcome", "BatchReport", "update_all"]

Status = Literal["updated", "up-to-date", "conflicts", "refused"]


@dataclass(frozen=True)
class BatchOutcome:
    """What happened to one project."""

    path: Path
    status: Status
    message: str
    branch: str | None = None
    """The branch holding the update (None when nothing was committed)."""
    from_version: str | None = None
    to_version: str | None = None
    conflicts: tuple[str, ...] = ()


@dataclass(frozen=True)
class BatchReport:
    """What :func:`update_all` did, project by project."""

    outcomes: tuple[BatchOutcome, ...]
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """2 when a project was refused, 1 when one has conflicts to resolve, else 0."""
        if any(o.status == "refused" for o in self.outcomes):
            return EXIT_USAGE
        if any(o.status == "conflicts" for o in self.outcomes):
            return EXIT_FAILURE
        return EXIT_OK


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return git(cwd, *args, check=False)


def update_all(
    directory: str | Path,
    *,
    branch: str | None = None,
    history: TemplateHistory | None = None,
    progress: Callable[[int, int, Path], None] | None = None,
) -> BatchReport:
    """Update every rustml project at or below ``directory`` on a new branch.

    A project that is not a clean git checkout, or whose branch already exists, is
    refused and left exactly as it was.
    """
    start = time.perf_counter()
    history = history or default_history()
    branch = branch or f"rustml/update-v{history.current}"
    projects = find_projects(Path(directory).expanduser().absolute())
    outcomes = []
    for done, project in enumerate(projects):
        if progress:
            progress(done, len(projects), project)
        outcomes.append(_update_one(project, branch, history))
    if progress:
        progress(len(projects), len(projects), Path(directory))
    return BatchReport(tuple(outcomes), seconds=time.perf_counter() - start)


def _update_one(project: Path, branch: str, history: TemplateHistory) -> BatchOutcome:
    top = _git(project, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        return BatchOutcome(project, "refused", "not a git repository")
    toplevel = Path(top.stdout.strip())
    if _git(project, "status", "--porcelain", "--", ".").stdout.strip():
        return BatchOutcome(project, "refused", "uncommitted changes")
    if _git(project, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}").returncode == 0:
        return BatchOutcome(project, "refused", f"branch {branch} already exists")
    if _git(project, "rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
        return BatchOutcome(project, "refused", "no commit yet")
    rel = project.resolve().relative_to(toplevel.resolve())
    # Worktrees of runs that were killed outright point at directories that are gone.
    _git(toplevel, "worktree", "prune")
    with workdir() as tmp:
        tree = tmp / "tree"
        outcome: BatchOutcome | None = None
        try:
            added = _git(toplevel, "worktree", "add", "--quiet", "-b", branch, str(tree), "HEAD")
            if added.returncode != 0:
                outcome = BatchOutcome(project, "refused", f"git worktree: {added.stderr.strip()}")
            else:
                outcome = _update_in(tree, tree / rel, branch, history, project)
        finally:
            # Also on an interrupt (even one during `worktree add`): the worktree goes,
            # and the branch unless it holds a committed update. Signals held back so
            # the cleanup itself runs to its end.
            with deferred():
                _git(toplevel, "worktree", "remove", "--force", str(tree))
                _git(toplevel, "worktree", "prune")
                if outcome is None or outcome.branch is None:
                    _git(toplevel, "branch", "-D", branch)
    return outcome


def _update_in(
    tree: Path, where: Path, branch: str, history: TemplateHistory, project: Path
) -> BatchOutcome:
    try:
        result = update(where, history=history)
    except UserError as exc:
        return BatchOutcome(project, "refused", exc.message)
    versions = (result.from_version, result.to_version)
    if result.up_to_date:
        return BatchOutcome(
            project, "up-to-date", f"already at v{result.to_version}", None, *versions
        )
    _git(tree, "add", "-A")
    title = f"rustml update: template v{result.from_version} -> v{result.to_version}"
    body = (
        f"Conflicts to resolve (markers in the files): {', '.join(result.conflicts)}"
        if result.conflicts
        else "Merged cleanly; review and merge."
    )
    committed = _git(
        tree,
        "-c",
        "user.name=" + (_git(tree, "config", "user.name").stdout.strip() or "rustml"),
        "-c",
        "user.email=" + (_git(tree, "config", "user.email").stdout.strip() or "rustml@localhost"),
        "commit",
        "--quiet",
        "--no-verify",
        "-m",
        title,
        "-m",
        body,
    )
    if committed.returncode != 0:
        return BatchOutcome(project, "refused", f"git commit: {committed.stderr.strip()}")
    if result.conflicts:
        return BatchOutcome(
            project,
            "conflicts",
            f"{len(result.conflicts)} conflict(s) committed on {branch}",
            branch,
            *versions,
            conflicts=result.conflicts,
        )
    return BatchOutcome(project, "updated", f"updated on {branch}", branch, *versions)
