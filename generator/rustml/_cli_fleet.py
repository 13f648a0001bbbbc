"""The fleet commands' printing: ``rustml check`` and ``rustml update --all``.

Parsing lives in :mod:`rustml._cli` with the other commands; the work in
:mod:`rustml._check` and :mod:`rustml._batch`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from rustml._batch import BatchReport, update_all
from rustml._check import RULES, CheckConfig, CheckReport, RepoReport, check
from rustml._console import OutputFormat, err, handle_errors, out
from rustml._json import to_json
from rustml._preset import load_preset
from rustml._template import load_template

__all__ = ["check_command", "print_batch", "run_batch"]


@contextmanager
def _bar(fmt: OutputFormat, label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr for a terminal (silent for JSON or a pipe)."""
    if fmt is OutputFormat.json or not err.is_terminal:
        yield lambda _done, _total: None
        return
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _split(values: list[str] | None) -> tuple[str, ...]:
    return tuple(v.strip().upper() for raw in values or [] for v in raw.split(",") if v.strip())


def check_command(
    paths: list[Path],
    *,
    recursive: bool,
    preset: str | None,
    select: list[str] | None,
    ignore: list[str] | None,
    jobs: int | None,
    verbose: bool,
    fmt: OutputFormat,
) -> None:
    """Run ``rustml check`` and exit with its code (0 clean, 1 findings, 2 unreadable)."""
    with handle_errors():
        loaded = load_preset(preset, load_template()) if preset else None
        config = CheckConfig(select=_split(select), ignore=_split(ignore))
        with _bar(fmt, "checking") as progress:
            report = check(
                paths or [Path()],
                recursive=recursive,
                preset=loaded,
                config=config,
                jobs=jobs,
                progress=progress,
            )
    if fmt is OutputFormat.json:
        out.print_json(json.dumps(to_json(report)))
    elif len(report.repos) == 1 and not recursive:
        _print_repo(report.repos[0])
    else:
        _print_fleet(report, verbose=verbose)
    raise typer.Exit(report.exit_code)


def _print_repo(repo: RepoReport) -> None:
    if repo.error:
        err.print(f"[red]error:[/red] {escape(repo.error)}")
        return
    for finding in repo.findings:
        rule = RULES[finding.rule]
        where = f" {escape(finding.path)}:" if finding.path else ""
        out.print(
            f"[bold]{finding.rule}[/bold] {rule.name}:{where} {escape(finding.message)}"
            f"  [dim]{rule.url}[/dim]"
        )
    version = f"template v{repo.version}" + (f", {repo.behind} behind" if repo.behind else "")
    preset = f", preset {repo.preset}" if repo.preset else ""
    summary = f"{len(repo.findings)} finding(s)" if repo.findings else "clean"
    err.print(f"{escape(str(repo.path))}: {summary} ({version}{escape(preset)})")


def _print_fleet(report: CheckReport, *, verbose: bool) -> None:
    table = Table(title=None, show_edge=False, pad_edge=False)
    for column in ("repo", "version", "behind", "drift", "failed rules"):
        table.add_column(column, justify="right" if column in {"behind", "drift"} else "left")
    for repo in report.repos:
        if repo.error:
            table.add_row(
                escape(str(repo.path)), "-", "-", "-", f"[red]error: {escape(repo.error)}"
            )
            continue
        rules = sorted({f.rule for f in repo.findings})
        table.add_row(
            escape(str(repo.path)),
            repo.version or "?",
            str(repo.behind if repo.behind is not None else "-"),
            str(len(repo.drift)),
            ", ".join(rules) if rules else "[green]clean[/green]",
        )
    out.print(table)
    if verbose:
        for repo in report.repos:
            for finding in repo.findings:
                where = f" {finding.path}:" if finding.path else ""
                out.print(
                    f"{escape(str(repo.path))}: [bold]{finding.rule}[/bold]{escape(where)} "
                    f"{escape(finding.message)}"
                )
    counts = to_json(report)["summary"]
    per_repo = report.seconds / max(1, len(report.repos))
    err.print(
        f"{counts['repos']} repositories: {counts['clean']} clean, "
        f"{counts['with_findings']} with findings ({counts['findings']} findings), "
        f"{counts['errors']} unreadable; {report.seconds:.1f} s ({per_repo:.2f} s per repository)"
    )


def run_batch(directory: Path, *, branch: str | None, fmt: OutputFormat) -> BatchReport:
    """Run ``rustml update --all`` with a progress bar."""
    with handle_errors(), _bar(fmt, "updating") as progress:
        return update_all(
            directory, branch=branch, progress=lambda done, total, _: progress(done, total)
        )


def print_batch(report: BatchReport, fmt: OutputFormat) -> None:
    """Print the per-repository outcomes; exit 1 on conflicts, 2 when any was refused."""
    if fmt is OutputFormat.json:
        out.print_json(json.dumps(to_json(report)))
    else:
        table = Table(show_edge=False, pad_edge=False)
        for column in ("repo", "outcome", "branch", "detail"):
            table.add_column(column)
        colours = {"updated": "green", "up-to-date": "green", "conflicts": "yellow"}
        for o in report.outcomes:
            colour = colours.get(o.status, "red")
            detail = o.message + (f": {', '.join(o.conflicts)}" if o.conflicts else "")
            table.add_row(
                escape(str(o.path)), f"[{colour}]{o.status}", o.branch or "-", escape(detail)
            )
        out.print(table)
    if report.exit_code:
        raise typer.Exit(report.exit_code)
