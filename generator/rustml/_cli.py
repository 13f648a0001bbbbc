"""The ``rustml`` command line: parses arguments, prints results, maps errors to exit codes.

All work happens in :mod:`rustml._api`; nothing here decides what gets generated.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from rustml import _api
from rustml._cli_fleet import check_command, print_batch, run_batch
from rustml._cli_output import print_new, print_update, questions_help
from rustml._console import OutputFormat, err, fail, handle_errors, out
from rustml._json import to_json
from rustml._preset import PRESET_ENV, default_preset_source
from rustml._version import __version__
from rustml.errors import EXIT_USAGE

__all__ = ["app", "main"]


app = typer.Typer(
    name="rustml",
    help="Generate, update and standardise hybrid Python/Rust ML repositories.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def _version_callback(value: bool) -> None:
    if value:
        out.print(f"rustml {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version_callback,
            is_eager=True,
            help="Show the version and exit.",
        ),
    ] = False,
) -> None:
    """Generate, update and standardise hybrid Python/Rust ML repositories."""


def _progress(fmt: OutputFormat) -> tuple[Callable[[str], None], Callable[[], None]]:
    """A spinner on stderr for a terminal; silent otherwise."""
    if fmt is OutputFormat.json or not err.is_terminal:
        return (lambda _: None), (lambda: None)
    status = err.status("starting")
    status.start()
    return (lambda step: status.update(f"{step}...")), status.stop


_Force = Annotated[
    bool,
    typer.Option(
        "--force", help="Render into a non-empty directory (replaced files are backed up)."
    ),
]
_Lock = Annotated[
    bool,
    typer.Option(
        "--lock/--no-lock", help="Resolve dependencies into Cargo.lock (needs crates.io)."
    ),
]
_Preset = Annotated[
    str | None,
    typer.Option(
        "--preset",
        metavar="FILE|git+URL[@REF]#PATH",
        help=f"Org preset: default and locked answers, policy (default: ${PRESET_ENV}, "
        "then preset in ~/.config/rustml/config.toml).",
    ),
]


@app.command(epilog=questions_help())
def new(
    path: Annotated[
        str,
        typer.Argument(help="Directory to create; its last component is the default project name."),
    ],
    defaults: Annotated[
        bool,
        typer.Option("--defaults", help="Use defaults for every answer not given; never prompt."),
    ] = False,
    data: Annotated[
        list[str] | None,
        typer.Option("--data", "-d", metavar="KEY=VALUE", help="An answer; repeatable."),
    ] = None,
    data_file: Annotated[
        Path | None,
        typer.Option("--data-file", help="YAML, JSON or TOML file of answers."),
    ] = None,
    force: _Force = False,
    lock: _Lock = True,
    preset: _Preset = None,
    no_preset: Annotated[
        bool, typer.Option("--no-preset", help="Ignore the default preset.")
    ] = False,
    fmt: Annotated[
        OutputFormat,
        typer.Option("--format", help="Output format of the summary."),
    ] = OutputFormat.text,
) -> None:
    """Create a hybrid Python/Rust ML project (Cargo workspace + PyO3/maturin package).

    Prompts for answers on a terminal; with --defaults, or when stdin is not a terminal,
    uses the defaults for anything not given with --data or --data-file.
    """
    interactive = not defaults and sys.stdin.isatty() and fmt is OutputFormat.text
    # While Copier prompts, a spinner would draw over the questions.
    update, stop = _progress(OutputFormat.json if interactive else fmt)
    with handle_errors():
        if preset is None and not no_preset:
            preset = default_preset_source()
        try:
            result = _api.new(
                path,
                data_pairs=data or [],
                data_file=data_file,
                interactive=interactive,
                force=force,
                lockfile=lock,
                preset=preset,
                progress=update,
            )
        finally:
            stop()
    if fmt is OutputFormat.json:
        out.print_json(json.dumps(to_json(result)))
    else:
        print_new(result)


class ConflictStyle(str, Enum):
    """How ``update`` leaves conflicts."""

    inline = "inline"
    rej = "rej"


@app.command()
def update(
    path: Annotated[
        str,
        typer.Argument(help="The project (a clean git checkout); with --all, a directory."),
    ] = ".",
    update_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Update every rustml project below PATH, each on a new git branch "
            "(the checked-out files are never touched).",
        ),
    ] = False,
    branch: Annotated[
        str | None,
        typer.Option("--branch", help="Branch name for --all (default rustml/update-v<version>)."),
    ] = None,
    data: Annotated[
        list[str] | None,
        typer.Option("--data", "-d", metavar="KEY=VALUE", help="Change an answer; repeatable."),
    ] = None,
    conflict: Annotated[
        ConflictStyle,
        typer.Option(
            "--conflict",
            help="Leave conflicts as inline markers, or as .rej files beside the file.",
        ),
    ] = ConflictStyle.inline,
    pretend: Annotated[
        bool, typer.Option("--pretend", help="Show what would change; write nothing.")
    ] = False,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="Output format of the summary.")
    ] = OutputFormat.text,
) -> None:
    """Bring a project to this rustml's template, keeping every edit its owners made.

    Works offline: every released template version ships with rustml. Exit status: 0
    updated or already up to date, 1 conflicts to resolve, 2 refused (nothing changed).
    """
    if update_all:
        if data or pretend:
            fail("--all takes no --data or --pretend (answers are per project)", EXIT_USAGE)
        print_batch(run_batch(Path(path), branch=branch, fmt=fmt), fmt)
        return
    progress, stop = _progress(fmt)
    with handle_errors():
        try:
            result = _api.update(
                path,
                data_pairs=data or [],
                conflict=conflict.value,
                pretend=pretend,
                progress=progress,
            )
        finally:
            stop()
    if fmt is OutputFormat.json:
        out.print_json(json.dumps(to_json(result)))
    else:
        print_update(result)
    if result.exit_code:
        raise typer.Exit(result.exit_code)


@app.command()
def diff(
    path: Annotated[str, typer.Argument(help="The project.")] = ".",
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="Output format.")
    ] = OutputFormat.text,
) -> None:
    """Show what a project changed relative to a clean render of its template.

    The render uses the project's recorded template version and answers; the summary
    line says whether this rustml has a newer template.
    """
    with handle_errors():
        result = _api.diff(path)
    if fmt is OutputFormat.json:
        out.print_json(json.dumps(to_json(result)))
        return
    for file in result.files:
        out.print(escape(file.diff), end="")
    summary = (
        f"{len(result.files)} file(s) differ from template v{result.version}"
        if result.files
        else f"no changes relative to template v{result.version}"
    )
    available = (
        f"; update available: v{result.latest} (rustml update)"
        if result.update_available
        else "; up to date"
    )
    err.print(summary + available)


@app.command()
def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Projects to check (default: the current directory)."),
    ] = None,
    recursive: Annotated[
        bool,
        typer.Option("--recursive", "-r", help="Check every rustml project below each PATH."),
    ] = False,
    preset: Annotated[
        str | None,
        typer.Option(
            "--preset",
            metavar="FILE|git+URL[@REF]#PATH",
            help="Apply this org preset's policy (default: the one each project recorded).",
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="Only these rule IDs or prefixes (RM2 = a family)."),
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Skip these rule IDs or prefixes.")
    ] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Parallel checks (default: CPUs).")
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every finding in fleet mode.")
    ] = False,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="Output format (json: see docs/check.md).")
    ] = OutputFormat.text,
) -> None:
    """Report drift from the template and from the org's policy, for one repo or a fleet.

    For each project: the template version against this rustml's, files that differ from
    a clean render of the recorded version and answers, and the rules RM1xx-RM5xx
    (docs/rules.md). Exit status: 0 clean, 1 findings, 2 a project could not be read.
    """
    check_command(
        list(paths or []),
        recursive=recursive,
        preset=preset,
        select=select,
        ignore=ignore,
        jobs=jobs,
        verbose=verbose,
        fmt=fmt,
    )


def main() -> None:
    """Entry point of the ``rustml`` script."""
    app()
