"""What the CLI prints for people: the questions' help, and the summaries of new and update.

(Machine-readable output is :func:`rustml.to_json`'s, one renderer for every command.)
"""

from __future__ import annotations

from rich.markup import escape

from rustml._console import err, out
from rustml._result import NewResult, UpdateResult
from rustml._template import load_template

__all__ = ["print_new", "print_update", "questions_help"]


def questions_help() -> str:
    """Describe every question of the template (keys usable with --data)."""
    lines = ["[bold]Answers[/bold] (use with --data KEY=VALUE or in a --data-file):", ""]
    for key, question in load_template().asked.items():
        parts = [question.help.rstrip(".") + "."]
        if question.choices:
            kind = "A list from" if question.multiselect else "One of"
            parts.append(f"{kind}: {', '.join(question.choices)}.")
        if question.default == "{{ _folder_name }}":
            parts.append("Default: the last component of PATH.")
        elif question.default_is_template:
            parts.append("Default: derived from the project name.")
        elif isinstance(question.default, list):
            parts.append(f"Default: [{', '.join(map(str, question.default))}].")
        elif question.default is not None:
            parts.append(f"Default: {question.default}.")
        detail = " ".join(parts)
        lines.append(f"[bold]{key}[/bold]: {escape(detail)}")
        lines.append("")
    return "\n".join(lines)


def print_new(result: NewResult) -> None:
    spec, names = result.spec, result.names
    out.print(
        f"[green]Created[/green] {escape(spec.project_name)} at {escape(str(result.path))} "
        f"({len(result.files)} files, {result.seconds:.1f} s, template v{result.template_version})",
    )
    if names.normalised or spec.package_name != names.package:
        out.print(
            f"  names: project '{escape(spec.project_name)}' -> Python package "
            f"'{spec.package_name}', crates '{spec.crate_prefix}-core', '{spec.crate_prefix}-py'",
        )
    what, fix = ("Cargo.lock and uv.lock", "cargo generate-lockfile && uv lock")
    if spec.vendor:
        what, fix = ("Cargo.lock, vendor/ and uv.lock", "nox -s vendor && uv lock")
    if result.lockfile.generated:
        out.print(f"  {what}: resolved")
    elif not result.lockfile.attempted:
        out.print(f"  {what}: not generated (--no-lock); run `{fix}` in the project")
    else:
        reason, needs = result.lockfile.reason, "crates.io is reachable"
        if reason.startswith("uv.lock: "):  # Cargo.lock (and vendor/) did resolve
            what, fix, reason = "uv.lock", "uv lock", reason.removeprefix("uv.lock: ")
            needs = "PyPI is reachable and a Python the project supports is installed"
        err.print(
            f"[yellow]warning:[/yellow] {what} not generated "
            f"({escape(reason)}); run `{fix}` in the project when {needs}",
        )
    if result.preset:
        out.print(f"  org preset: {escape(result.preset)} (recorded in .rustml-preset.toml)")
    if result.backups:
        out.print(f"  replaced files were backed up to {escape(str(result.backups))}")
    out.print("\nNext steps:")
    out.print(f"  cd {escape(str(result.path))}")
    out.print("  uv sync --locked && uv run pytest && cargo test --workspace    # or: uv run nox")


def print_update(result: UpdateResult) -> None:
    where = escape(str(result.path))
    if result.up_to_date:
        out.print(f"{where} is up to date (template v{result.to_version}); nothing changed")
        return
    verb = "Would update" if result.pretend else "Updated"
    out.print(
        f"[green]{verb}[/green] {where}: template v{result.from_version} -> "
        f"v{result.to_version} ({result.seconds:.1f} s)",
    )
    for key, (old, new) in result.answers.items():
        out.print(f"  answer {key}: {escape(repr(old))} -> {escape(repr(new))}")
    for label, files in (
        ("changed", result.changed),
        ("merged with your edits", result.merged),
        ("added", result.added),
        ("removed", result.removed),
        ("kept as you have them", result.kept),
    ):
        if files:
            out.print(f"  {label} ({len(files)}): {escape(', '.join(files))}")
    for migration in result.migrations:
        out.print(f"  migration {escape(migration)}")
    _print_outcome(result)


def _print_outcome(result: UpdateResult) -> None:
    """The lockfile line, then conflicts and how to resolve or undo them."""
    if result.lockfile is not None:
        if result.lockfile.generated:
            out.print("  lockfiles: in line with the manifests")
        else:
            err.print(
                f"[yellow]warning:[/yellow] lockfiles not refreshed "
                f"({escape(result.lockfile.reason)}); run `cargo metadata` and `uv lock` "
                "in the project",
            )
    if not result.conflicts:
        if not result.pretend:
            out.print("  review with git diff, then commit")
        return
    how = (
        "conflict markers (<<<<<<< before updating / >>>>>>> after updating)"
        if result.conflict_mode == "inline"
        else "the template's change in a .rej file beside each"
    )
    err.print(
        f"[yellow]conflicts[/yellow] ({len(result.conflicts)}), with {how}: "
        f"{escape(', '.join(result.conflicts))}",
    )
    if not result.pretend:
        err.print(
            "  resolve them, then git add -A && git commit; "
            "or undo the whole update: git reset --hard && git clean -fd",
        )
