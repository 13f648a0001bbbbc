"""Results returned by the API; the CLI renders them (as text or JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rustml._names import ProjectNames
from rustml._spec import ProjectSpec

__all__ = ["LockfileStatus", "NewResult"]


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
