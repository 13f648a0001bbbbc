"""The JSON form of every command's result (``--format json``), from one function.

:func:`to_json` turns any result of the API (:class:`~rustml.NewResult`,
:class:`~rustml.UpdateResult`, :class:`~rustml.DiffResult`, :class:`~rustml.BatchReport`,
:class:`~rustml.CheckReport`) into JSON data. Every payload starts with the same envelope
(``schema_version``, ``rustml_version``, ``command``) and matches its command's published
JSON Schema (draft 2020-12): ``_schemas/<command>.json`` beside this module, copied to
docs/schemas/ (check's keeps its address, docs/check-schema.json). ``schema_version``
changes only when a field changes meaning or goes away.
"""

from __future__ import annotations

from functools import singledispatch
from pathlib import Path
from typing import Any

from rustml._batch import BatchReport
from rustml._check import SCHEMA_PATH as CHECK_SCHEMA
from rustml._check import CheckReport, as_json
from rustml._result import NewResult
from rustml._update import DiffResult, UpdateResult
from rustml._version import __version__

__all__ = ["SCHEMAS", "SCHEMA_VERSION", "to_json"]

SCHEMA_VERSION = 1
_HERE = Path(__file__).resolve().parent / "_schemas"
#: Each command's schema.
SCHEMAS: dict[str, Path] = {
    "new": _HERE / "new.json",
    "update": _HERE / "update.json",
    "diff": _HERE / "diff.json",
    "update-all": _HERE / "update-all.json",
    "check": CHECK_SCHEMA,
}


def _envelope(command: str, **fields: Any) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "rustml_version": __version__,
        "command": command,
        **fields,
    }


@singledispatch
def to_json(result: object) -> dict[str, Any]:
    """``result`` as JSON data matching its command's schema (:data:`SCHEMAS`)."""
    raise TypeError(f"no JSON form for {type(result).__name__}")


@to_json.register
def _(result: NewResult) -> dict[str, Any]:
    return _envelope(
        "new",
        path=str(result.path),
        template_version=result.template_version,
        answers=result.spec.as_data(),
        preset=result.preset,
        files=[str(f) for f in result.files],
        lockfile={"generated": result.lockfile.generated, "reason": result.lockfile.reason},
        backups=str(result.backups) if result.backups else None,
        exit_code=0,
        seconds=round(result.seconds, 3),
    )


@to_json.register
def _(result: UpdateResult) -> dict[str, Any]:
    lockfile = result.lockfile
    return _envelope(
        "update",
        path=str(result.path),
        from_version=result.from_version,
        to_version=result.to_version,
        up_to_date=result.up_to_date,
        pretend=result.pretend,
        changed=list(result.changed),
        merged=list(result.merged),
        added=list(result.added),
        removed=list(result.removed),
        conflicts=list(result.conflicts),
        kept=list(result.kept),
        migrations=list(result.migrations),
        lockfile=None
        if lockfile is None
        else {"refreshed": lockfile.generated, "reason": lockfile.reason},
        answers={k: {"from": a, "to": b} for k, (a, b) in result.answers.items()},
        exit_code=result.exit_code,
        seconds=round(result.seconds, 3),
    )


@to_json.register
def _(result: DiffResult) -> dict[str, Any]:
    return _envelope(
        "diff",
        path=str(result.path),
        version=result.version,
        latest=result.latest,
        update_available=result.update_available,
        files=[{"path": f.path, "status": f.status} for f in result.files],
        exit_code=0,
    )


@to_json.register
def _(result: BatchReport) -> dict[str, Any]:
    return _envelope(
        "update-all",
        repos=[
            {
                "path": str(o.path),
                "status": o.status,
                "message": o.message,
                "branch": o.branch,
                "from_version": o.from_version,
                "to_version": o.to_version,
                "conflicts": list(o.conflicts),
            }
            for o in result.outcomes
        ],
        exit_code=result.exit_code,
        seconds=round(result.seconds, 3),
    )


@to_json.register
def _(result: CheckReport) -> dict[str, Any]:
    return as_json(result)
