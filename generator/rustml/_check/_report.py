"""The JSON form of a check report (``rustml check --format json``).

Its shape is documented by ``schema.json`` beside this module (JSON Schema, draft
2020-12); ``schema_version`` changes only when a field changes meaning or goes away.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rustml._check._rules import RULES
from rustml._check._run import CheckReport
from rustml._version import __version__

__all__ = ["SCHEMA_PATH", "SCHEMA_VERSION", "as_json"]

SCHEMA_PATH = Path(__file__).resolve().parent / "schema.json"
SCHEMA_VERSION = 1


def as_json(report: CheckReport) -> dict[str, Any]:
    """The report as JSON data matching :data:`SCHEMA_PATH`."""
    repos = [
        {
            "path": str(repo.path),
            "status": repo.status,
            "error": repo.error,
            "template_version": repo.version,
            "behind": repo.behind,
            "preset": repo.preset,
            "drift": list(repo.drift),
            "findings": [
                {
                    "id": f.rule,
                    "name": RULES[f.rule].name,
                    "family": RULES[f.rule].family,
                    "message": f.message,
                    "path": f.path,
                    "url": RULES[f.rule].url,
                }
                for f in repo.findings
            ],
            "seconds": round(repo.seconds, 3),
        }
        for repo in report.repos
    ]
    return {
        "schema_version": SCHEMA_VERSION,
        "rustml_version": __version__,
        "command": "check",
        "repos": repos,
        "summary": {
            "repos": len(report.repos),
            "clean": sum(r.status == "clean" for r in report.repos),
            "with_findings": sum(r.status == "findings" for r in report.repos),
            "errors": sum(r.status == "error" for r in report.repos),
            "findings": sum(len(r.findings) for r in report.repos),
        },
        "exit_code": report.exit_code,
        "seconds": round(report.seconds, 3),
    }
