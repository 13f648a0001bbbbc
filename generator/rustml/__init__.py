"""rustml: generate, update and standardise hybrid Python/Rust ML repositories.

The API mirrors the CLI: ``rustml.new(path, data={...})`` is ``rustml new PATH --data ...``.
Names are imported on first use, so ``import rustml`` (and the CLI's start) stays cheap.
"""

from __future__ import annotations

from rustml._version import __version__

# Not `from typing import TYPE_CHECKING`: this module runs before the CLI can install its
# signal handlers (rustml.__main__), so it imports nothing it does not need at run time.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from rustml._api import diff, new, update
    from rustml._batch import BatchOutcome, BatchReport, update_all
    from rustml._check import CheckReport, Finding, RepoReport, check
    from rustml._history import TemplateHistory, Version
    from rustml._json import to_json
    from rustml._names import ProjectNames, normalise_project_name
    from rustml._preset import Preset, load_preset
    from rustml._result import LockfileStatus, NewResult
    from rustml._spec import ProjectSpec
    from rustml._update import DiffResult, FileDiff, UpdateResult

#: Public name -> the module that defines it.
_WHERE = {
    "BatchOutcome": "rustml._batch",
    "BatchReport": "rustml._batch",
    "CheckReport": "rustml._check",
    "DiffResult": "rustml._update",
    "FileDiff": "rustml._update",
    "Finding": "rustml._check",
    "LockfileStatus": "rustml._result",
    "NewResult": "rustml._result",
    "Preset": "rustml._preset",
    "ProjectNames": "rustml._names",
    "ProjectSpec": "rustml._spec",
    "RepoReport": "rustml._check",
    "TemplateHistory": "rustml._history",
    "UpdateResult": "rustml._update",
    "Version": "rustml._history",
    "check": "rustml._check",
    "diff": "rustml._api",
    "load_preset": "rustml._preset",
    "new": "rustml._api",
    "normalise_project_name": "rustml._names",
    "update": "rustml._api",
    "to_json": "rustml._json",
    "update_all": "rustml._batch",
}

# Every name of _WHERE, and the version.
__all__ = [
    "BatchOutcome",
    "BatchReport",
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
    "to_json",
    "update",
    "update_all",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'rustml' has no attribute {name!r}")
    import importlib  # noqa: PLC0415  (only when a name is first used)

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
