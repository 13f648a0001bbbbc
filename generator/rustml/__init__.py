"""rustml: generate, update and standardise hybrid Python/Rust ML repositories.

The API mirrors the CLI: ``rustml.new(path, data={...})`` is ``rustml new PATH --data ...``.
"""

from __future__ import annotations

from rustml._api import diff, new, update
from rustml._history import TemplateHistory, Version
from rustml._names import ProjectNames, normalise_project_name
from rustml._result import LockfileStatus, NewResult
from rustml._spec import ProjectSpec
from rustml._update import DiffResult, FileDiff, UpdateResult
from rustml._version import __version__

__all__ = [
    "DiffResult",
    "FileDiff",
    "LockfileStatus",
    "NewResult",
    "ProjectNames",
    "ProjectSpec",
    "TemplateHistory",
    "UpdateResult",
    "Version",
    "__version__",
    "diff",
    "new",
    "normalise_project_name",
    "update",
]


def __dir__() -> list[str]:
    return __all__
