"""rustml: generate, update and standardise hybrid Python/Rust ML repositories.

The API mirrors the CLI: ``rustml.new(path, data={...})`` is ``rustml new PATH --data ...``.
"""

from __future__ import annotations

from rustml._api import diff, new, update
from rustml._batch import BatchOutcome, update_all
from rustml._check import CheckReport, Finding, RepoReport, check
from rustml._history import TemplateHistory, Version
from rustml._names import ProjectNames, normalise_project_name
from rustml._preset import Preset, load_preset
from rustml._result import LockfileStatus, NewResult
from rustml._spec import ProjectSpec
from rustml._update import DiffResult, FileDiff, UpdateResult
from rustml._version import __version__

__all__ = [
    "BatchOutcome",
    "CheckReport",
    "DiffResult",
    "FileDiff",
    "Finding",
    "LockfileStatus",
    "NewResult",
    "Preset",
    "ProjectNames",
    "ProjectSpec",
    "RepoReport",
    "TemplateHistory",
    "UpdateResult",
    "Version",
    "__version__",
    "check",
    "diff",
    "load_preset",
    "new",
    "normalise_project_name",
    "update",
    "update_all",
]


def __dir__() -> list[str]:
    return __all__
