"""``rustml update`` and ``rustml diff``: a 3-way merge of template versions, offline.

Copier's own ``update`` needs a git-tracked template with version tags at the recorded
``_src_path``; a template that ships inside a wheel is not one (copier issues #2396,
#1305, #335). rustml keeps every released template (:mod:`rustml._history`) and runs the
same algorithm itself, with Copier rendering each side:

1. render the version the project was generated from, with its recorded answers (*old*);
2. render the target version with the (possibly changed) answers (*new*);
3. run the target's ``_migrations`` for versions in (old, new] with ``_stage == "before"``
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
import shlex
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import jinja2

from rustml._history import TemplateHistory, Version, default_history
from rustml._postprocess import refresh_lockfiles
from rustml._preset import RECORD_NAME, Preset, read_recorded_preset
from rustml._process import run, run_bytes
from rustml._project import (
    git,
    project_root,
    public_answers,
    render_version,
    rendered_files,
    tracked_files,
    workdir,
)
from rustml._render import SRC_PATH, answers_path, read_recorded
from rustml._result import LockfileStatus
from rustml._spec import parse_data_pairs, resolve_answers
from rustml._template import Template, load_template
from rustml._transaction import recover, write_all
from rustml.errors import (
    EXIT_FAILURE,
    EXIT_OK,
    InvalidAnswerError,
    InvalidNameError,
    RenderError,
    UpdateRefusedError,
)

__all__ = ["DiffResult", "FileDiff", "UpdateResult", "diff", "update"]

ConflictMode = Literal["inline", "rej"]
Progress = Callable[[str], None]

#: How many file names a one-line message lists before "and N more".
_LISTED = 5

#: Conflict marker labels, as copier writes them: the owners' side, the base, the template's.
_MERGE_LABELS = ("-L", "before updating", "-L", "last update", "-L", "after updating")


def _no_progress(_: str) -> None:
    return None


@dataclass(frozen=True)
class UpdateResult:
    """What :func:`update` did (or, with ``pretend``, would do)."""

    path: Path
    from_version: str
    to_version: str
    changed: tuple[str, ...] = ()
    """Files the template changed and the owners had not: replaced."""
    merged: tuple[str, ...] = ()
    """Files both changed, merged without conflict."""
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    """Files with conflict markers (inline) or a ``.rej`` file beside them."""
    kept: tuple[str, ...] = ()
    """Template changes not applied: the owners deleted the file, or own it
    (``_skip_if_exists``), or edited a file the template removed."""
    migrations: tuple[str, ...] = ()
    answers: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    """Answers that changed: key -> (old, new)."""
    conflict_mode: ConflictMode = "inline"
    pretend: bool = False
    seconds: float = 0.0
    lockfile: LockfileStatus | None = None
    """Set when a manifest changed and the lockfiles were brought in line."""

    @property
    def exit_code(self) -> int:
        """1 when conflicts are left to resolve, else 0."""
        return EXIT_FAILURE if self.conflicts else EXIT_OK

    @property
    def up_to_date(self) -> bool:
        """Nothing to do: same version, same answers."""
        return self.from_version == self.to_version and not (
            self.changed or self.merged or self.added or self.removed or self.conflicts
        )


@dataclass(frozen=True)
class FileDiff:
    """One file the owners changed relative to a clean render."""

    path: str
    status: Literal["modified", "added", "deleted"]
    diff: str


@dataclass(frozen=True)
class DiffResult:
    """What :func:`diff` found."""

    path: Path
    version: str
    latest: str
    files: tuple[FileDiff, ...]

    @property
    def update_available(self) -> bool:
        """Whether this rustml has a newer template than the project's."""
        return Version.parse(self.latest) > Version.parse(self.version)


# -- preconditions ------------------------------------------------------------------


@dataclass(frozen=True)
class _Project:
    root: Path
    version: Version
    recorded: dict[str, Any]
    """The recorded answers (no ``_`` keys)."""
    preset: Preset | None = None
    """The org preset the project recorded (applied again by update, diff and check)."""

    @property
    def bans(self) -> tuple[str, ...]:
        """Crates the preset adds to deny.toml (part of every render of this project)."""
        return self.preset.policy.deny_bans if self.preset else ()


