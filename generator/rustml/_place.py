"""Moving a finished render into place without losing anything the user had.

A project is rendered into a staging directory beside the destination (same file system,
so the final step is a rename) and only moved into place once complete. With ``force`` the
render is merged into an existing directory, all or nothing:

1. the whole placement is planned first: every owner file the render replaces, every
   owner file that sits where the render needs a directory, and every owner directory
   that sits where the render needs a file, is found before anything moves;
2. each of those is moved (whole) into a backup directory that no other run uses
   (created exclusively, never reused or overwritten), then the rendered file is moved
   in; every move is journaled;
3. if any move fails, the journal is played backwards: the destination is left
   byte-identical to how it was.

Termination signals are held back while the moves run (:func:`rustml._signals.deferred`).
If the process is killed outright (SIGKILL, power cut), every owner file is still either
in place or in the backup directory, and the staging directory, whose name carries the
process id, is removed by the next run that sees it.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rustml._signals import deferred
from rustml.errors import DestinationError

__all__ = [
    "BACKUP_PREFIX",
    "STAGING_MARK",
    "Placement",
    "check_destination",
    "is_rustml_scratch",
    "place",
    "plan_placement",
    "remove_stale_scratch",
    "staging_dir",
]

BACKUP_PREFIX = ".rustml-backup-"
#: In the name of every staging directory: ``.<name>.rustml-staging-<pid>-<random>``.
STAGING_MARK = ".rustml-staging-"
#: Paths longer than this are shortened in messages.
_SHORT = 80


def is_rustml_scratch(name: str) -> bool:
    """Whether a directory name is one of rustml's staging or backup directories."""
    return STAGING_MARK in name or name.startswith(BACKUP_PREFIX)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_scratch(directory: Path, marker: str) -> list[Path]:
    """Remove ``*<marker><pid>-*`` directories in ``directory`` whose process is gone.

    What a killed run (SIGKILL, power cut) left behind; a live run's directory is kept.
    Returns what was removed.
    """
    removed: list[Path] = []
    try:
        entries = list(directory.iterdir())
    except OSError:
        return removed
    for entry in entries:
        _, sep, tail = entry.name.partition(marker)
        pid = tail.split("-", 1)[0]
        if not sep or not pid.isdigit() or not entry.is_dir() or entry.is_symlink():
            continue
        if int(pid) != os.getpid() and not _pid_alive(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def check_destination(dst: Path, *, force: bool) -> None:
    """Refuse a destination that cannot receive a project.

    Raises:
        DestinationError: ``dst`` is a file, a non-empty directory without ``force``,
            or a path the operating system refuses (name too long, not writable).
    """
    for part in dst.parts:
        if len(os.fsencode(part)) > _name_max(dst):
            raise DestinationError(
                f"destination {_short(dst)}: the name '{_short(Path(part))}' is longer than "
                f"the file system allows ({_name_max(dst)} bytes)"
            )
    try:
        if dst.is_symlink() and not dst.exists():
            raise DestinationError(f"destination {dst} is a broken symbolic link")
        if dst.exists() and not dst.is_dir():
            raise DestinationError(f"destination {dst} exists and is not a directory")
        if dst.is_dir() and any(dst.iterdir()) and not force:
            raise DestinationError(
                f"destination {dst} is not empty; use --force to render into it "
                "(files it replaces are backed up)",
            )
    except OSError as exc:
        raise DestinationError(f"destination {dst}: {_reason(exc)}") from None
    existing = next((p for p in (dst, *dst.parents) if _exists(p)), None)
    if existing is not None and existing.is_dir() and not os.access(existing, os.W_OK | os.X_OK):
        raise DestinationError(f"destination {dst}: {existing} is not writable")


def _exists(path: Path) -> bool:
    """``path.exists()``, False where the OS refuses the name itself (too long, ...)."""
    try:
        return path.exists()
    except OSError:
        return False


def _name_max(path: Path) -> int:
    existing = next((p for p in (path, *path.parents) if _exists(p)), Path("/"))
    try:
        return os.pathconf(existing, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def _short(path: Path) -> str:
    text = str(path)
    return text if len(text) <= _SHORT else f"{text[:40]}...{text[-30:]}"


def _reason(exc: OSError) -> str:
    """An OS error as the user reads it: what failed, on which path."""
    what = exc.strerror or type(exc).__name__
    where = f" ({_short(Path(exc.filename))})" if exc.filename else ""
    return f"{what}{where}"


@contextmanager
def staging_dir(dst: Path) -> Iterator[Path]:
    """Yield ``<tmp>/<dst.name>`` in a staging directory beside ``dst``; always removed.

    Staging directories of runs that were killed (their process is gone) are removed
    first. Parent directories created for it are removed again if nothing gets placed.

    Raises:
        DestinationError: the parent directory cannot be created or written.
    """
    created: list[Path] = []
    parent = dst.parent
    while not parent.exists():
        created.append(parent)
        parent = parent.parent
    tmp: Path | None = None
    try:
        try:
            # Held back while the directory is made, so that a signal cannot land between
            # its creation and the cleanup that owns it.
            with deferred():
                dst.parent.mkdir(parents=True, exist_ok=True)
                remove_stale_scratch(dst.parent, STAGING_MARK)
                prefix = f".{dst.name[:100]}{STAGING_MARK}{os.getpid()}-"
                tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=dst.parent))
        except OSError as exc:
            raise DestinationError(f"cannot write beside {dst}: {_reason(exc)}") from None
        yield tmp / dst.name
    finally:
        # Held back: a signal must not cut the cleanup itself short.
        with deferred():
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
            _remove_created(created, dst)


