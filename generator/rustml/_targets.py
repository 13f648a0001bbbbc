"""The template's build targets and tool pins, read from its data files.

``targets.yml`` and ``pins.yml`` beside ``copier.yml`` define them once; copier.yml reads
them through ``includes/data.jinja``, rustml through this module (the check rules, the
variant matrix), and rustml's tests and ``.ci/install`` through :func:`load_targets` and
:func:`load_pins` too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from rustml._template import template_root

__all__ = ["Target", "load_action_pins", "load_pins", "load_targets"]


@dataclass(frozen=True)
class Target:
    """One build target (an entry of ``targets.yml``)."""

    name: str
    help: str
    required: str
    """Why it is always selected; empty for an optional target."""
    session: str
    """The generated project's nox session that builds it and runs its output."""
    cross: bool
    rust_triples: tuple[str, ...]
    crates: tuple[str, ...]
    """Crate suffixes it adds (``<crate_prefix>-<suffix>``)."""
    workspace: str
    """A directory with a cargo workspace of its own (empty: the crates are in the main one)."""
    licenses: tuple[str, ...]
    errors: tuple[str, ...]
    ci_job: bool
    apt: tuple[str, ...]
    docs: str
    traces: tuple[str, ...]


def _target(name: str, raw: dict[str, Any]) -> Target:
    def strings(key: str) -> tuple[str, ...]:
        return tuple(str(v) for v in raw.get(key) or ())

    return Target(
        name=name,
        help=str(raw.get("help", "")),
        required=str(raw.get("required") or ""),
        session=str(raw["session"]),
        cross=bool(raw.get("cross", False)),
        rust_triples=strings("rust_triples"),
        crates=strings("crates"),
        workspace=str(raw.get("workspace") or ""),
        licenses=strings("licenses"),
        errors=strings("errors"),
        ci_job=bool(raw.get("ci_job", False)),
        apt=strings("apt"),
        docs=str(raw.get("docs") or ""),
        traces=strings("traces"),
    )


@cache
def load_targets(root: Path | None = None) -> dict[str, Target]:
    """The targets of the template at ``root`` (default: rustml's own), in their order."""
    path = (root or template_root()) / "targets.yml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(name): _target(str(name), spec) for name, spec in raw.items()}


@cache
def load_pins(root: Path | None = None) -> dict[str, str]:
    """The tool versions of the template at ``root`` (``pins.yml``): tool -> version."""
    raw = _pins_file(root)
    return {str(k): str(v) for k, v in raw.items() if not isinstance(v, (dict, list))}


@cache
def load_action_pins(root: Path | None = None) -> dict[str, tuple[str, str]]:
    """The generated workflows' actions (``pins.yml``'s ``actions``): name -> (sha, tag)."""
    actions = _pins_file(root).get("actions") or {}
    return {str(name): (str(pin["sha"]), str(pin["tag"])) for name, pin in actions.items()}


def _pins_file(root: Path | None) -> dict[str, Any]:
    path = (root or template_root()) / "pins.yml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return dict(raw)
