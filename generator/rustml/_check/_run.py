"""Run the rules on one repository, or on a fleet in parallel, and collect the reports."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from rustml._check._repo import CheckConfig, Repo, find_projects, open_repo
from rustml._check._rules import RULES, Finding, Rule, drift
from rustml._history import TemplateHistory, default_history
from rustml._preset import Preset
from rustml._project import releases_behind
from rustml.errors import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, CheckError, UserError

__all__ = ["CheckReport", "RepoReport", "check", "check_repo"]


@dataclass(frozen=True)
class RepoReport:
    """The outcome for one repository."""

    path: Path
    version: str | None = None
    behind: int | None = None
    """Releases between the recorded template version and this rustml's."""
    preset: str | None = None
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    """Why the repository could not be checked (then nothing else is set)."""
    seconds: float = 0.0

    @property
    def status(self) -> str:
        """``error``, ``findings`` or ``clean``."""
        return "error" if self.error else "findings" if self.findings else "clean"

    @property
    def drift(self) -> tuple[str, ...]:
        """Files RM103 reported."""
        return tuple(f.path for f in self.findings if f.rule == "RM103" and f.path)


@dataclass(frozen=True)
class CheckReport:
    """The outcome for every repository checked."""

    repos: tuple[RepoReport, ...]
    seconds: float
    rules: tuple[Rule, ...] = field(default=())

    @property
    def exit_code(self) -> int:
        """0 clean, 1 findings, 2 a repository could not be checked."""
        if any(r.error for r in self.repos):
            return EXIT_USAGE
        return EXIT_FAILURE if any(r.findings for r in self.repos) else EXIT_OK


def check_repo(
    path: Path,
    *,
    history: TemplateHistory | None = None,
    preset: Preset | None = None,
    config: CheckConfig | None = None,
) -> RepoReport:
    """Check one project: template version, drift and every enabled rule."""
    start = time.perf_counter()
    history = history or default_history()
    try:
        repo = open_repo(path, history, preset=preset, extra=config)
        findings = run_rules(repo)
    except UserError as exc:
        return RepoReport(path=path.absolute(), error=exc.message)
    except OSError as exc:
        return RepoReport(path=path.absolute(), error=f"{exc.filename or path}: {exc.strerror}")
    version = repo.version
    behind = releases_behind(history, version) if version is not None else None
    return RepoReport(
        path=repo.root,
        version=str(version) if version else None,
        behind=behind,
        preset=repo.preset.name if repo.preset else None,
        findings=tuple(findings),
        seconds=time.perf_counter() - start,
    )


def run_rules(repo: Repo) -> list[Finding]:
    """Every enabled rule, drift last (it skips files other rules reported missing)."""
    findings: list[Finding] = []
    for rule in RULES.values():
        if rule.id == "RM103" or not repo.config.enabled(rule.id):
            continue
        if rule.policy and repo.preset is None:
            continue
        findings.extend(rule.run(repo))
    if repo.config.enabled("RM103"):
        # A file another rule reported as missing is not reported missing again; a file
        # that exists and differs is always drift, so a rule's finding in a file never
        # hides another edit in it (a GPL allowance beside a missing ban in deny.toml).
        missing = {f.path for f in findings if f.path and not (repo.root / f.path).exists()}
        findings.extend(drift(repo, missing))
    return sorted(findings, key=lambda f: (f.rule, f.path or "", f.message))


def _expand(paths: Sequence[Path], *, recursive: bool) -> tuple[list[Path], list[Path]]:
    """The projects to check, and the directories that could not be searched.

    Raises:
        CheckError: ``recursive`` found no project and nothing unreadable.
    """
    if not recursive:
        return list(paths), []
    found: list[Path] = []
    unreadable: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)  # reported as an error by check_repo
            continue
        found.extend(find_projects(path, unreadable))
    if not found and not unreadable:
        where = ", ".join(str(p) for p in paths)
        raise CheckError(f"no rustml project found below {where}")
    return found, unreadable


def check(
    paths: Sequence[Path],
    *,
    recursive: bool = False,
    preset: Preset | None = None,
    config: CheckConfig | None = None,
    history: TemplateHistory | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CheckReport:
    """Check ``paths`` (with ``recursive``, every rustml project below each).

    Repositories are checked in parallel processes (``jobs``, default: CPU count) when
    there are several; ``progress(done, total)`` is called as each finishes.
    """
    start = time.perf_counter()
    targets, unreadable = _expand(paths, recursive=recursive)
    history = history or default_history()
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(targets)))
    reports: list[RepoReport] = []
    if jobs == 1:
        for path in targets:
            reports.append(check_repo(path, history=history, preset=preset, config=config))
            if progress:
                progress(len(reports), len(targets))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures: list[Future[RepoReport]] = [
                pool.submit(check_repo, p, history=history, preset=preset, config=config)
                for p in targets
            ]
            for future in as_completed(futures):
                reports.append(future.result())
                if progress:
                    progress(len(reports), len(targets))
    reports += [RepoReport(path=p, error=f"{p}: directory cannot be listed") for p in unreadable]
    reports.sort(key=lambda r: str(r.path))
    return CheckReport(
        repos=tuple(reports),
        seconds=time.perf_counter() - start,
        rules=tuple(RULES.values()),
    )
