"""``rustml update`` and ``rustml diff``: a 3-way merge of template versions, offline.

Copier's own ``update`` needs a git-tracked template with version tags at the recorded
``_src_path``; a template that ships inside a wheel is not one (copier issues #2396,
#1305, #335). rustml keeps every released template (:mod:`rustml._history`) and runs the
same algorithm itself, with Copier rendering each side:

1. render the version the project was generated from, with its recorded answers (*old*);
2. render the target version with the (possibly changed) answers (*new*);
3. run the target's ``migrations_between`` for versions in (old, new] with ``_stage == "before"``
   on the project and on *old* (so a renamed file lines up on all three sides);
4. per file: the template did not change it -> keep the project's; the owners did not
   change it -> take the template's; both changed -> ``git merge-file`` (inline conflict
   markers, or the template's hunks that do not apply as ``.rej`` files);
5. write the new answers file, then run the ``_stage == "after"`` migrations.

Everything is computed before anything is written, so a refusal or a failed render leaves
the project untouched; the project must be a clean git checkout, so ``git reset --hard``
always undoes an update.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from rustml._history import TemplateHistory, Version, default_history
from rustml._merge import Plan, apply_plan, plan_merge, read_bytes, refuse_orphaned_crates
from rustml._migrations import Migration, as_git_repo, migrations_between, run_migrations
from rustml._postprocess import refresh_lockfiles
from rustml._preset import RECORD_NAME
from rustml._project import (
    Replayable,
    git,
    open_replayable,
    render_version,
    rendered_files,
    tracked_files,
    workdir,
)
from rustml._render import answers_path
from rustml._result import ConflictMode, DiffResult, FileDiff, LockfileStatus, UpdateResult
from rustml._spec import parse_data_pairs, resolve_answers
from rustml._template import Template, load_template
from rustml._uvlock import SEED, lock_python
from rustml.errors import InvalidAnswerError, InvalidNameError, UpdateRefusedError

__all__ = ["ConflictMode", "DiffResult", "FileDiff", "UpdateResult", "diff", "update"]

Progress = Callable[[str], None]


def _no_progress(_: str) -> None:
    return None


# -- preconditions ------------------------------------------------------------------


@dataclass(frozen=True)
class _Merged:
    """An update carried out in a clone of the project (nothing of the project touched)."""

    tree: Path
    """The clone's copy of the project, updated: what the project becomes."""
    plan: Plan
    migrations: list[Migration]
    ran: list[str]
    lockfile: LockfileStatus | None


def _merge(
    project: Replayable,
    template: Template,
    answers: dict[str, Any],
    old_root: Path,
    new_root: Path,
    target: Version,
    conflict: ConflictMode,
    work: Path,
    progress: Progress,
) -> _Merged:
    """Run the whole update in a clone of the project: migrations, merge, lockfiles.

    The project itself is only written afterwards, in one step (:func:`_sync`), so an
    interrupt or a failure at any point before that leaves it exactly as it was.

    Raises:
        UpdateRefusedError: the update would break the workspace (see
            :func:`refuse_orphaned_crates`).
        RenderError: a migration failed.
    """
    migrations = migrations_between(template, project.version, target, answers)
    tree = _clone(project.root, work / "tree")
    ran: list[str] = []
    if any(m.stage == "before" for m in migrations):
        as_git_repo(old_root)
        run_migrations(migrations, "before", old_root)
        ran += run_migrations(migrations, "before", tree)
    progress("merging")
    answers_rel = answers_path(project.root, template).name
    scratch = work / "merge"
    scratch.mkdir()
    files = tracked_files(tree)
    plan = plan_merge(
        files,
        rendered_files(old_root),
        rendered_files(new_root),
        skip_if_exists=set(template.settings.get("_skip_if_exists", []) or []),
        answers_file=answers_rel,
        mode=conflict,
        work=scratch,
    )
    refuse_orphaned_crates(plan, set(files))
    apply_plan(plan, tree, {answers_rel: (new_root / answers_rel).read_bytes()})
    ran += run_migrations(migrations, "after", tree)
    lockfile = None
    touched = {*plan.changed, *plan.merged, *plan.added, *plan.removed}
    if any(Path(rel).name == "Cargo.toml" for rel in touched):
        progress("bringing Cargo.lock in line with the manifests")
        lockfile = refresh_lockfiles(tree)
    if "pyproject.toml" in touched and (lockfile is None or lockfile.generated):
        # A project from before uv.lock starts from the template's lock; one with a lock
        # keeps its pins (uv only adds what the new pyproject.toml needs).
        progress("bringing uv.lock in line with pyproject.toml")
        python = lock_python(tree, template.root / SEED, offline_first=True)
        lockfile = (
            python
            if python.generated
            else LockfileStatus(generated=False, reason=f"uv.lock: {python.reason}")
        )
    return _Merged(tree, plan, migrations, ran, lockfile)


