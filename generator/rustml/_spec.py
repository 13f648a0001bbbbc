"""Answers: parse ``--data``/data files, validate them, and hold them as a typed spec.

Choices and defaults come from the template's ``copier.yml`` (see :mod:`rustml._template`);
the rules for free text live here and in the template's validators, which a test keeps in
agreement.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import tomlkit
import yaml
from tomlkit.exceptions import TOMLKitError

from rustml._names import normalise_project_name
from rustml._template import Question, Template
from rustml._userfiles import read_user_text, yaml_problem
from rustml._validators import validation_error
from rustml.errors import InvalidAnswerError, InvalidNameError

#: Questions whose refusals are name errors (InvalidNameError).
_NAME_KEYS = frozenset({"project_name", "package_name", "crate_prefix"})

__all__ = [
    "ProjectSpec",
    "load_data_file",
    "parse_data_pairs",
    "resolve_answers",
    "validate_answer",
]


@dataclass(frozen=True)
class ProjectSpec:
    """The validated answers of one project (what ``.copier-answers.yml`` records)."""

    project_name: str
    package_name: str
    crate_prefix: str
    description: str
    author_name: str
    author_email: str
    license: str
    copyright_year: str
    python_min: str
    targets: tuple[str, ...]
    ci: str
    vendor: bool
    registry_mirror: str

    def as_data(self) -> dict[str, Any]:
        """The answers as Copier data."""
        data = asdict(self)
        data["targets"] = list(self.targets)
        return data


def parse_data_pairs(pairs: list[str], template: Template) -> dict[str, Any]:
    """Parse ``key=value`` pairs; list answers (``targets='[cpu, gpu]'``) are YAML.

    Raises:
        InvalidAnswerError: a pair without ``=`` or an unknown key.
    """
    data: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep:
            raise InvalidAnswerError(f"--data expects key=value, got '{pair}'")
        question = _question(template, key)
        data[key] = _parse_value(question, value)
    return data


def load_data_file(path: Path, template: Template) -> dict[str, Any]:
    """Read answers from a YAML, JSON or TOML file (a flat mapping of keys to values)."""
    text = read_user_text(path, what="data file", error=InvalidAnswerError)
    try:
        if path.suffix == ".toml":
            loaded: Any = tomlkit.parse(text).unwrap()
        elif path.suffix == ".json":
            loaded = json.loads(text)
        else:
            loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidAnswerError(f"data file {path} is not valid: {yaml_problem(exc)}") from None
    except (ValueError, TOMLKitError) as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise InvalidAnswerError(f"data file {path} is not valid: {first}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise InvalidAnswerError(f"data file {path} must hold a mapping of answers")
    for key in loaded:
        _question(template, str(key))
    return {str(k): v for k, v in loaded.items()}


def _question(template: Template, key: str) -> Question:
    question = template.asked.get(key)
    if question is None:
        known = ", ".join(template.asked)
        raise InvalidAnswerError(f"unknown answer '{key}' (known: {known})")
    return question


def _parse_value(question: Question, raw: str) -> Any:
    if question.multiselect or question.type in {"yaml", "json"}:
        try:
            return yaml.safe_load(raw)
        except yaml.YAMLError:
            raise InvalidAnswerError(
                f"{question.key}: cannot parse '{raw}' (use YAML, e.g. '[cpu, gpu]')",
            ) from None
    if question.type == "bool":
        return yaml.safe_load(raw)
    return raw


def resolve_answers(template: Template, project_name: str, data: dict[str, Any]) -> ProjectSpec:
    """Combine explicit data with the template's defaults and validate every answer.

    Raises:
        InvalidNameError: the project, package or crate name is not usable.
        InvalidAnswerError: another answer breaks its rule.
    """
    answers = dict(data)
    names = normalise_project_name(str(answers.setdefault("project_name", project_name)))
    answers.setdefault("package_name", names.package)
    answers.setdefault("crate_prefix", names.crate_prefix)
    for key, question in template.asked.items():
        if key not in answers:
            answers[key] = question.default
    for key, question in template.asked.items():
        answers[key] = _validate(template, question, answers[key], answers)
    return ProjectSpec(**{k: answers[k] for k in ProjectSpec.__dataclass_fields__})


def validate_answer(template: Template, question: Question, value: Any) -> Any:
    """One answer on its own, validated and normalised (targets in the template's order).

    Raises:
        InvalidNameError: a package name or crate prefix that is not usable.
        InvalidAnswerError: the value breaks the question's rule.
    """
    return _validate(template, question, value, {})


def _validate(template: Template, question: Question, value: Any, answers: dict[str, Any]) -> Any:
    """The value's type and choices are checked here; its rule by the template."""
    key = question.key
    if question.multiselect:
        value = _validate_targets(question, value)
    elif question.type == "bool":
        if not isinstance(value, bool):
            raise InvalidAnswerError(f"{key} must be true or false, got {value!r}")
    else:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise InvalidAnswerError(f"{key} must be a string, got {value!r}")
        if question.choices and value not in question.choices:
            options = ", ".join(question.choices)
            raise InvalidAnswerError(f"{key} must be one of: {options} (got '{value}')")
    check = list(value) if isinstance(value, tuple) else value
    message = validation_error(template, key, check, answers)
    if message:
        error = InvalidNameError if key in _NAME_KEYS else InvalidAnswerError
        raise error(message, key=key)
    return value


def _validate_targets(question: Question, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidAnswerError(f"{question.key} must be a list such as '[cpu, gpu]'")
    unknown = [v for v in value if v not in question.choices]
    if unknown:
        options = ", ".join(question.choices)
        raise InvalidAnswerError(
            f"{question.key}: unknown target '{unknown[0]}' (one of: {options})"
        )
    # Choices the template declares but refuses (copier.yml choice validators).
    pending = [v for v in question.choices if v in value and v in question.disabled]
    if pending:
        raise InvalidAnswerError(f"{question.key}: {question.disabled[pending[0]]}")
    # Canonical order (the template's), no duplicates: answers files diff cleanly.
    return tuple(c for c in question.choices if c in value)
