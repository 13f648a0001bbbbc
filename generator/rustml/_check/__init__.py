"""``rustml check``: template version, drift and org policy, for one repo or a fleet."""

from __future__ import annotations

from rustml._check._repo import CheckConfig, find_projects
from rustml._check._report import SCHEMA_PATH, as_json
from rustml._check._rules import DOCS_URL, FAMILIES, RULES, Finding, Rule
from rustml._check._run import CheckReport, RepoReport, check, check_repo

__all__ = [
    "DOCS_URL",
    "FAMILIES",
    "RULES",
    "SCHEMA_PATH",
    "CheckConfig",
    "CheckReport",
    "Finding",
    "RepoReport",
    "Rule",
    "as_json",
    "check",
    "check_repo",
    "find_projects",
]
