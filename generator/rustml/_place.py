"""Moving a finished render into place without losing anything the user had.

A project is rendered into a temporary directory beside the destination (same file system,
so the final step is a rename) and only moved into place once complete. With ``force`` the
render is merged into an existing directory; files it would replace are first moved to a
backup directory.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rustml.errors import DestinationError

__all__ = ["check_destination", "place", "staging_dir"]

BACKUP_PREFIX = ".rustml-backup-"


def check_destination(dst: Path, *, force: bool) -> None:
    """Refuse a destination that cannot receive a project.

    Raises:
        DestinationError: ``dst`` is a file, or a non-empty directory without ``force``.
    """
    if dst.is_symlink() and not dst.exists():
        raise DestinationError(f"destination {dst} is a broken symbolic link")
    if dst.exists() and not dst.is_dir():
        raise DestinationError(f"destination {dst} exists and is not a directory")
    if dst.is_dir() and any(dst.iterdir()) and not force:
        raise DestinationError(
            f"destination {dst} is not empty; use --force to render into it "
            "(files it replaces are backed up)",
        )


@contextmanager
def staging_dir(dst: Path) -> Iterator[Path]:
    """Yield ``<tmp>/<dst.name>`` in a temporary directory beside ``dst``; always cleaned up.

    Parent directories created for it are removed again if nothing gets placed.
    """
    created: list[Path] = []
    parent = dst.parent
    while not parent.exists():
        created.append(parent)
        parent = parent.parent
    try:
        dst.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DestinationError(f"cannot create {dst.parent}: {exc.strerror}") from None
    tmp = Path(tempfile.mkdtemp(prefix=f".{dst.name}.rustml-", dir=dst.parent))
    try:
        yield tmp / dst.name
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        for path in created:  # innermost first
            if path.exists() and not dst.exists():
                try:
                    path.rmdir()
                except OSError:
                    break


def place(rendered: Path, dst: Path) -> Path | None:
    """Move ``rendered`` to ``dst``; return the backup directory if files were replaced."""
    if not dst.exists():
        rendered.rename(dst)
        return None
    if not any(dst.iterdir()):
        dst.rmdir()
        rendered.rename(dst)
        return None
    backup = dst / f"{BACKUP_PREFIX}{time.strftime('%Y%m%d-%H%M%S')}"
    replaced = False
    for src in sorted(p for p in rendered.rglob("*") if not p.is_dir()):
        rel = src.relative_to(rendered)
        target = dst / rel
        if target.is_dir() and not target.is_symlink():
            raise DestinationError(f"cannot replace directory {target} with a file")
        if target.exists() or target.is_symlink():
            if target.is_file() and target.read_bytes() == src.read_bytes():
                continue
            saved = backup / rel
            saved.parent.mkdir(parents=True, exist_ok=True)
            target.rename(saved)
            replaced = True
        target.parent.mkdir(parents=True, exist_ok=True)
        src.replace(target)
    return backup if replaced else None
