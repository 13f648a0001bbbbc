"""Name rules: which project names can become a Python package and Rust crates.

One project name yields three spellings, normalised the way pip and cargo users expect:

* distribution ``my-proj-2`` (PEP 503: lowercase, runs of ``-_.`` become ``-``),
* Python package ``my_proj_2`` (an importable identifier),
* crate prefix ``my-proj-2`` (crates ``my-proj-2-core``, ``my-proj-2-py``).

The rules and the derivations are the template's (``includes/rules.jinja`` and the
questions' defaults in ``copier.yml``), rendered through :mod:`rustml._validators`, so a
name rustml refuses is refused by Copier's prompt and plain ``copier copy`` too. Each
refusal raises :class:`InvalidNameError` with the one-line message that names the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from rustml._template import load_template
from rustml._validators import derived_default, validation_error
from rustml.errors import InvalidNameError

__all__ = ["ProjectNames", "normalise_project_name", "validate_crate_prefix", "validate_package"]


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


def _check(key: str, value: str, answers: dict[str, str] | None = None) -> str:
    message = validation_error(load_template(), key, value, answers)
    if message:
        raise InvalidNameError(message)
    return value


def validate_package(name: str) -> str:
    """Check a Python package name and return it."""
    return _check("package_name", name)


def validate_crate_prefix(prefix: str) -> str:
    """Check a crate-name prefix and return it."""
    return _check("crate_prefix", prefix)


def normalise_project_name(name: str) -> ProjectNames:
    """Validate a project name and derive its distribution, package and crate spellings.

    Raises:
        InvalidNameError: the name breaks a rule; the message names the rule.
    """
    _check("project_name", name)
    template = load_template()
    package = derived_default(template, "package_name", {"project_name": name})
    crate_prefix = derived_default(template, "crate_prefix", {"package_name": package})
    distribution = derived_default(template, "dist_name", {"project_name": name})
    return ProjectNames(
        project=name,
        distribution=distribution,
        package=validate_package(package),
        crate_prefix=validate_crate_prefix(crate_prefix),
    )
