"""One repository as ``rustml check`` sees it: answers, preset, config, files, a clean render.

Everything is read lazily and cached, so a rule pays only for what it reads, and the
clean render (the expensive part: a Copier run) happens once, only if a rule needs it.
"""

from __future__ import annotations

import fnmatch
import os
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from rustml._history import TemplateHistory, Version
from rustml._place import is_rustml_scratch
from rustml._preset import RECORD_NAME, Preset
from rustml._project import (
    public_answers,
    read_project,
    recorded_version,
    render_version,
    rendered_files,
)
from rustml._render import SRC_PATH, answers_path
from rustml._targets import load_targets
from rustml._template import Template, load_template
from rustml.errors import CheckError, PresetError, RenderError

__all__ = ["ANSWERS_FILE", "CheckConfig", "Repo", "find_projects", "open_repo"]

#: The answers file's name, as the template names it.
ANSWERS_FILE = answers_path(Path(), load_template()).name
#: Directories never searched for projects nor compared (builds, environments, vendored code).
SKIP_DIRS = frozenset(
    {".git", "target", ".nox", ".venv", "venv", "node_modules", "vendor", "__pycache__", "dist"}
)


@dataclass(frozen=True)
class CheckConfig:
    """Which rules run and which files are the owners' (from preset, pyproject, CLI)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    user_owned: tuple[str, ...] = ()

    def enabled(self, rule_id: str) -> bool:
        """Prefix matching, as in ruff: ``RM2`` selects the family, ``RM203`` one rule."""
        if self.select and not any(rule_id.startswith(s) for s in self.select):
            return False
        return not any(rule_id.startswith(i) for i in self.ignore)


@dataclass
class Repo:
    """A rustml project under check."""

    root: Path
    recorded: dict[str, Any]
    history: TemplateHistory
    preset: Preset | None
    template: Template
    extra: CheckConfig = field(default_factory=CheckConfig)
    _tomls: dict[str, tuple[dict[str, Any] | None, str | None]] = field(default_factory=dict)

    @property
    def answers(self) -> dict[str, Any]:
        """The recorded answers, without Copier's private ``_`` keys."""
        return public_answers(self.recorded)

    @cached_property
    def version(self) -> Version | None:
        """The template version the project records (None when unreadable)."""
        return recorded_version(self.recorded)

    @property
    def targets(self) -> list[str]:
        """The selected targets (the required ones when the answers file has none)."""
        required = [n for n, t in load_targets(self.template.root).items() if t.required]
        value = self.answers.get("targets") or required
        return [value] if isinstance(value, str) else [str(v) for v in value]

    def exists(self, rel: str) -> bool:
        """Whether the project has ``rel`` (a file or directory)."""
        return (self.root / rel).exists()

    def text(self, rel: str) -> str | None:
        """The file's text, or None when it is missing or unreadable."""
        try:
            return (self.root / rel).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def toml(self, rel: str) -> dict[str, Any] | None:
        """The parsed TOML file, or None when it is missing or does not parse."""
        return self._toml(rel)[0]

    def toml_error(self, rel: str) -> str | None:
        """Why ``rel`` does not parse (None when it parses or is missing)."""
        return self._toml(rel)[1]

    def _toml(self, rel: str) -> tuple[dict[str, Any] | None, str | None]:
        if rel not in self._tomls:
            text = self.text(rel)
            if text is None:
                self._tomls[rel] = (None, None)
            else:
                try:
                    self._tomls[rel] = (tomlkit.parse(text).unwrap(), None)
                except (TOMLKitError, ValueError) as exc:
                    self._tomls[rel] = (None, str(exc).splitlines()[0] or "does not parse")
        return self._tomls[rel]

    def toml_files(self) -> list[str]:
        """Every TOML file of the project (builds, environments and vendor/ excluded)."""
        found = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            here = Path(dirpath).relative_to(self.root)
            found += [(here / n).as_posix() for n in sorted(filenames) if n.endswith(".toml")]
        return found

    @cached_property
    def is_git(self) -> bool:
        """Whether the project is (inside) a git work tree."""
        return any((p / ".git").exists() for p in (self.root, *self.root.parents))

    @cached_property
    def config(self) -> CheckConfig:
        """Preset policy, then ``[tool.rustml.check]`` in pyproject.toml, then the CLI."""
        policy = self.preset.policy if self.preset else None
        select = list(policy.select) if policy else []
        ignore = list(policy.ignore) if policy else []
        owned = list(policy.user_owned) if policy else []
        pyproject = self.toml("pyproject.toml") or {}
        table = pyproject.get("tool", {}).get("rustml", {}).get("check", {})
        if isinstance(table, dict):
            select = list(table.get("select", select))
            ignore += list(table.get("ignore", []))
            owned += list(table.get("user-owned", []))
        if self.extra.select:
            select = list(self.extra.select)
        ignore += self.extra.ignore
        owned += self.extra.user_owned
        return CheckConfig(tuple(select), tuple(ignore), tuple(owned))

    def user_owned(self, rel: str) -> bool:
        """Files drift ignores: the template's skip-if-exists ones, records, config globs."""
        skip = self.template.settings.get("_skip_if_exists", []) or []
        patterns = [*skip, *self.config.user_owned]
        return rel in {ANSWERS_FILE, RECORD_NAME} or any(
            fnmatch.fnmatchcase(rel, p) for p in patterns
        )

    @property
    def rendered(self) -> dict[str, bytes]:
        """A clean render of the recorded version and answers: path -> content."""
        return self._clean[0]

    @property
    def render_error(self) -> str | None:
        """Why no clean render exists (None when :attr:`rendered` has one)."""
        return self._clean[1]

    @cached_property
    def _clean(self) -> tuple[dict[str, bytes], str | None]:
        version = self.version
        if version is None or version not in self.history:
            return {}, f"template {version} is not known to this rustml"
        bans = self.preset.policy.deny_bans if self.preset else ()
        with tempfile.TemporaryDirectory(prefix="rustml-check-") as tmp:
            try:
                _, root = render_version(
                    self.history, version, self.answers, Path(tmp), "clean", bans
                )
            except RenderError as exc:
                return {}, exc.message
            return {rel: path.read_bytes() for rel, path in rendered_files(root).items()}, None