def _remove_created(created: list[Path], dst: Path) -> None:
    for path in created:  # innermost first
        if path.exists() and not dst.exists():
            try:
                path.rmdir()
            except OSError:
                break


@dataclass(frozen=True)
class Placement:
    """What placing a render into an existing directory moves, decided before anything does."""

    files: tuple[str, ...]
    """Every rendered file (relative path), in the order they are moved in."""
    backups: tuple[str, ...]
    """Owner entries moved whole into the backup directory first: files the render
    replaces, and files or directories in the way of the render's directories or files."""
    unchanged: tuple[str, ...] = field(default=())
    """Owner files already identical to the rendered ones (left alone)."""


def plan_placement(rendered: Path, dst: Path) -> Placement:
    """Plan how ``rendered`` goes into ``dst``: which owner entries must be backed up.

    Raises:
        DestinationError: an owner entry cannot be read.
    """
    files: list[str] = []
    backups: set[str] = set()
    unchanged: list[str] = []
    try:
        for src in sorted(p for p in rendered.rglob("*") if not p.is_dir()):
            rel = src.relative_to(rendered)
            files.append(rel.as_posix())
            # An ancestor that exists as a non-directory is in the way of the render.
            blocked = False
            for depth in range(1, len(rel.parts)):
                ancestor = Path(*rel.parts[:depth])
                here = dst / ancestor
                if here.is_symlink() or (here.exists() and not here.is_dir()):
                    backups.add(ancestor.as_posix())
                    blocked = True
                    break
            if blocked:
                continue
            target = dst / rel
            if not target.exists() and not target.is_symlink():
                continue
            if target.is_file() and not target.is_symlink() and _same(target, src):
                unchanged.append(rel.as_posix())
                continue
            backups.add(rel.as_posix())
    except OSError as exc:
        raise DestinationError(f"cannot read {dst}: {_reason(exc)}") from None
    # A path inside an entry that is backed up whole is not moved separately.
    whole = sorted(backups)
    kept = [b for b in whole if not any(b.startswith(f"{o}/") for o in whole)]
    return Placement(files=tuple(files), backups=tuple(kept), unchanged=tuple(unchanged))


def _same(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


def _unique_backup_dir(dst: Path) -> Path:
    """A new backup directory in ``dst``, created exclusively (never an existing one)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(1000):
        candidate = dst / f"{BACKUP_PREFIX}{stamp}{f'-{n}' if n else ''}"
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate
    raise DestinationError(f"cannot create a backup directory in {dst} (1000 already exist)")


def place(rendered: Path, dst: Path) -> Path | None:
    """Move ``rendered`` to ``dst``; return the backup directory if owner files were moved.

    Raises:
        DestinationError: the move failed; ``dst`` is as it was before the call.
    """
    try:
        if not dst.exists():
            with deferred():
                rendered.rename(dst)
            return None
        if not any(dst.iterdir()):
            with deferred():
                dst.rmdir()
                try:
                    rendered.rename(dst)
                except OSError:
                    dst.mkdir()  # as it was: an empty directory
                    raise
            return None
    except OSError as exc:
        raise DestinationError(f"cannot move the project to {dst}: {_reason(exc)}") from None
    plan = plan_placement(rendered, dst)
    with deferred():
        return _merge(rendered, dst, plan)


def _merge(rendered: Path, dst: Path, plan: Placement) -> Path | None:
    """Carry out ``plan``; on any failure undo every step made so far, newest first."""
    # Every step, in order: ("mkdir", path, path) or ("rename", from, to).
    journal: list[tuple[str, Path, Path]] = []
    backup: Path | None = None
    unchanged = set(plan.unchanged)
    try:
        if plan.backups:
            backup = _unique_backup_dir(dst)
            journal.append(("mkdir", backup, backup))
            for rel in plan.backups:
                _move(dst / rel, backup / rel, journal)
        for rel in plan.files:
            if rel not in unchanged:
                _move(rendered / rel, dst / rel, journal)
    except OSError as exc:
        _undo(journal)
        raise DestinationError(
            f"cannot place the project in {dst}: {_reason(exc)}; nothing was changed"
        ) from None
    return backup


def _move(source: Path, target: Path, journal: list[tuple[str, Path, Path]]) -> None:
    """Rename ``source`` to ``target``, creating (and journaling) missing parents first."""
    missing = []
    for path in target.parents:
        if path.exists():
            break
        missing.append(path)
    for path in reversed(missing):
        path.mkdir()
        journal.append(("mkdir", path, path))
    source.rename(target)
    journal.append(("rename", source, target))


def _undo(journal: list[tuple[str, Path, Path]]) -> None:
    """Play the journal backwards: renames reversed, created directories removed."""
    for step, source, target in reversed(journal):
        if step == "mkdir":
            try:
                source.rmdir()
            except OSError:
                continue
            continue
        try:
            target.rename(source)
        except OSError as exc:
            if exc.errno != errno.ENOENT:
                raise
