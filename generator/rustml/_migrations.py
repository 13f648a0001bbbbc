"""Template migrations (copier.yml's ``_migrations``), as ``rustml update`` runs them.

The format is Copier's (``version``, ``command``, ``when: '{{ _stage == "before" }}'``), so
plain ``copier update`` runs the same ones.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import jinja2

from rustml._history import Version
from rustml._process import run
from rustml._project import git
from rustml._template import Template
from rustml.errors import RenderError

__all__ = ["Migration", "as_git_repo", "migrations_between", "run_migrations"]


@dataclass(frozen=True)
class Migration:
    version: Version
    stage: Literal["before", "after"]
    command: tuple[str, ...]

    def describe(self) -> str:
        """``<version>: <command>``, as the update's result lists it."""
        return f"{self.version}: {shlex.join(self.command)}"


def migrations_between(
    template: Template, old: Version, new: Version, answers: dict[str, Any]
) -> list[Migration]:
    """The template's ``migrations_between`` for versions in (old, new], commands rendered.

    The format is Copier's (``version``, ``command``, ``when: '{{ _stage == "before" }}'``),
    so plain ``copier update`` runs the same ones.
    """
    found = []
    env = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined)  # noqa: S701
    for raw in template.settings.get("_migrations", []) or []:
        if not isinstance(raw, dict) or "version" not in raw:
            continue
        version = Version.parse(str(raw["version"]))
        if not old < version <= new:
            continue
        when = str(raw.get("when", "after"))
        stage: Literal["before", "after"] = "before" if "before" in when else "after"
        command = raw["command"]
        parts = shlex.split(command) if isinstance(command, str) else [str(c) for c in command]
        rendered = tuple(env.from_string(p).render(**answers) for p in parts)
        found.append(Migration(version=version, stage=stage, command=rendered))
    return sorted(found, key=lambda m: m.version)


def run_migrations(migrations: list[Migration], stage: str, where: Path) -> list[str]:
    ran = []
    for migration in migrations:
        if migration.stage != stage:
            continue
        try:
            result = run(list(migration.command), cwd=where)
        except OSError as exc:
            raise RenderError(
                f"migration to {migration.version} cannot start "
                f"({shlex.join(migration.command)}): {exc.strerror}"
            ) from None
        if result.returncode != 0:
            reason = (result.stderr or result.stdout).strip().splitlines()
            raise RenderError(
                f"migration to {migration.version} failed ({shlex.join(migration.command)}): "
                f"{reason[-1] if reason else result.returncode}",
            )
        ran.append(migration.describe())
    return ran


def as_git_repo(root: Path) -> None:
    """Make a render a git repository, so migrations written as ``git mv`` run there too."""
    for args in (("init", "-q"), ("add", "-A")):
        git(root, *args)
