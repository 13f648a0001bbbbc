"""Writing a set of file changes into a project all or nothing.

``rustml update`` computes everything in a private copy and then changes the project in
one step, :func:`write_all`:

1. a journal (``.rustml-journal.json`` in the project) is written in state ``staging``:
   the temporary files and directories about to be made;
2. every new content goes to a temporary file beside its target (``.<name>.rustml-tmp``);
   an error or an interrupt here removes them again and the project is untouched;
3. the journal moves to state ``commit``: the renames and deletes still to do;
4. with termination signals held back, the temporary files are renamed over their
   targets and the deleted files removed; an OS error here puts every file back from
   memory; then the journal goes.

A process killed outright (SIGKILL, power cut) leaves the journal; the next
``rustml update`` finds it before anything else (:func:`recover`): a ``staging`` journal
is rolled back (the temporary files and new directories go, the project is as before), a
``commit`` journal is completed, so the project ends up entirely updated or untouched,
never half.
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
    staged = [(_temp_for(target), target) for target in (_inside(root, r) for r in writes)]
    made = _missing_dirs(root, [target.parent for _, target in staged])
    journal: dict[str, Any] = {
        "renames": [[_rel(root, t), _rel(root, d)] for t, d in staged],
        "deletes": sorted(deletes),
        "made": [_rel(root, d) for d in made],
    }
    try:
        _write_journal(root, {**journal, "state": "staging"})
        for directory in made:
            directory.mkdir()
        for (tmp, _), (content, mode) in zip(staged, writes.values(), strict=True):
            tmp.write_bytes(content)
            tmp.chmod(mode)
        _write_journal(root, {**journal, "state": "commit"})
    except BaseException as exc:
        _roll_back(root, [tmp for tmp, _ in staged], made)
        if isinstance(exc, OSError):
            raise RenderError(
                f"cannot write {exc.filename}: {exc.strerror}; nothing was changed"
            ) from None
        raise
    with deferred():
        _commit(root, staged, [root / rel for rel in deletes], made)


def recover(root: Path) -> bool:
    """Finish what a killed :func:`write_all` left: roll back staging, complete a commit.

    Returns whether there was anything to finish.
    """
    path = root / JOURNAL
    half_written = root / f"{JOURNAL}{_TMP_SUFFIX}"
    if not path.is_file():
        # Killed while writing the first journal: nothing else was touched yet.
        found = half_written.is_file()
        half_written.unlink(missing_ok=True)
        return found
    journal = json.loads(path.read_text(encoding="utf-8"))
    renames = [(_inside(root, t), _inside(root, d)) for t, d in journal.get("renames", [])]
    with deferred():
        if journal.get("state") == "staging":
            made = [_inside(root, rel) for rel in journal.get("made", [])]
            _roll_back(root, [tmp for tmp, _ in renames], made)
            return True
        for tmp, target in renames:
            if tmp.is_file():
                tmp.replace(target)
        for rel in journal.get("deletes", []):
            doomed = _inside(root, rel)
            doomed.unlink(missing_ok=True)
            _prune(doomed.parent, root)
        path.unlink()
        half_written.unlink(missing_ok=True)
    return True


def _roll_back(root: Path, temps: list[Path], made: list[Path]) -> None:
    for tmp in temps:
        tmp.unlink(missing_ok=True)
    for directory in reversed(made):
        _rmdir_quietly(directory)
    (root / JOURNAL).unlink(missing_ok=True)
    (root / f"{JOURNAL}{_TMP_SUFFIX}").unlink(missing_ok=True)


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
        _roll_back(root, [tmp for tmp, _ in staged], made)
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


def _temp_for(target: Path) -> Path:
    return target.with_name(f".{target.name}{_TMP_SUFFIX}")


def _missing_dirs(root: Path, directories: list[Path]) -> list[Path]:
    """The missing directories among ``directories`` and their parents, parents first."""
    missing: list[Path] = []
    for directory in directories:
        chain = []
        for path in (directory, *directory.parents):
            if path == root or path.exists() or path in missing:
                break
            chain.append(path)
        missing.extend(reversed(chain))
    return missing


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
