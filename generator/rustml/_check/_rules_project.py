"""The rules of ``rustml check``, RM3xx (Python packaging), RM4xx (CI), RM5xx (targets)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import tomlkit
import yaml

from rustml._check._repo import ANSWERS_FILE, Repo
from rustml._check._rule import Finding, rule
from rustml._targets import load_targets

__all__: list[str] = []


# -- RM3xx Python packaging --------------------------------------------------------


@rule(
    "RM301",
    "license-allowed",
    "The licenses the project declares are ones the org allows",
    policy=True,
)
def _license_allowed(repo: Repo) -> Iterator[Finding]:
    allowed = repo.preset.policy.allowed_licenses if repo.preset else ()
    if not allowed:
        return
    shown = ", ".join(allowed)
    # One finding per license that is not allowed, naming every place that declares it
    # (a hand-edited answers file cannot hide what pyproject.toml, Cargo.toml or the
    # LICENSE text say).
    places: dict[str, list[str]] = {}
    for where, expression in declared_licenses(repo).items():
        if not _license_ok(expression, allowed):
            places.setdefault(expression, []).append(where)
    for expression, wheres in places.items():
        path = None if ANSWERS_FILE in wheres else wheres[0]
        yield Finding(
            "RM301",
            f"license {expression!r} ({', '.join(wheres)}) is not allowed (allowed: {shown})",
            path,
        )


#: The answers' spelling of the proprietary choice, as SPDX writes it.
_SPDX_ALIASES = {"LicenseRef-Proprietary": "Proprietary"}
#: How each license text the template ships (or its upstream original) starts to read.
_LICENSE_TEXTS = (
    ("Apache License", "Apache-2.0"),
    ("MIT License", "MIT"),
    ("Permission is hereby granted, free of charge", "MIT"),
    ("BSD 3-Clause License", "BSD-3-Clause"),
    ("Neither the name of", "BSD-3-Clause"),
    ("All rights reserved.\n\nThis software and its source code are proprietary", "Proprietary"),
    ("GNU GENERAL PUBLIC LICENSE", "GPL"),
    ("GNU LESSER GENERAL PUBLIC LICENSE", "LGPL"),
    ("GNU AFFERO GENERAL PUBLIC LICENSE", "AGPL"),
)


def declared_licenses(repo: Repo) -> dict[str, str]:
    """Every license the project declares, by where it is declared.

    The answers file, pyproject.toml, Cargo.toml and each LICENSE file (recognised by
    its text).
    """
    found: dict[str, str] = {}
    if repo.answers.get("license"):
        found[ANSWERS_FILE] = str(repo.answers["license"])
    py = (repo.toml("pyproject.toml") or {}).get("project", {}).get("license")
    if isinstance(py, dict):
        py = py.get("text")
    if isinstance(py, str):
        found["pyproject.toml"] = py
    cargo = (repo.toml("Cargo.toml") or {}).get("workspace", {}).get("package", {})
    if isinstance(cargo.get("license"), str):
        found["Cargo.toml"] = cargo["license"]
    for path in sorted(repo.root.glob("LICENSE*")):
        text = repo.text(path.name) or ""
        kind = next((spdx for marker, spdx in _LICENSE_TEXTS if marker in text), None)
        if kind is not None:
            found[path.name] = kind
    return {where: _SPDX_ALIASES.get(e, e) for where, e in found.items()}


def _license_ok(expression: str, allowed: tuple[str, ...]) -> bool:
    """Allowed as written, or each alternative of an ``A OR B`` expression is allowed.

    An allowed ``MIT OR Apache-2.0`` allows its LICENSE-MIT and LICENSE-APACHE.
    """
    parts = {p.strip() for a in allowed for p in a.split(" OR ")}
    return expression in allowed or all(p.strip() in parts for p in expression.split(" OR "))


@rule("RM302", "maturin-build", "pyproject.toml builds with maturin for the recorded Python")
def _maturin(repo: Repo) -> Iterator[Finding]:
    if repo.toml_error("pyproject.toml"):
        return
    data = repo.toml("pyproject.toml")
    if data is None:
        yield Finding("RM302", "missing", "pyproject.toml")
        return
    backend = data.get("build-system", {}).get("build-backend")
    if backend != "maturin":
        yield Finding("RM302", f"build-backend is {backend!r}, not maturin", "pyproject.toml")
    want = f">={repo.answers.get('python_min', '3.10')}"
    have = data.get("project", {}).get("requires-python")
    if have != want:
        yield Finding(
            "RM302", f"requires-python is {have!r}; the answers say {want!r}", "pyproject.toml"
        )


@rule("RM303", "license-consistent", "pyproject.toml and Cargo.toml declare the same license")
def _license_consistent(repo: Repo) -> Iterator[Finding]:
    py, cargo = repo.toml("pyproject.toml"), repo.toml("Cargo.toml")
    if py is None or cargo is None:
        return
    py_license = py.get("project", {}).get("license")
    if isinstance(py_license, dict):
        py_license = py_license.get("text")
    cargo_license = cargo.get("workspace", {}).get("package", {}).get("license")
    if py_license != cargo_license:
        yield Finding(
            "RM303",
            f"pyproject.toml says {py_license!r}, Cargo.toml says {cargo_license!r}",
            "pyproject.toml",
        )


# -- RM4xx CI ----------------------------------------------------------------------

_WORKFLOW = ".github/workflows/ci.yml"


@rule("RM401", "ci-workflow", "The CI workflow exists when the project chose GitHub CI")
def _ci_workflow(repo: Repo) -> Iterator[Finding]:
    if repo.answers.get("ci") == "github" and not repo.exists(_WORKFLOW):
        yield Finding("RM401", "missing though ci is github", _WORKFLOW)


@rule("RM402", "ci-runs-sessions", "CI runs the lint and test sessions")
def _ci_sessions(repo: Repo) -> Iterator[Finding]:
    text = repo.text(_WORKFLOW)
    if repo.answers.get("ci") != "github" or text is None:
        return
    for session in ("lint", "test"):
        if not re.search(rf"nox\b.*-s\s+{session}\b", text):
            yield Finding("RM402", f"never runs `nox -s {session}`", _WORKFLOW)


@rule("RM403", "required-sessions", "The nox sessions the org requires exist", policy=True)
def _required_sessions(repo: Repo) -> Iterator[Finding]:
    required = repo.preset.policy.required_sessions if repo.preset else ()
    have = _sessions(repo)
    for session in required:
        if session not in have:
            yield Finding("RM403", f"no nox session {session!r} (org policy requires it)")


def _sessions(repo: Repo) -> set[str]:
    """Session names defined by noxfile.py and tools/nox_sessions/*.py."""
    names: set[str] = set()
    files = [repo.root / "noxfile.py", *sorted(repo.root.glob("tools/nox_sessions/*.py"))]
    for path in files:
        text = repo.text(path.relative_to(repo.root).as_posix()) or ""
        for match in re.finditer(
            r"@nox\.session(?:\((?P<args>[^)]*)\))?\s*\n(?:@[^\n]*\n)*def (?P<fn>\w+)", text
        ):
            named = re.search(r"name=\"([^\"]+)\"", match["args"] or "")
            names.add(named[1] if named else match["fn"])
    return names


@rule(
    "RM404",
    "release-workflow",
    "The release workflow exists and publishes with PyPI trusted publishing",
)
def _release_workflow(repo: Repo) -> Iterator[Finding]:
    if repo.answers.get("ci") != "github":
        return
    text = repo.text(_RELEASE)
    if text is None:
        yield Finding("RM404", "missing though ci is github (rustml update adds it)", _RELEASE)
        return
    try:
        workflow = yaml.safe_load(text)
    except yaml.YAMLError:
        yield Finding("RM404", "is not valid YAML", _RELEASE)
        return
    jobs = workflow.get("jobs") if isinstance(workflow, dict) else None
    publishing = {
        name: job
        for name, job in (jobs or {}).items()
        if isinstance(job, dict) and _PUBLISH.search(yaml.safe_dump(job.get("steps") or []))
    }
    if not publishing:
        yield Finding("RM404", "no job publishes to PyPI", _RELEASE)
    for name, job in publishing.items():
        token = _TOKEN.search(yaml.safe_dump(job))
        if token:
            yield Finding(
                "RM404",
                f"job {name!r} publishes with a long-lived token ({token[0]}): use trusted "
                "publishing",
                _RELEASE,
            )
        if (job.get("permissions") or {}).get("id-token") != "write":
            yield Finding(
                "RM404", f"job {name!r} lacks `id-token: write` (trusted publishing)", _RELEASE
            )


_RELEASE = ".github/workflows/release.yml"
#: A step that uploads to PyPI: the PyPA action, or a command that uploads.
_PUBLISH = re.compile(
    r"pypa/gh-action-pypi-publish|\buv publish\b|\btwine upload\b|\bmaturin (?:publish|upload)\b"
)
#: What a long-lived credential looks like in a publishing job.
_TOKEN = re.compile(
    r"\bpassword:|\$\{\{\s*secrets\.\w+|(?:TWINE_PASSWORD|UV_PUBLISH_TOKEN|"
    r"UV_PUBLISH_PASSWORD|MATURIN_PYPI_TOKEN|MATURIN_PASSWORD)\b"
)


# -- RM5xx targets -----------------------------------------------------------------


@rule("RM501", "required-targets", "The targets the org requires are selected", policy=True)
def _required_targets(repo: Repo) -> Iterator[Finding]:
    required = repo.preset.policy.required_targets if repo.preset else ()
    for target in required:
        if target not in repo.targets:
            yield Finding("RM501", f"target {target!r} is required by the org but not selected")


@rule("RM502", "target-sessions", "Each selected target has the session that runs its output")
def _target_sessions(repo: Repo) -> Iterator[Finding]:
    have = _sessions(repo)
    known = load_targets(repo.template.root)
    for target in repo.targets:
        session = known[target].session if target in known else None
        if session and session not in have:
            yield Finding("RM502", f"target {target} has no `nox -s {session}` session")


@rule("RM503", "toolchain-targets", "rust-toolchain.toml installs every selected target's triple")
def _toolchain_targets(repo: Repo) -> Iterator[Finding]:
    rel = "rust-toolchain.toml"
    ours, clean = repo.toml(rel), repo.rendered.get(rel)
    if ours is None or clean is None:
        return
    want = tomlkit.parse(clean.decode()).unwrap().get("toolchain", {}).get("targets", [])
    have = ours.get("toolchain", {}).get("targets", [])
    missing = [t for t in want if t not in have]
    if missing:
        yield Finding("RM503", f"does not install {', '.join(missing)}", rel)
