"""Org presets: the answers and policy an organisation keeps in one central file.

A preset is a TOML (or YAML) file::

    [preset]
    name = "acme-ml"                 # required; shown in errors and reports

    [defaults]                       # answers used unless the user gives one
    license = "Apache-2.0"
    author_name = "Acme ML Platform"
    targets = ["cpu", "gpu"]

    [locked]                         # answers nobody may override at `new` or `update`
    ci = "github"

    [policy]                         # what `rustml check` enforces
    allowed-licenses = ["Apache-2.0", "MIT OR Apache-2.0"]
    required-targets = ["cpu"]
    required-sessions = ["audit", "deny"]
    min-template-version = "0.1.0"
    deny-bans = ["openssl-sys"]      # crates deny.toml must ban (`new` adds them)
    select = []                      # rule IDs or prefixes (RM2 = the family); empty = all
    ignore = []
    user-owned = ["crates/*/src/**"] # globs that drift ignores

It is read from a path or from a git repository (``git+URL#PATH`` or
``git+URL@REF#PATH``; any URL git can clone, ``file://`` included). ``rustml new`` uses
``--preset``, else ``$RUSTML_PRESET``, else ``preset = "..."`` in
``$XDG_CONFIG_HOME/rustml/config.toml``. The project records a copy in
:data:`RECORD_NAME`, which ``update`` and ``check`` apply again.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
import yaml
from tomlkit.exceptions import TOMLKitError

from rustml._history import Version
from rustml._process import run
from rustml._template import Template
from rustml._userfiles import read_user_text, yaml_problem
from rustml.errors import InvalidAnswerError, InvalidNameError, PresetError

__all__ = [
    "PRESET_ENV",
    "RECORD_NAME",
    "Policy",
    "Preset",
    "add_deny_bans",
    "default_preset_source",
    "load_preset",
    "read_recorded_preset",
]

#: The file in a generated project that records the preset it was made with.
RECORD_NAME = ".rustml-preset.toml"
#: Environment variable naming the default preset.
PRESET_ENV = "RUSTML_PRESET"
_POLICY_KEYS = {
    "allowed-licenses",
    "required-targets",
    "required-sessions",
    "min-template-version",
    "deny-bans",
    "select",
    "ignore",
    "user-owned",
}
_GIT_RE = re.compile(r"^git\+(?P<url>.+?)(?:@(?P<ref>[^@#/]+))?#(?P<path>.+)$")


@dataclass(frozen=True)
class Policy:
    """What ``rustml check`` enforces for an org (every field optional)."""

    allowed_licenses: tuple[str, ...] = ()
    required_targets: tuple[str, ...] = ()
    required_sessions: tuple[str, ...] = ()
    min_template_version: Version | None = None
    deny_bans: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    user_owned: tuple[str, ...] = ()


@dataclass(frozen=True)
class Preset:
    """An org preset: default answers, locked answers and policy."""

    name: str
    source: str
    text: str
    """The file as read (recorded verbatim in projects, TOML or YAML)."""
    defaults: dict[str, Any] = field(default_factory=dict)
    locked: dict[str, Any] = field(default_factory=dict)
    policy: Policy = field(default_factory=Policy)

    @property
    def sha256(self) -> str:
        """Digest of the file's text (recorded with the copy)."""
        return hashlib.sha256(self.text.encode()).hexdigest()

    def check_locked(self, given: dict[str, Any]) -> None:
        """Refuse answers that change a locked one.

        Raises:
            PresetError: naming the answer, its locked value and the preset.
        """
        for key, value in given.items():
            if key in self.locked and _same(value) != _same(self.locked[key]):
                raise PresetError(
                    f"{key} is locked to {self.locked[key]!r} by preset '{self.name}' "
                    f"({self.source}); cannot set it to {value!r}",
                )

    def record(self) -> str:
        """The text of :data:`RECORD_NAME` for a generated project."""
        header = (
            f"# Org preset '{self.name}' this project was generated with (rustml records it;\n"
            f"# `rustml update` and `rustml check` apply it again). Source: {self.source}\n"
            f"# sha256 {self.sha256}\n"
        )
        if _looks_like_yaml(self.source):
            # Keep one format in the project: the YAML preset's data as TOML.
            body = tomlkit.dumps(_as_toml_data(yaml.safe_load(self.text)))
        else:
            body = self.text
        return header + body


