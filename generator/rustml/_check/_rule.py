"""What a rule of ``rustml check`` is: an ID, a summary, and a function yielding findings.

A rule has a stable ID in one of five families, a one-line summary, and a function that
yields :class:`Finding` objects for a repository.

RM1xx layout and workspace, RM2xx supply chain, RM3xx Python packaging, RM4xx CI,
RM5xx targets. An ID is never reused for another meaning; a retired rule keeps its number.
The rules themselves are in ``_rules`` (RM1xx, RM2xx) and ``_rules_project`` (RM3xx to
RM5xx); :data:`RULES` holds them all once both are imported (``rustml._check`` does).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from rustml._check._repo import Repo

__all__ = ["DOCS_URL", "FAMILIES", "RULES", "Finding", "Rule", "rule"]

#: Where each rule's documentation lives (docs/rules.md, published with the docs).
DOCS_URL = "https://rustml.readthedocs.io/en/latest/rules/"
FAMILIES = {
    "RM1": "layout and workspace",
    "RM2": "supply chain",
    "RM3": "Python packaging",
    "RM4": "CI",
    "RM5": "targets",
}


@dataclass(frozen=True)
class Finding:
    """One rule that failed for one repository."""

    rule: str
    message: str
    path: str | None = None


@dataclass(frozen=True)
class Rule:
    """A check with a stable ID."""

    id: str
    name: str
    summary: str
    """What holds when the rule passes (one line; the repo-review description)."""
    run: Callable[[Repo], Iterator[Finding]]
    policy: bool = False
    """Only meaningful with an org preset (skipped without one)."""

    @property
    def family(self) -> str:
        """The family's name, e.g. ``supply chain``."""
        return FAMILIES[self.id[:3]]

    @property
    def url(self) -> str:
        """The rule's documentation."""
        return f"{DOCS_URL}#{self.id.lower()}"


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str, name: str, summary: str, *, policy: bool = False
) -> Callable[[Callable[[Repo], Iterator[Finding]]], Callable[[Repo], Iterator[Finding]]]:
    def register(fn: Callable[[Repo], Iterator[Finding]]) -> Callable[[Repo], Iterator[Finding]]:
        RULES[rule_id] = Rule(rule_id, name, summary, fn, policy)
        return fn

    return register