def open_repo(
    path: Path,
    history: TemplateHistory,
    *,
    preset: Preset | None = None,
    extra: CheckConfig | None = None,
) -> Repo:
    """Read a project's answers and preset (``preset`` wins over the recorded one).

    Raises:
        CheckError: not a directory, or no readable rustml answers file.
    """
    root = path.expanduser().absolute()
    if not root.is_dir():
        raise CheckError(f"{root} is not a directory")
    try:
        project = read_project(root, with_preset=preset is None)
    except PresetError as exc:
        raise CheckError(f"{root}: {exc.message}") from None
    recorded = project.recorded
    preset = preset or project.preset
    template = load_template()
    return Repo(
        root=root,
        recorded=recorded,
        history=history,
        preset=preset,
        template=template,
        extra=extra or CheckConfig(),
    )


def find_projects(directory: Path, unreadable: list[Path] | None = None) -> list[Path]:
    """Every rustml project at or below ``directory`` (not inside another one).

    Directories that cannot be listed are appended to ``unreadable`` (when given), so
    that a fleet run reports them instead of skipping them silently.
    """
    found = []

    def note(error: OSError) -> None:
        if unreadable is not None and error.filename:
            unreadable.append(Path(error.filename))

    for dirpath, dirnames, filenames in os.walk(directory, onerror=note):
        if ANSWERS_FILE in filenames and _is_rustml_answers(Path(dirpath) / ANSWERS_FILE):
            found.append(Path(dirpath))
            dirnames.clear()
            continue
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not is_rustml_scratch(d))
    return sorted(found)


def _is_rustml_answers(path: Path) -> bool:
    """Cheap test: the answers file names rustml as its source.

    An unreadable file counts: it is then reported for that project, not skipped silently.
    """
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return True
    return f"_src_path: {SRC_PATH}" in text or "_src_path:" not in text