def _clone(project: Path, into: Path) -> Path:
    """A private copy of the project's committed state (it is clean, so: its files).

    Returns the project's directory in the copy (the project may be a subdirectory of
    its git repository).
    """
    top = Path(git(project, "rev-parse", "--show-toplevel").stdout.strip())
    git(top, "clone", "--quiet", "--shared", "--no-checkout", ".", str(into))
    git(into, "checkout", "--quiet", "--detach", git(top, "rev-parse", "HEAD").stdout.strip())
    return into / project.resolve().relative_to(top.resolve())


def _sync(tree: Path, project: Path) -> None:
    """Make the project's files those of ``tree``, the clone the update ran in.

    The clone started as the project's committed state (the project is clean), so git
    says exactly which paths the update changed there; only those are written or
    deleted, in one step with signals held back: entirely or not at all.
    """
    status = git(tree, "status", "--porcelain", "-z", "--no-renames", "--untracked-files=all")
    changed = _in_tree(tree, [entry[3:] for entry in status.stdout.split("\0") if entry])
    writes: dict[str, tuple[bytes, int]] = {}
    deletes = []
    for rel in changed:
        source = tree / rel
        if source.is_file():
            writes[rel] = (source.read_bytes(), source.stat().st_mode & 0o777)
        elif (project / rel).is_file():
            deletes.append(rel)
    apply_plan(Plan(writes=writes, deletes=deletes), project)


def _stage_like(tree: Path, project: Path) -> None:
    """Stage in the project what the migrations staged in the clone (a `git mv`)."""
    staged = git(tree, "diff", "--cached", "--no-renames", "--name-only", "-z", "--", ".").stdout
    for rel in _in_tree(tree, staged.split("\0")):
        if (project / rel).exists():
            git(project, "add", "--", rel)
        else:
            git(project, "rm", "--cached", "--quiet", "--ignore-unmatch", "--", rel)


def _in_tree(tree: Path, paths: list[str]) -> list[str]:
    """Paths git gave relative to the clone's top, as paths in ``tree``.

    ``tree`` is the project's directory in the clone; paths outside it are left out.
    """
    top = Path(git(tree, "rev-parse", "--show-toplevel").stdout.strip())
    found = []
    for rel_top in filter(None, paths):
        path = top / rel_top
        if path.is_relative_to(tree):
            found.append(path.relative_to(tree).as_posix())
    return found


def _resolve_answers(
    project: Replayable, template: Template, target: Version, overrides: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, tuple[Any, Any]]]:
    """The answers to render ``target`` with, and those that ``overrides`` changed.

    Recorded answers the target still asks are kept, questions new in it take the
    preset's default (if it has one) or the template's.

    Raises:
        PresetError: an override changes a locked answer.
        InvalidAnswerError: an override is not valid.
        UpdateRefusedError: a recorded answer is no longer accepted (named, with its file).
    """
    known = {k: v for k, v in project.recorded.items() if k in template.asked}
    preset_defaults: dict[str, Any] = {}
    preset = project.project.preset
    if preset is not None:
        preset.check_locked(overrides)
        preset_defaults = {**preset.defaults, **preset.locked}
    new_keys = {k: v for k, v in preset_defaults.items() if k not in project.recorded}
    merged = {**new_keys, **known, **overrides}
    try:
        spec = resolve_answers(template, str(merged.get("project_name", "")), merged)
    except (InvalidAnswerError, InvalidNameError) as exc:
        if exc.key is None or exc.key in overrides:
            raise
        answers_file = answers_path(project.root, template)
        raise UpdateRefusedError(
            f"{answers_file}: the recorded {exc.key} is not accepted by template "
            f"{target}: {exc.message}; choose another with --data {exc.key}=...",
            key=exc.key,
        ) from None
    new_answers = spec.as_data()
    changed = {
        k: (project.recorded.get(k), v)
        for k, v in new_answers.items()
        if k in overrides and _normal(project.recorded.get(k)) != _normal(v)
    }
    return new_answers, changed


