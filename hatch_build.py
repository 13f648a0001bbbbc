"""Hatch build hook: a wheel's template version must be its package version.

Answers files record the template version a project was generated with (``_commit``), and
``rustml update`` replays that version from the snapshots the package carries. A wheel
whose template claims another version would make every later update replay the wrong
template, so the build stops instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class TemplateVersionHook(BuildHookInterface):  # type: ignore[type-arg]
    """Fail the build when templates/VERSION differs from the package version."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:  # noqa: ARG002
        """Compare the two versions before anything is built."""
        path = Path(self.root) / "templates" / "VERSION"
        template_version = path.read_text(encoding="utf-8").strip()
        package_version = self.metadata.version
        if template_version != package_version:
            msg = (
                f"templates/VERSION says {template_version} but the package is "
                f"{package_version}: bump both together (see docs/updating.md)"
            )
            raise RuntimeError(msg)