def _open_project(  # noqa: C901  (one check per refusal, in order)
    path: str | Path, history: TemplateHistory, *, need_clean: bool
) -> _Project:
    """Check that ``path`` is a rustml project this rustml can replay.

    Raises:
        UpdateRefusedError: with the one line that says why not.
    """
    root = Path(path).expanduser().absolute()
    if not root.is_dir():
        raise UpdateRefusedError(f"{root} is not a directory")
    inside = git(root, "rev-parse", "--is-inside-work-tree", check=False)
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise UpdateRefusedError(
            f"{root} is not a git repository; rustml needs git to merge safely "
            "(git init && git add -A && git commit first)",
        )
    root = project_root(root)
    if need_clean:
        # An update killed while it wrote the project is completed first (its journal).
        recover(root)
        status = git(root, "status", "--porcelain", "--untracked-files=normal", "--", ".")
        if status.stdout.strip():
            raise UpdateRefusedError(
                f"{root} has uncommitted changes; commit or stash them first "
                "(an update must be undoable with git reset --hard)",
            )
    answers_file = answers_path(root, load_template())
    if not answers_file.is_file():
        raise UpdateRefusedError(
            f"{root} has no {answers_file.name}; it was not generated by rustml "
            "(or the file was deleted: restore it from git history)",
        )
    recorded = read_recorded(answers_file)
    if str(recorded.get("_src_path", "")) != SRC_PATH:
        source = recorded.get("_src_path")
        if source is None:
            raise UpdateRefusedError(
                f"{answers_file} records no template source (_src_path); it was not "
                "written by rustml: restore it from git history"
            )
        raise UpdateRefusedError(
            f"{answers_file.name} records template {source!r}, not rustml's; "
            "update it with copier update",
        )
    try:
        version = Version.parse(str(recorded.get("_commit", "")))
    except ValueError:
        raise UpdateRefusedError(
            f"{answers_file.name} records no rustml version (_commit: {recorded.get('_commit')!r})",
        ) from None
    if version > history.current:
        raise UpdateRefusedError(
            f"{root} was generated by rustml {version}, newer than this rustml "
            f"({history.current}); upgrade rustml first",
        )
    if version not in history:
        known = ", ".join(str(v) for v in history.versions)
        raise UpdateRefusedError(
            f"this rustml cannot replay template {version} (it has {known}); "
            "update with the rustml release that generated the project first",
        )
    answers = public_answers(recorded)
    preset = read_recorded_preset(root, load_template())
    return _Project(root=root, version=version, recorded=answers, preset=preset)


# -- rendering ----------------------------------------------------------------------


# -- migrations ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Migration:
    version: Version
    stage: Literal["before", "after"]
    command: tuple[str, ...]

    def describe(self) -> str:
        """``<version>: <command>``, as the update's result lists it."""
        return f"{self.version}: {shlex.join(self.command)}"


def _migrations(
    template: Template, old: Version, new: Version, answers: dict[str, Any]
) -> list[_Migration]:
    """The template's ``_migrations`` for versions in (old, new], commands rendered.

    The format is Copier's (``version``, ``command``, ``when: '{{ _stage == "before" }}'``),
    so plain ``copier update`` runs the same ones.
    """
    found = []
    env = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined)  # noqa: S701
    for raw in template.settings.get("_migrations", []) or []:
        if not isinstance(raw, dict) or "version" not in raw:
            continue
        version = Version.parse(str(raw["version"]))
        if not old < version <= new:
            continue
        when = str(raw.get("when", "after"))
        stage: Literal["before", "after"] = "before" if "before" in when else "after"
        command = raw["command"]
        parts = shlex.split(command) if isinstance(command, str) else [str(c) for c in command]
        rendered = tuple(env.from_string(p).render(**answers) for p in parts)
        found.append(_Migration(version=version, stage=stage, command=rendered))
    return sorted(found, key=lambda m: m.version)


def _run_migrations(migrations: list[_Migration], stage: str, where: Path) -> list[str]:
    ran = []
    for migration in migrations:
        if migration.stage != stage:
            continue
        try:
            result = run(list(migration.command), cwd=where)
        except OSError as exc:
            raise RenderError(
                f"migration to {migration.version} cannot start "
                f"({shlex.join(migration.command)}): {exc.strerror}"
            ) from None
        if result.returncode != 0:
            reason = (result.stderr or result.stdout).strip().splitlines()
            raise RenderError(
                f"migration to {migration.version} failed ({shlex.join(migration.command)}): "
                f"{reason[-1] if reason else result.returncode}",
            )
        ran.append(migration.describe())
    return ran


def _as_git_repo(root: Path) -> None:
    """Make a render a git repository, so migrations written as ``git mv`` run there too."""
    for args in (("init", "-q"), ("add", "-A")):
        git(root, *args)


# -- the merge ----------------------------------------------------------------------


@dataclass
class _Plan:
    writes: dict[str, tuple[bytes, int]] = field(default_factory=dict)
    deletes: list[str] = field(default_factory=list)
    rejects: dict[str, str] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def _read(path: Path | None) -> bytes | None:
    return path.read_bytes() if path is not None else None


def _merge_text(mine: bytes, base: bytes, theirs: bytes, work: Path) -> tuple[bytes, bool]:
    """3-way merge of one file; returns the result and whether it has conflicts."""
    sides = []
    for name, content in (("mine", mine), ("base", base), ("theirs", theirs)):
        path = work / name
        path.write_bytes(content)
        sides.append(str(path))
    result = run_bytes(["git", "merge-file", "-p", *_MERGE_LABELS, *sides])
    if result.returncode < 0 or result.returncode > 127:  # noqa: PLR2004  (git's error range)
        raise RenderError(f"git merge-file failed: {result.stderr.decode(errors='replace')}")
    return result.stdout, result.returncode > 0