def update(
    path: str | Path = ".",
    *,
    data: dict[str, Any] | None = None,
    data_pairs: list[str] | None = None,
    conflict: ConflictMode = "inline",
    pretend: bool = False,
    history: TemplateHistory | None = None,
    progress: Progress = _no_progress,
) -> UpdateResult:
    """Bring the project at ``path`` to this rustml's template, keeping the owners' edits.

    ``data``/``data_pairs`` change answers (``targets='[cpu, wasm]'`` adds a target); a
    question new in the target version takes its default. With ``pretend`` nothing is
    written. Conflicts are reported in the result (the CLI exits 1), not raised.

    Raises:
        UpdateRefusedError: not a clean git checkout of a rustml project this rustml can
            replay (nothing changed).
        InvalidAnswerError: a changed answer is not valid.
        RenderError: a template version failed to render or a migration failed.
    """
    start = time.perf_counter()
    history = history or default_history()
    project = open_replayable(path, history, need_clean=True)
    target = history.current
    with workdir() as work:
        progress(f"rendering template {project.version} with the recorded answers")
        _, old_root = render_version(
            history, project.version, project.recorded, work, "old", project.bans
        )
        new_template = load_template(history.materialise(target, work))
        new_answers, changed_answers = _resolve_answers(
            project,
            new_template,
            target,
            {**parse_data_pairs(list(data_pairs or []), new_template), **(data or {})},
        )
        if target == project.version and not changed_answers:
            return UpdateResult(
                path=project.root,
                from_version=str(project.version),
                to_version=str(target),
                conflict_mode=conflict,
                pretend=pretend,
                seconds=time.perf_counter() - start,
            )
        progress(f"rendering template {target}")
        _, new_root = render_version(history, target, new_answers, work, "new", project.bans)
        merged = _merge(
            project, new_template, new_answers, old_root, new_root, target, conflict, work, progress
        )
        if not pretend:
            progress("writing the update")
            _sync(merged.tree, project.root)
            _stage_like(merged.tree, project.root)
    return _result(project, str(target), merged, changed_answers, conflict, pretend, start)


def _result(
    project: Replayable,
    target: str,
    merged: _Merged,
    answers: dict[str, tuple[Any, Any]],
    conflict: ConflictMode,
    pretend: bool,
    start: float,
) -> UpdateResult:
    plan = merged.plan
    return UpdateResult(
        path=project.root,
        from_version=str(project.version),
        to_version=target,
        changed=tuple(plan.changed),
        merged=tuple(plan.merged),
        added=tuple(plan.added),
        removed=tuple(plan.removed),
        conflicts=tuple(plan.conflicts),
        kept=tuple(plan.kept),
        migrations=tuple(merged.ran if not pretend else [m.describe() for m in merged.migrations]),
        answers=answers,
        conflict_mode=conflict,
        pretend=pretend,
        seconds=time.perf_counter() - start,
        lockfile=merged.lockfile if not pretend else None,
    )


def _normal(value: Any) -> Any:
    return list(value) if isinstance(value, (list, tuple)) else value


def diff(path: str | Path = ".", *, history: TemplateHistory | None = None) -> DiffResult:
    """What the owners changed relative to a clean render of their template version.

    The render uses the recorded version and answers; the result also says whether this
    rustml has a newer template.

    Lockfiles and ``vendor/`` are generated, not edits, and are left out.

    Raises:
        UpdateRefusedError: see :func:`update` (a dirty tree is fine here).
        RenderError: the recorded version failed to render.
    """
    history = history or default_history()
    project = open_replayable(path, history, need_clean=False)
    with workdir() as work:
        template, clean = render_version(
            history, project.version, project.recorded, work, "clean", project.bans
        )
        answers_rel = answers_path(project.root, template).name
        ours, theirs = tracked_files(project.root), rendered_files(clean)
        files = []
        for rel in sorted(set(ours) | set(theirs)):
            if rel in {answers_rel, RECORD_NAME}:
                continue
            mine, base = read_bytes(ours.get(rel)), read_bytes(theirs.get(rel))
            if mine == base:
                continue
            status: Literal["modified", "added", "deleted"] = (
                "added" if base is None else "deleted" if mine is None else "modified"
            )
            text = "".join(
                difflib.unified_diff(
                    (base or b"").decode(errors="replace").splitlines(keepends=True),
                    (mine or b"").decode(errors="replace").splitlines(keepends=True),
                    fromfile=f"a/{rel}" if base is not None else "/dev/null",
                    tofile=f"b/{rel}" if mine is not None else "/dev/null",
                )
            )
            files.append(FileDiff(path=rel, status=status, diff=text))
    return DiffResult(
        path=project.root,
        version=str(project.version),
        latest=str(history.current),
        files=tuple(files),
    )
