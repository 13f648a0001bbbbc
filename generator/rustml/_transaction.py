"""Writing a set of file changes into a project all or nothing.

``rustml update`` computes everything in a private copy and then changes the project in
one step, :func:`write_all`:

1. every new content goes to a temporary file beside its target (``.<name>.rustml-tmp``);
   an error or an interrupt here removes them again and the project is untouched;
2. a journal (``.rustml-journal.json`` in the project) records the renames and deletes
   still to do;
3. with termination signals held back, the temporary files are renamed over their
   targets and the deleted files removed; an OS error here puts every file back from
   memory; then the journal goes.

A process killed outright during step 3 (SIGKILL, power cut) leaves the journal; the next
``rustml update`` finds it and completes the step (:func:`recover`) before anything else,
so the project ends up entirely updated, never half.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rustml._signals import deferred
from rustml.errors import RenderError

__all__ = ["JOURNAL", "recover", "write_all"]

JOURNAL = ".rustml-journal.json"
_TMP_SUFFIX = ".rustml-tmp"


def write_all(root: Path, writes: dict[str, tuple[bytes, int]], deletes: list[str]) -> None:
    """Write ``writes`` (path -> content, mode) and delete ``deletes`` under ``root``.

    Raises:
        RenderError: a file could not be written; nothing was changed.
    """
    staged: list[tuple[Path, Path]] = []
    made: list[Path] = []
    try:
        for rel, (content, mode) in writes.items():
            target = _inside(root, rel)
            _mkdirs(target.parent, made)
            tmp = target.with_name(f".{target.name}{_TMP_SUFFIX}")
            staged.append((tmp, target))
            tmp.write_bytes(content)
            tmp.chmod(mode)
        journal = {
            "renames": [[_rel(root, t), _rel(root, d)] for t, d in staged],
            "deletes": sorted(deletes),
        }
        _write_journal(root, journal)
    except BaseException as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        for directory in reversed(made):
            _rmdir_quietly(directory)
        if isinstance(exc, OSError):
            raise RenderError(
                f"cannot write {exc.filename}: {exc.strerror}; nothing was changed"
            ) from None
        raise
    with deferred():
        _commit(root, staged, [root / rel for rel in deletes], made)


def recover(root: Path) -> bool:
    """Complete a :func:`write_all` that a killed process left half done.

    Returns whether there was one to complete.
    """
    path = root / JOURNAL
    if not path.is_file():
        return False
    journal = json.loads(path.read_text(encoding="utf-8"))
    with deferred():
        for tmp_rel, target_rel in journal.get("renames", []):
            tmp = _inside(root, tmp_rel)
            if tmp.is_file():
                tmp.replace(_inside(root, target_rel))
        for rel in journal.get("deletes", []):
            doomed = _inside(root, rel)
            doomed.unlink(missing_ok=True)
            _prune(doomed.parent, root)
        path.unlink()
    return True


def _commit(
    root: Path, staged: list[tuple[Path, Path]], deletes: list[Path], made: list[Path]
) -> None:
    before: dict[Path, bytes | None] = {}
    try:
        for path in [t for _, t in staged] + deletes:
            before[path] = path.read_bytes() if path.is_file() else None
        for tmp, target in staged:
            tmp.replace(target)
        for path in deletes:
            path.unlink(missing_ok=True)
            _prune(path.parent, root)
        (root / JOURNAL).unlink()
    except OSError as exc:
        for path, content in before.items():
            if content is None:
                path.unlink(missing_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        for directory in reversed(made):
            _rmdir_quietly(directory)
        (root / JOURNAL).unlink(missing_ok=True)
        raise RenderError(
            f"cannot update {exc.filename}: {exc.strerror}; nothing was changed"
        ) from None


def _write_journal(root: Path, journal: dict[str, Any]) -> None:
    tmp = root / f"{JOURNAL}{_TMP_SUFFIX}"
    tmp.write_text(json.dumps(journal), encoding="utf-8")
    tmp.replace(root / JOURNAL)


def _inside(root: Path, rel: str) -> Path:
    path = root / rel
    if not path.resolve().is_relative_to(root.resolve()):
        raise OSError(f"{rel} is outside {root}")
    return path


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _mkdirs(directory: Path, made: list[Path]) -> None:
    missing = []
    for path in (directory, *directory.parents):
        if path.exists():
            break
        missing.append(path)
    for path in reversed(missing):
        path.mkdir()
        made.append(path)


def _prune(directory: Path, root: Path) -> None:
    """Remove ``directory`` and its parents up to ``root`` while they are empty."""
    while directory != root and directory.is_dir() and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent


def _rmdir_quietly(directory: Path) -> None:
    try:
        directory.rmdir()
    except OSError:
        return
