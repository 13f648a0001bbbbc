"""Results returned by the API; the CLI renders them (as text or JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from rustml._history import Version
from rustml._names import ProjectNames
from rustml._spec import ProjectSpec
from rustml.errors import EXIT_FAILURE, EXIT_OK

__all__ = ["ConflictMode", "DiffResult", "FileDiff", "LockfileStatus", "NewResult", "UpdateResult"]

#: How ``update`` leaves conflicts: inline markers, or ``.rej`` files beside the files.
ConflictMode = Literal["inline", "rej"]


@dataclass(frozen=True)
class LockfileStatus:
    """Whether ``Cargo.lock`` was generated, and why not when it was not."""

    generated: bool
    reason: str = ""
    attempted: bool = True


@dataclass(frozen=True)
class NewResult:
    """What :func:`rustml.new` produced."""

    path: Path
    spec: ProjectSpec
    names: ProjectNames
    files: tuple[Path, ...]
    """Files written, relative to ``path``."""
    lockfile: LockfileStatus
    template_version: str
    seconds: float
    backups: Path | None = None
    """Where files that ``force`` replaced were moved (None when nothing was replaced)."""
    warnings: tuple[str, ...] = field(default=())
    preset: str | None = None
    """The org preset's name, when one was applied (recorded in the project)."""


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