def _same(value: Any) -> Any:
    return sorted(value) if isinstance(value, list) else value


def _looks_like_yaml(source: str) -> bool:
    return source.rsplit("#", 1)[-1].endswith((".yml", ".yaml"))


def _as_toml_data(data: Any) -> dict[str, Any]:
    return data if isinstance(data, dict) else {}


def default_preset_source() -> str | None:
    """The preset to use when ``--preset`` is not given: the environment, then config."""
    if os.environ.get(PRESET_ENV):
        return os.environ[PRESET_ENV]
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    config = base / "rustml" / "config.toml"
    if not config.is_file():
        return None
    text = read_user_text(config, what="rustml config", error=PresetError)
    try:
        data = tomlkit.parse(text).unwrap()
    except TOMLKitError as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise PresetError(f"rustml config {config} is not valid TOML: {first}") from None
    value = data.get("preset")
    if value is not None and not isinstance(value, str):
        raise PresetError(f"{config}: preset must be a path or git+URL#PATH string")
    return value or None


def load_preset(source: str, template: Template) -> Preset:
    """Read and validate the preset at ``source`` (a path or ``git+URL[@REF]#PATH``).

    Raises:
        PresetError: unreachable, unparsable, or naming answers or values the template
            does not have.
    """
    if source.startswith("-"):
        raise PresetError(f"preset source {source!r} starts with '-': not a path or git+URL")
    match = _GIT_RE.match(source)
    text = _read_git(source, match) if match else _read_path(Path(source).expanduser())
    return parse_preset(text, source, template)


def _read_path(path: Path) -> str:
    return read_user_text(path, what="preset", error=PresetError)


