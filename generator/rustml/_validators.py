"""The template's answer rules, rendered by rustml exactly as Copier renders them.

The rules live once, in the template (``includes/rules.jinja``, called by each
question's ``validator`` in ``copier.yml``), so Copier's prompt, plain ``copier copy`` and
rustml (``--data``, data files, presets, update) refuse the same answers with the same
message. Derived spellings (the package name from the project name, ...) come from the
questions' own defaults the same way.
"""

from __future__ import annotations

from typing import Any

from rustml._template import Template, jinja_environment

__all__ = ["derived_default", "validation_error"]


def validation_error(
    template: Template, key: str, value: Any, answers: dict[str, Any] | None = None
) -> str | None:
    """Why the template refuses ``value`` for question ``key`` (None when it accepts it).

    ``answers`` are the earlier answers the validator may read.
    """
    question = template.questions.get(key)
    if question is None or not question.validator:
        return None
    env = jinja_environment(template.root)
    message = env.from_string(question.validator).render({**(answers or {}), key: value})
    return " ".join(message.split()) or None


def derived_default(template: Template, key: str, answers: dict[str, Any]) -> str:
    """The default the template derives for question ``key`` from ``answers``."""
    question = template.questions[key]
    return jinja_environment(template.root).from_string(str(question.default)).render(**answers)
