"""rustml's rules as a repo-review plugin (``repo-review`` lists and runs them).

Entry points (pyproject.toml): the fixture ``rustml_repo`` (the project with every rule
already run once), the checks (one per rule, named by its ID) and the families. A
directory that is not a rustml project skips every rustml check; policy rules skip
without an org preset recorded in the project.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rustml._check._repo import Repo, open_repo
from rustml._check._rules import FAMILIES, RULES, Finding, Rule
from rustml._check._run import run_rules
from rustml._history import default_history
from rustml.errors import CheckError

__all__ = ["repo_review_checks", "repo_review_families", "rustml_repo"]


@dataclass(frozen=True)
class Checked:
    """A project and its findings by rule ID (the rules run once per repository)."""

    repo: Repo
    findings: dict[str, list[Finding]]


def rustml_repo(root: Any) -> Checked | None:
    """Fixture: the rustml project at ``root`` with its findings (None: not one)."""
    if not isinstance(root, Path):  # a remote (gh:) repository: drift needs a checkout
        return None
    try:
        repo = open_repo(root, default_history())
    except CheckError:
        return None
    by_rule: dict[str, list[Finding]] = {rule_id: [] for rule_id in RULES}
    for finding in run_rules(repo):
        by_rule[finding.rule].append(finding)
    return Checked(repo, by_rule)


def _family(rule_id: str) -> str:
    return f"rustml-{rule_id[:3].lower()}"


def _check_for(rule: Rule) -> object:
    def check(rustml_repo: Checked | None) -> bool | str | None:
        if rustml_repo is None or (rule.policy and rustml_repo.repo.preset is None):
            return None
        found = rustml_repo.findings[rule.id]
        if not found:
            return True
        return "\n".join(
            f"- `{f.path}`: {f.message}" if f.path else f"- {f.message}" for f in found
        )

    attrs: dict[str, Any] = {
        "family": _family(rule.id),
        "url": rule.url,
        "__doc__": f"{rule.summary} ({rule.name})",
        "check": staticmethod(check),
    }
    return type(rule.id, (), attrs)()


def repo_review_checks() -> dict[str, object]:
    """Entry point ``repo_review.checks``: one check per rule, keyed by its ID."""
    return {rule_id: _check_for(RULES[rule_id]) for rule_id in sorted(RULES)}


def repo_review_families() -> dict[str, dict[str, Any]]:
    """Entry point ``repo_review.families``: the five rule families, in ID order."""
    return {
        _family(prefix): {"name": f"rustml: {name}", "order": 100 + i}
        for i, (prefix, name) in enumerate(FAMILIES.items())
    }
