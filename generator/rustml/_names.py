"""Name rules: which project names can become a Python package and Rust crates.

One project name yields three spellings, normalised the way pip and cargo users expect:

* distribution ``my-proj-2`` (PEP 503: lowercase, runs of ``-_.`` become ``-``),
* Python package ``my_proj_2`` (an importable identifier),
* crate prefix ``my-proj-2`` (crates ``my-proj-2-core``, ``my-proj-2-py``).

Each rule raises :class:`InvalidNameError` with a message that names the rule, so the CLI
can print it on one line.
"""

from __future__ import annotations

import keyword
import re
import sys
from dataclasses import dataclass

from rustml.errors import InvalidNameError

__all__ = ["ProjectNames", "normalise_project_name", "validate_crate_prefix", "validate_package"]

_PROJECT_RE = re.compile(r"^[A-Za-z]([A-Za-z0-9._-]*[A-Za-z0-9])?$")
_PACKAGE_RE = re.compile(r"^[a-z]([a-z0-9_]*[a-z0-9])?$")
_CRATE_RE = re.compile(r"^[a-z]([a-z0-9-]*[a-z0-9])?$")
_SEPARATORS = re.compile(r"[-_.]+")
_MAX_LEN = 32

# Strict, reserved and edition-2024 keywords: cargo refuses them as package names and
# they cannot be written as identifiers without r#.
_RUST_KEYWORD_TEXT = """
as async await break const continue crate dyn else enum extern false fn for gen if impl in let
loop match mod move mut pub ref return self static struct super trait true type unsafe use where
while abstract become box do final macro override priv try typeof unsized virtual yield
"""
RUST_KEYWORDS = frozenset(_RUST_KEYWORD_TEXT.split())
# Names that would shadow something the generated project imports or contains.
_RESERVED = {
    **dict.fromkeys(("numpy", "maturin", "rustml"), "a dependency of the generated project"),
    **dict.fromkeys(("pyo3", "core", "std", "alloc"), "the name of a crate every build uses"),
    "tests": "the name of the generated project's tests/ directory",
}
# sys.stdlib_module_names leaves out the regression-test package `test`.
_STDLIB = frozenset(sys.stdlib_module_names) | {"test"}


@dataclass(frozen=True)
class ProjectNames:
    """The spellings derived from one project name."""

    project: str
    distribution: str
    package: str
    crate_prefix: str

    @property
    def normalised(self) -> bool:
        """Whether any derived spelling differs from what the user typed."""
        return self.project != self.package or self.project != self.crate_prefix


def _check_identifier(name: str, what: str) -> None:
    if keyword.iskeyword(name):
        raise InvalidNameError(f"{what} '{name}' is a Python keyword")
    if name in _STDLIB:
        raise InvalidNameError(
            f"{what} '{name}' is a module of Python's standard library and would shadow it",
        )
    if name.replace("-", "_") in RUST_KEYWORDS or name in RUST_KEYWORDS:
        raise InvalidNameError(f"{what} '{name}' is a Rust keyword")
    if name in _RESERVED:
        raise InvalidNameError(f"{what} '{name}' is reserved: {_RESERVED[name]}")


def validate_package(name: str) -> str:
    """Check a Python package name and return it."""
    if not _PACKAGE_RE.match(name):
        raise InvalidNameError(
            f"package name '{name}' must be a lowercase Python identifier "
            "(letters, digits and '_', starting with a letter)",
        )
    _check_identifier(name, "package name")
    return name


def validate_crate_prefix(prefix: str) -> str:
    """Check a crate-name prefix and return it."""
    if not _CRATE_RE.match(prefix) or "--" in prefix:
        raise InvalidNameError(
            f"crate prefix '{prefix}' must be lowercase letters and digits separated by "
            "single '-', starting with a letter",
        )
    _check_identifier(prefix, "crate prefix")
    return prefix


def normalise_project_name(name: str) -> ProjectNames:
    """Validate a project name and derive its distribution, package and crate spellings.

    Raises:
        InvalidNameError: the name breaks a rule; the message names the rule.
    """
    if not name:
        raise InvalidNameError("project name must not be empty")
    if len(name) > _MAX_LEN:
        raise InvalidNameError(f"project name must be at most {_MAX_LEN} characters")
    if not name[0].isascii() or not name[0].isalpha():
        raise InvalidNameError(f"project name '{name}' must start with a letter (a-z, A-Z)")
    if not _PROJECT_RE.match(name):
        if not name[-1].isalnum():
            raise InvalidNameError(f"project name '{name}' must end with a letter or digit")
        raise InvalidNameError(
            f"project name '{name}' may contain only letters, digits, '-', '_' and '.'",
        )
    lowered = name.lower()
    package = _SEPARATORS.sub("_", lowered)
    crate_prefix = _SEPARATORS.sub("-", lowered)
    _check_identifier(package, "project name")
    return ProjectNames(
        project=name,
        distribution=crate_prefix,
        package=validate_package(package),
        crate_prefix=validate_crate_prefix(crate_prefix),
    )