def _rej(rel: str, base: bytes, theirs: bytes) -> str:
    """The template's change to ``rel`` as a unified diff, for a ``.rej`` file."""
    return "".join(
        difflib.unified_diff(
            base.decode(errors="replace").splitlines(keepends=True),
            theirs.decode(errors="replace").splitlines(keepends=True),
            fromfile=f"a/{rel}",
            tofile=f"b/{rel}",
        )
    )


def _plan(  # noqa: C901, PLR0912  (one decision table, kept in one place)
    project: dict[str, Path],
    old: dict[str, Path],
    new: dict[str, Path],
    *,
    skip_if_exists: set[str],
    answers_file: str,
    mode: ConflictMode,
    work: Path,
) -> _Plan:
    plan = _Plan()
    for rel in sorted(set(old) | set(new)):
        if rel == answers_file:
            continue
        o, n, u = _read(old.get(rel)), _read(new.get(rel)), _read(project.get(rel))
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
        merged, conflicted = _merge_text(u, o or b"", n, work)
        if not conflicted:
            plan.writes[rel] = (merged, file_mode)
            plan.merged.append(rel)
        elif mode == "inline":
            plan.writes[rel] = (merged, file_mode)
            plan.conflicts.append(rel)
        else:
            plan.rejects[rel] = _rej(rel, o or b"", n)
            plan.conflicts.append(rel)
    return plan


def _refuse_orphaned_crates(plan: _Plan, files: set[str]) -> None:
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
            shown = ", ".join(left[:_LISTED]) + (
                f" and {len(left) - _LISTED} more" if len(left) > _LISTED else ""
            )
            raise UpdateRefusedError(
                f"this update removes {crate} (its Cargo.toml goes), but the owners edited "
                f"or added files in it: {shown}; move them out or delete {crate} yourself, "
                "commit, and run the update again (nothing was changed)"
            )


def _apply(plan: _Plan, root: Path, extra: dict[str, bytes] | None = None) -> None:
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


# -- API ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Merged:
    """An update carried out in a clone of the project (nothing of the project touched)."""

    tree: Path
    """The clone's copy of the project, updated: what the project becomes."""
    plan: _Plan
    migrations: list[_Migration]
    ran: list[str]
    lockfile: LockfileStatus | None


def _merge(
    project: _Project,
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
            :func:`_refuse_orphaned_crates`).
        RenderError: a migration failed.
    """
    migrations = _migrations(template, project.version, target, answers)
    tree = _clone(project.root, work / "tree")
    ran: list[str] = []
    if any(m.stage == "before" for m in migrations):
        _as_git_repo(old_root)
        _run_migrations(migrations, "before", old_root)
        ran += _run_migrations(migrations, "before", tree)
    progress("merging")
    answers_rel = answers_path(project.root, template).name
    scratch = work / "merge"
    scratch.mkdir()
    files = tracked_files(tree)
    plan = _plan(
        files,
        rendered_files(old_root),
        rendered_files(new_root),
        skip_if_exists=set(template.settings.get("_skip_if_exists", []) or []),
        answers_file=answers_rel,
        mode=conflict,
        work=scratch,
    )
    _refuse_orphaned_crates(plan, set(files))
    _apply(plan, tree, {answers_rel: (new_root / answers_rel).read_bytes()})
    ran += _run_migrations(migrations, "after", tree)
    lockfile = None
    touched = {*plan.changed, *plan.merged, *plan.added, *plan.removed}
    if any(Path(rel).name == "Cargo.toml" for rel in touched):
        progress("bringing Cargo.lock in line with the manifests")
        lockfile = refresh_lockfiles(tree)
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
    _apply(_Plan(writes=writes, deletes=deletes), project)


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
    project: _Project, template: Template, target: Version, overrides: dict[str, Any]
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
    if project.preset is not None:
        project.preset.check_locked(overrides)
        preset_defaults = {**project.preset.defaults, **project.preset.locked}
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
    project = _open_project(path, history, need_clean=True)
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
        plan = merged.plan
        ran = merged.ran if not pretend else [m.describe() for m in merged.migrations]
        lockfile = merged.lockfile if not pretend else None
    return UpdateResult(
        path=project.root,
        from_version=str(project.version),
        to_version=str(target),
        changed=tuple(plan.changed),
        merged=tuple(plan.merged),
        added=tuple(plan.added),
        removed=tuple(plan.removed),
        conflicts=tuple(plan.conflicts),
        kept=tuple(plan.kept),
        migrations=tuple(ran),
        answers=changed_answers,
        conflict_mode=conflict,
        pretend=pretend,
        seconds=time.perf_counter() - start,
        lockfile=lockfile,
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
    project = _open_project(path, history, need_clean=False)
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
            mine, base = _read(ours.get(rel)), _read(theirs.get(rel))
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
