"""Where the Copier template lives and what its questionnaire asks.

The template is ``templates/`` in a checkout and ``rustml/_template`` inside an installed
wheel (hatch copies it there). Everything else reads questions, choices and defaults from
its ``copier.yml`` so that the CLI help, the validation and the test matrix cannot drift
from the template.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import FileSystemLoader
from jinja2.sandbox import SandboxedEnvironment

from rustml.errors import TemplateNotFoundError

__all__ = ["Question", "Template", "jinja_environment", "load_template", "template_root"]

#: What Copier adds to every template's Jinja environment (copier._main.Worker.jinja_env):
#: the Ansible filters (regex_search, from_yaml, to_json, ...).
_COPIER_EXTENSIONS = ("jinja2_ansible_filters.AnsibleCoreFiltersExtension",)

_PACKAGE_DIR = Path(__file__).resolve().parent


def template_root() -> Path:
    """Return the directory that holds ``copier.yml``.

    Raises:
        TemplateNotFoundError: neither the wheel's copy nor a checkout's ``templates/`` exists.
    """
    for candidate in (_PACKAGE_DIR / "_template", _PACKAGE_DIR.parent.parent / "templates"):
        if (candidate / "copier.yml").is_file():
            return candidate
    raise TemplateNotFoundError(
        f"rustml's template is missing (looked in {_PACKAGE_DIR / '_template'}); reinstall rustml",
    )


@dataclass(frozen=True)
class Question:
    """One question of the template, as declared in ``copier.yml``."""

    key: str
    type: str
    help: str
    default: Any
    choices: tuple[str, ...]
    disabled: dict[str, str]
    """Choices the template declares but refuses (value -> the validator's message)."""
    multiselect: bool
    computed: bool
    """``when: false``: derived by the template, never asked nor recorded."""
    validator: str = ""
    """The question's Jinja validator (prints why an answer is refused, or nothing)."""

    @property
    def default_is_template(self) -> bool:
        """Whether the default is a Jinja expression (derived from earlier answers)."""
        return isinstance(self.default, str) and "{{" in self.default


@dataclass(frozen=True)
class Template:
    """The template's settings and questionnaire."""

    root: Path
    settings: dict[str, Any]
    questions: dict[str, Question]

    @property
    def asked(self) -> dict[str, Question]:
        """Questions a user answers (computed ones excluded), in questionnaire order."""
        return {k: q for k, q in self.questions.items() if not q.computed}


@cache
def jinja_environment(root: Path) -> SandboxedEnvironment:
    """A Jinja environment like Copier's for the template at ``root``."""
    return SandboxedEnvironment(
        loader=FileSystemLoader(str(root)),
        extensions=list(_COPIER_EXTENSIONS),
        keep_trailing_newline=True,
    )


def _rendered(root: Path, raw: Any) -> Any:
    """A templated choices or multiselect default, as Copier reads it: rendered, then YAML."""
    if isinstance(raw, str) and "{" in raw:
        return yaml.safe_load(jinja_environment(root).from_string(raw).render())
    return raw


def _choices(raw: Any) -> tuple[tuple[str, ...], dict[str, str]]:
    """Choice values, and those disabled by a constant choice validator."""
    if raw is None:
        return (), {}
    if not isinstance(raw, dict):
        return tuple(str(v) for v in raw), {}
    # Either label -> value, or label -> a mapping with value and validator.
    values: list[str] = []
    disabled: dict[str, str] = {}
    for spec in raw.values():
        value = str(spec["value"] if isinstance(spec, dict) else spec)
        values.append(value)
        if isinstance(spec, dict) and spec.get("validator") and "{" not in spec["validator"]:
            disabled[value] = " ".join(str(spec["validator"]).split())
    return tuple(values), disabled


@cache
def load_template(root: Path | None = None) -> Template:
    """Parse ``copier.yml`` of the template at ``root`` (default: rustml's own)."""
    root = root or template_root()
    data = yaml.safe_load((root / "copier.yml").read_text(encoding="utf-8"))
    settings = {k: v for k, v in data.items() if k.startswith("_")}
    questions: dict[str, Question] = {}
    for key, raw in data.items():
        if key.startswith("_"):
            continue
        spec = raw if isinstance(raw, dict) else {"default": raw}
        choices, disabled = _choices(_rendered(root, spec.get("choices")))
        multiselect = bool(spec.get("multiselect", False))
        default = spec.get("default")
        questions[key] = Question(
            key=key,
            type=str(spec.get("type", "str")),
            help=" ".join(str(spec.get("help", "")).split()),
            default=_rendered(root, default) if multiselect else default,
            choices=choices,
            disabled=disabled,
            multiselect=multiselect,
            computed=spec.get("when") is False,
            validator=str(spec.get("validator") or ""),
        )
    return Template(root=root, settings=settings, questions=questions)
