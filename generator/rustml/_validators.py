"""The template's answer rules, rendered by rustml exactly as Copier renders them.

The rules live once, in the template (``includes/rules.jinja``, called by each
question's ``validator`` in ``copier.yml``), so Copier's prompt, plain ``copier copy`` and
rustml (``--data``, data files, presets, update) refuse the same answers with the same
message. Derived spellings (the package name from the project name, ...) come from the
questions' own defaults the same way.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader
from jinja2.sandbox import SandboxedEnvironment

from rustml._template import Template

__all__ = ["derived_default", "validation_error"]

#: What Copier adds to every template's Jinja environment (copier._main.Worker.jinja_env):
#: the Ansible filters (regex_search, regex_replace, ...).
_COPIER_EXTENSIONS = ("jinja2_ansible_filters.AnsibleCoreFiltersExtension",)


@cache
def _environment(root: Path) -> SandboxedEnvironment:
    """A Jinja environment like Copier's for the template at ``root``."""
    return SandboxedEnvironment(
        loader=FileSystemLoader(str(root)),
        extensions=list(_COPIER_EXTENSIONS),
        keep_trailing_newline=True,
    )


def validation_error(
    template: Template, key: str, value: Any, answers: dict[str, Any] | None = None
) -> str | None:
    """Why the template refuses ``value`` for question ``key`` (None when it accepts it).

    ``answers`` are the earlier answers the validator may read.
    """
    question = template.questions.get(key)
    if question is None or not question.validator:
        return None
    env = _environment(template.root)
    message = env.from_string(question.validator).render({**(answers or {}), key: value})
    return " ".join(message.split()) or None


def derived_default(template: Template, key: str, answers: dict[str, Any]) -> str:
    """The default the template derives for question ``key`` from ``answers``."""
    question = template.questions[key]
    return _environment(template.root).from_string(str(question.default)).render(**answers)
