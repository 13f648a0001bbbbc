"""Reading the files users hand to rustml (answers, data files, presets, config).

A file that cannot be read or decoded is the user's problem to fix, so it becomes one
line naming the file and what is wrong with it, raised as the caller's error class
(exit status 2), never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from rustml.errors import UserError

__all__ = ["read_user_text", "yaml_problem"]


def read_user_text(path: Path, *, what: str, error: type[UserError]) -> str:
    """The UTF-8 text of ``path``, described as ``what`` in errors.

    Raises:
        UserError: (of class ``error``) the file cannot be read or is not UTF-8 text.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error(f"cannot read {what} {path}: {exc.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{what} {path} is not UTF-8 text (byte {exc.start})") from None


def yaml_problem(exc: yaml.YAMLError) -> str:
    """A YAML error on one line: the problem and where (PyYAML's is several lines)."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        return f"{exc.problem or exc.context or 'invalid'}{where}"
    return " ".join(str(exc).split())
