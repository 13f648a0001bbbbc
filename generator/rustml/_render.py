"""Rendering through Copier's public API (``run_copy``), into a directory we own."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import copier
import yaml
from copier.errors import CopierAnswersInterrupt, CopierError

from rustml._template import Template
from rustml._userfiles import read_user_text, yaml_problem
from rustml._version import __version__
from rustml.errors import AnswersFileError, RenderError

__all__ = [
    "SRC_PATH",
    "answers_path",
    "public_answers",
    "read_answers",
    "read_recorded",
    "render",
]

#: What answers files record as the template's source: the template that ships with
#: rustml, wherever it is installed (no path of the generating machine).
SRC_PATH = "rustml"
#: How Copier words a validator's refusal.
_VALIDATION_ERROR = re.compile(r"^Validation error for question '(?P<key>[^']+)': (?P<message>.*)$")


def render(
    template: Template,
    dst: Path,
    *,
    data: dict[str, Any],
    interactive: bool,
    version: str = __version__,
    defaults: dict[str, Any] | None = None,
) -> None:
    """Render ``template`` into ``dst`` (which must not exist yet).

    With ``interactive`` Copier prompts for every answer not in ``data``; otherwise the
    template's defaults fill the gaps. ``version`` is the template version recorded in
    the answers file. ``defaults`` replace the template's defaults (an org preset's).

    Raises:
        RenderError: Copier rejected an answer or failed to render.
        KeyboardInterrupt: the user interrupted the prompts.
    """
    try:
        copier.run_copy(
            str(template.root),
            dst,
            data=data,
            user_defaults=defaults or {},
            defaults=not interactive,
            quiet=True,
            overwrite=False,
            # The template's own settings only: a user's copier settings file must not
            # change what rustml generates.
            settings=copier.Settings(),
            # rustml's template has no tasks; tasks would need an explicit opt-in.
            unsafe=False,
        )
    except CopierAnswersInterrupt:
        raise KeyboardInterrupt from None
    except (CopierError, ValueError) as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__
        refused = _VALIDATION_ERROR.match(message)
        if refused:
            raise RenderError(refused["message"], key=refused["key"]) from None
        raise RenderError(f"template rejected the answers: {message}") from None
    _record_version(answers_path(dst, template), version)


def answers_path(project: Path, template: Template) -> Path:
    """The answers file of ``project`` as ``template`` names it."""
    return project / str(template.settings.get("_answers_file", ".copier-answers.yml"))


def _record_version(answers_file: Path, version: str) -> None:
    """Stamp the rustml version into the answers file.

    A template read from a plain directory has no VCS tag, so Copier records no ``_commit``;
    the rustml version is the template version (one per release).
    """
    text = answers_file.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    stamped = [line for line in lines if not line.startswith(("_commit:", "_src_path:"))]
    header = [line for line in stamped if line.startswith("#")]
    body = [line for line in stamped if not line.startswith("#")]
    new = [*header, f"_commit: v{version}\n", f"_src_path: {SRC_PATH}\n", *body]
    answers_file.write_text("".join(new), encoding="utf-8")


def read_recorded(answers_file: Path) -> dict[str, Any]:
    """Read a project's answers file, private ``_`` keys included.

    Raises:
        AnswersFileError: the file cannot be read, is not UTF-8 YAML, or holds no
            answers; the message names the file and the problem, on one line.
    """
    name = answers_file.name
    text = read_user_text(answers_file, what="answers file", error=AnswersFileError)
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise AnswersFileError(f"{answers_file} is not valid YAML: {yaml_problem(exc)}") from None
    if loaded is None:
        raise AnswersFileError(
            f"{answers_file} is empty; restore it from git history (git checkout -- {name})"
        )
    if not isinstance(loaded, dict):
        raise AnswersFileError(f"{answers_file} must hold a mapping of answers")
    return loaded


def read_answers(answers_file: Path) -> dict[str, Any]:
    """Read a project's recorded answers (private ``_`` keys excluded)."""
    return public_answers(read_recorded(answers_file))


def public_answers(recorded: dict[str, Any]) -> dict[str, Any]:
    """The answers of an answers file without Copier's private ``_`` keys."""
    return {k: v for k, v in recorded.items() if not str(k).startswith("_")}
