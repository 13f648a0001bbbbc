"""Each rule the fleet test does not plant, planted alone on a copy of one project.

The project is generated without resolving its lockfiles and outside git, so its baseline
findings are RM107 and RM202; its uv.lock is the template's seed lock, which was resolved for
exactly a default render's pyproject.toml (test_supply_chain holds that), so RM206 stays
quiet until a case makes it stale. Every case must add exactly its own findings to that
baseline (and drift, RM103, for a file it edits: a rule's finding never hides the edit).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import rustml
from rustml._check import check_repo
from rustml._preset import parse_preset
from rustml._template import load_template, template_root
from rustml._uvlock import SEED

from .helpers import outside_tmpdir

pytestmark = pytest.mark.fleet

BASELINE = {("RM107", None), ("RM202", "Cargo.lock")}


@pytest.fixture(scope="module")
def generated() -> Iterator[Path]:
    for root in outside_tmpdir("rustml-rules-"):
        rustml.new(root / "proj", lockfile=False)
        rustml.new(root / "vendored", data={"vendor": True}, lockfile=False)
        for name in ("proj", "vendored"):  # offline: the seed instead of `uv lock`
            shutil.copyfile(template_root() / SEED, root / name / "uv.lock")
        yield root


def edit(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / rel
        text = path.read_text()
        assert re.search(old, text), f"{old!r} not in {rel}"
        path.write_text(re.sub(old, new, text, count=1))

    return apply


def delete(rel: str) -> Callable[[Path], None]:
    return lambda project: (project / rel).unlink()


def preset(policy: str) -> str:
    return f'[preset]\nname = "org"\n[policy]\n{policy}\n'


CASES = {
    "RM102": (None, preset('min-template-version = "9.0.0"'), {("RM102", None)}),
    "RM105": (
        edit("Cargo.toml", r'members = \["crates/\*"\]', 'members = ["crates/proj-core"]'),
        None,
        {("RM105", "Cargo.toml"), ("RM103", "Cargo.toml")},
    ),
    "RM204": (
        None,
        preset('deny-bans = ["openssl-sys"]'),
        {("RM204", "deny.toml"), ("RM103", "deny.toml")},
    ),
    "RM206": (
        edit("pyproject.toml", r'"numpy>=1.24"', '"numpy>=2"'),
        None,
        {("RM206", "uv.lock"), ("RM103", "pyproject.toml")},
    ),
    "RM207": (
        edit(".pre-commit-config.yaml", r"id: clippy", "id: lint"),
        None,
        {("RM207", ".pre-commit-config.yaml"), ("RM103", ".pre-commit-config.yaml")},
    ),
    "RM302": (
        edit("pyproject.toml", r'requires-python = ">=3.10"', 'requires-python = ">=3.9"'),
        None,
        {("RM302", "pyproject.toml"), ("RM103", "pyproject.toml")},
    ),
    "RM303": (
        edit("Cargo.toml", r'license = "MIT"', 'license = "Apache-2.0"'),
        None,
        {("RM303", "pyproject.toml"), ("RM103", "Cargo.toml")},
    ),
    "RM401": (delete(".github/workflows/ci.yml"), None, {("RM401", ".github/workflows/ci.yml")}),
    "RM402": (
        edit(".github/workflows/ci.yml", r"nox -s lint", "nox -s docs"),
        None,
        {("RM402", ".github/workflows/ci.yml"), ("RM103", ".github/workflows/ci.yml")},
    ),
    "RM403": (None, preset('required-sessions = ["test", "bench-gpu"]'), {("RM403", None)}),
    "RM404": (
        edit(
            ".github/workflows/release.yml",
            r"uses: (pypa/gh-action-pypi-publish@\S+ # \S+)",
            "uses: \\1\n        with:\n          password: ${{ secrets.PYPI_TOKEN }}",
        ),
        None,
        {("RM404", ".github/workflows/release.yml"), ("RM103", ".github/workflows/release.yml")},
    ),
    "RM501": (None, preset('required-targets = ["cpu", "gpu"]'), {("RM501", None)}),
    "RM502": (
        delete("tools/nox_sessions/cross.py"),
        None,
        {("RM502", None), ("RM103", "tools/nox_sessions/cross.py")},
    ),
    "RM503": (
        edit("rust-toolchain.toml", r'targets = \["aarch64-unknown-linux-gnu"\]', "targets = []"),
        None,
        {("RM503", "rust-toolchain.toml"), ("RM103", "rust-toolchain.toml")},
    ),
}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_finds_exactly_its_deviation(generated: Path, tmp_path: Path, rule: str) -> None:
    mutate, policy, expected = CASES[rule]
    project = tmp_path / "proj"
    shutil.copytree(generated / "proj", project)
    baseline = {(f.rule, f.path) for f in check_repo(project).findings}
    assert baseline == BASELINE  # no git, no Cargo.lock; the seed uv.lock is current
    if mutate:
        mutate(project)
    org = parse_preset(policy, "org.toml", load_template()) if policy else None
    report = check_repo(project, preset=org)
    got = {(f.rule, f.path) for f in report.findings}
    assert got == BASELINE | expected, [f"{f.rule} {f.path}: {f.message}" for f in report.findings]


def test_release_workflow_deleted(generated: Path, tmp_path: Path) -> None:
    project = tmp_path / "proj"
    shutil.copytree(generated / "proj", project)
    (project / ".github" / "workflows" / "release.yml").unlink()
    findings = {(f.rule, f.path): f.message for f in check_repo(project).findings}
    assert set(findings) == BASELINE | {("RM404", ".github/workflows/release.yml")}
    assert "rustml update adds it" in findings["RM404", ".github/workflows/release.yml"]


def test_vendoring_without_vendor_dir(generated: Path) -> None:
    report = check_repo(generated / "vendored")
    got = {(f.rule, f.path) for f in report.findings}
    assert got == BASELINE | {("RM205", "vendor")}