def _read_git(source: str, match: re.Match[str]) -> str:
    url, ref, rel = match["url"], match["ref"], match["path"]
    # Sources are data: a URL or ref that git would parse as an option is refused, and
    # `--` ends git's options before the positional arguments.
    if url.startswith("-") or (ref or "").startswith("-"):
        raise PresetError(f"preset source {source!r}: the URL and ref must not start with '-'")
    with tempfile.TemporaryDirectory(prefix="rustml-preset-") as tmp:
        cmd = ["git", "clone", "--quiet", "--depth", "1"]
        if ref:
            cmd += ["--branch", ref]
        done = run([*cmd, "--", url, tmp], env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
        if done.returncode != 0:
            why = (done.stderr.strip().splitlines() or ["git clone failed"])[-1]
            raise PresetError(f"cannot fetch preset {source}: {why}")
        path = Path(tmp) / rel
        if not path.is_file():
            raise PresetError(f"preset {source}: no file {rel} in {url}")
        return read_user_text(path, what="preset", error=PresetError)


def parse_preset(text: str, source: str, template: Template) -> Preset:
    """Validate a preset's text (see the module docstring for the format).

    Raises:
        PresetError: with the first problem found.
    """
    try:
        if _looks_like_yaml(source):
            data: Any = yaml.safe_load(text)
        else:
            data = tomlkit.parse(text).unwrap()
    except yaml.YAMLError as exc:
        raise PresetError(f"preset {source} is not valid: {yaml_problem(exc)}") from None
    except (TOMLKitError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise PresetError(f"preset {source} is not valid: {first}") from None
    if not isinstance(data, dict):
        raise PresetError(f"preset {source} must be a table of sections")
    unknown = set(data) - {"preset", "defaults", "locked", "policy"}
    if unknown:
        raise PresetError(
            f"preset {source}: unknown section [{min(unknown)}] "
            "(known: preset, defaults, locked, policy)",
        )
    meta = _table(data, "preset", source)
    name = meta.get("name")
    if not isinstance(name, str) or not name.strip():
        raise PresetError(f"preset {source}: [preset] name is required")
    defaults = _answers(_table(data, "defaults", source), "defaults", source, template)
    locked = _answers(_table(data, "locked", source), "locked", source, template)
    return Preset(
        name=name,
        source=source,
        text=text,
        defaults=defaults,
        locked=locked,
        policy=_policy(_table(data, "policy", source), source),
    )


def _table(data: dict[str, Any], key: str, source: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise PresetError(f"preset {source}: [{key}] must be a table")
    return value


def _answers(
    table: dict[str, Any], section: str, source: str, template: Template
) -> dict[str, Any]:
    """Answers of a preset section, each checked against the template's questions."""
    # Imported here: _spec imports nothing of ours but its validators live there.
    from rustml._spec import validate_answer  # noqa: PLC0415

    checked = {}
    for key, value in table.items():
        question = template.asked.get(key)
        if question is None:
            known = ", ".join(template.asked)
            raise PresetError(f"preset {source}: [{section}] {key} is not a question ({known})")
        try:
            checked[key] = validate_answer(template, question, value)
        except (InvalidAnswerError, InvalidNameError) as exc:
            raise PresetError(f"preset {source}: [{section}] {exc.message}") from None
        if isinstance(checked[key], tuple):
            checked[key] = list(checked[key])
    return checked


def _strings(table: dict[str, Any], key: str, source: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PresetError(f"preset {source}: [policy] {key} must be a list of strings")
    return tuple(value)


def _policy(table: dict[str, Any], source: str) -> Policy:
    unknown = set(table) - _POLICY_KEYS
    if unknown:
        raise PresetError(
            f"preset {source}: unknown [policy] key {min(unknown)} "
            f"(known: {', '.join(sorted(_POLICY_KEYS))})",
        )
    minimum = table.get("min-template-version")
    try:
        min_version = Version.parse(str(minimum)) if minimum is not None else None
    except ValueError:
        raise PresetError(
            f"preset {source}: [policy] min-template-version {minimum!r} is not a version"
        ) from None
    return Policy(
        allowed_licenses=_strings(table, "allowed-licenses", source),
        required_targets=_strings(table, "required-targets", source),
        required_sessions=_strings(table, "required-sessions", source),
        min_template_version=min_version,
        deny_bans=_strings(table, "deny-bans", source),
        select=_strings(table, "select", source),
        ignore=_strings(table, "ignore", source),
        user_owned=_strings(table, "user-owned", source),
    )


def read_recorded_preset(project: Path, template: Template) -> Preset | None:
    """The preset a project recorded (:data:`RECORD_NAME`), or None.

    Raises:
        PresetError: the record exists but is not a valid preset.
    """
    path = project / RECORD_NAME
    if not path.is_file():
        return None
    text = read_user_text(path, what="preset record", error=PresetError)
    source = next(
        (
            line.split("Source: ", 1)[1].strip()
            for line in text.splitlines()
            if line.startswith("#") and "Source: " in line
        ),
        RECORD_NAME,
    )
    preset = parse_preset(text, RECORD_NAME, template)
    return Preset(
        name=preset.name,
        source=source,
        text=text,
        defaults=preset.defaults,
        locked=preset.locked,
        policy=preset.policy,
    )


def add_deny_bans(project: Path, bans: tuple[str, ...]) -> None:
    """Add the policy's crates to ``[bans] deny`` of every deny.toml in the project.

    Applied by ``new`` and to the renders ``update`` and ``check`` compare with, so the
    bans are the template's content, not an owner's edit.
    """
    if not bans:
        return
    for deny in [project / "deny.toml", *sorted(project.glob("*/deny.toml"))]:
        if not deny.is_file():
            continue
        doc = tomlkit.parse(deny.read_text(encoding="utf-8"))
        section = doc.get("bans")
        if section is None:
            continue
        listed = section.setdefault("deny", tomlkit.array())
        present = {entry if isinstance(entry, str) else entry.get("crate") for entry in listed}
        for crate in bans:
            if crate not in present:
                entry = tomlkit.inline_table()
                entry.update({"crate": crate, "reason": "org policy (preset)"})
                listed.append(entry)
        listed.multiline(len(listed) > 0)
        deny.write_text(tomlkit.dumps(doc), encoding="utf-8")
