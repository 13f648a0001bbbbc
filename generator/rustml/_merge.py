"""The 3-way merge of ``rustml update``: what to do with each file, decided once.

Given the project's files, a render of the template version it came from (*old*) and one
of the version it goes to (*new*), :func:`plan_merge` decides per file (the decision
table is in its body and in tests/test_update_plan.py); :func:`apply_plan` writes the
decision all or nothing.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from rustml._process import run_bytes
from rustml._result import ConflictMode
from rustml._transaction import write_all
from rustml.errors import RenderError, UpdateRefusedError

__all__ = ["LISTED", "Plan", "apply_plan", "plan_merge", "read_bytes", "refuse_orphaned_crates"]

#: How many file names a one-line message lists before "and N more".
LISTED = 5

#: Conflict marker labels, as copier writes them: the owners' side, the base, the template's.
MERGE_LABELS = ("-L", "before updating", "-L", "last update", "-L", "after updating")


@dataclass
class Plan:
    writes: dict[str, tuple[bytes, int]] = field(default_factory=dict)
    deletes: list[str] = field(default_factory=list)
    rejects: dict[str, str] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def read_bytes(path: Path | None) -> bytes | None:
    return path.read_bytes() if path is not None else None


def merge_text(mine: bytes, base: bytes, theirs: bytes, work: Path) -> tuple[bytes, bool]:
    """3-way merge of one file; returns the result and whether it has conflicts."""
    sides = []
    for name, content in (("mine", mine), ("base", base), ("theirs", theirs)):
        path = work / name
        path.write_bytes(content)
        sides.append(str(path))
    result = run_bytes(["git", "merge-file", "-p", *MERGE_LABELS, *sides])
    if result.returncode < 0 or result.returncode > 127:  # noqa: PLR2004  (git's error range)
        raise RenderError(f"git merge-file failed: {result.stderr.decode(errors='replace')}")
    return result.stdout, result.returncode > 0


def reject_text(rel: str, base: bytes, theirs: bytes) -> str:
    """The template's change to ``rel`` as a unified diff, for a ``.rej`` file."""
    return "".join(
        difflib.unified_diff(
            base.decode(errors="replace").splitlines(keepends=True),
            theirs.decode(errors="replace").splitlines(keepends=True),
            fromfile=f"a/{rel}",
            tofile=f"b/{rel}",
        )
    )


def plan_merge(  # noqa: C901, PLR0912  (one decision table, kept in one place)
    project: dict[str, Path],
    old: dict[str, Path],
    new: dict[str, Path],
    *,
    skip_if_exists: set[str],
    answers_file: str,
    mode: ConflictMode,
    work: Path,
) -> Plan:
    plan = Plan()
    for rel in sorted(set(old) | set(new)):
        if rel == answers_file:
            continue
        o, n, u = read_bytes(old.get(rel)), read_bytes(new.get(rel)), read_bytes(project.get(rel))
        if o == n:
            continue  # the template did not change it: whatever the owners have stays
        new_mode = new[rel].stat().st_mode & 0o777 if rel in new else 0o644
        if n is None:  # the template removed it
            if u is None:
                continue
            if u == o:
                plan.deletes.append(rel)
                plan.removed.append(rel)
            else:
                plan.kept.append(rel)
            continue
        if u is None:
            if o is None:  # a new template file
                plan.writes[rel] = (n, new_mode)
                plan.added.append(rel)
            else:  # the owners deleted it: stays deleted
                plan.kept.append(rel)
            continue
        if u in (o, n):
            if u != n:
                plan.writes[rel] = (n, project[rel].stat().st_mode & 0o777)
                plan.changed.append(rel)
            continue
        if rel in skip_if_exists:
            plan.kept.append(rel)
            continue
        file_mode = project[rel].stat().st_mode & 0o777
        merged, conflicted = merge_text(u, o or b"", n, work)
        if not conflicted:
            plan.writes[rel] = (merged, file_mode)
            plan.merged.append(rel)
        elif mode == "inline":
            plan.writes[rel] = (merged, file_mode)
            plan.conflicts.append(rel)
        else:
            plan.rejects[rel] = reject_text(rel, o or b"", n)
            plan.conflicts.append(rel)
    return plan


def refuse_orphaned_crates(plan: Plan, files: set[str]) -> None:
    """Refuse a plan that deletes a crate's manifest but leaves files of the crate.

    That happens when a target is removed (``--data targets=[cpu]``) after its owners
    edited or added files in its crate: the edited files are kept, the template's
    ``Cargo.toml`` goes, and the workspace's ``crates/*`` no longer loads. Keeping the
    crate whole would not help (the root manifest no longer declares its workspace
    dependencies), and deleting the owners' edits would lose them, so: refuse, name them.

    Raises:
        UpdateRefusedError: with the crate and the files that keep it (nothing changed).
    """
    deleted = set(plan.deletes)
    for manifest in sorted(rel for rel in deleted if PurePosixPath(rel).name == "Cargo.toml"):
        crate = PurePosixPath(manifest).parent
        left = sorted(rel for rel in files - deleted if PurePosixPath(rel).is_relative_to(crate))
        if left:
            shown = ", ".join(left[:LISTED]) + (
                f" and {len(left) - LISTED} more" if len(left) > LISTED else ""
            )
            raise UpdateRefusedError(
                f"this update removes {crate} (its Cargo.toml goes), but the owners edited "
                f"or added files in it: {shown}; move them out or delete {crate} yourself, "
                "commit, and run the update again (nothing was changed)"
            )


def apply_plan(plan: Plan, root: Path, extra: dict[str, bytes] | None = None) -> None:
    """Write the plan (and ``extra`` files, e.g. the answers file) all or nothing.

    Raises:
        RenderError: a file could not be written (nothing changed).
    """
    writes = dict(plan.writes)
    for rel, content in (extra or {}).items():
        writes[rel] = (content, _mode_of(root / rel))
    for rel, text in plan.rejects.items():
        writes[f"{rel}.rej"] = (text.encode(), 0o644)
    write_all(root, writes, plan.deletes)


def _mode_of(path: Path) -> int:
    return path.stat().st_mode & 0o777 if path.is_file() else 0o644
