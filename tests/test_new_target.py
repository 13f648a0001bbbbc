"""Adding a target is one registry entry plus the target's own files.

On a copy of rustml (generator/, templates/, .ci/) a fictional target `toy` gets an entry
in templates/targets.yml, a crate, a nox session module, a CI job file and two snippets
for the shared files' slots, and nothing else changes: no edit to generator/, tests/ or
copier.yml's questions. Then `rustml new` renders it (its snippets in place), `rustml
check` expects its session, the variant matrix includes it, the generated CI runs its job
inside `all-green`, and `.ci/install --check` asks for its apt packages and tools.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .helpers import REPO

pytestmark = pytest.mark.render

TOY = {
    "help": "a fictional accelerator",
    "session": "toy",
    "session_help": "the toy build",
    "cross": False,
    "rust_triples": [],
    "crates": ["toy"],
    "licenses": [],
    "errors": {},
    "ci_job": True,
    "apt": ["toy-emulator-rustml-test"],
    "tools": [
        {
            "label": "toy-flasher (the toy's own tool)",
            "have": "command -v toy-flasher-rustml-test >/dev/null",
            "install": "false",
            "hint": "cargo install toy-flasher --version =${pin_rust_toolchain}",
        }
    ],
    "docs": "targets/toy.md",
    "traces": ["toy"],
}
CRATE_DIR = "crates/{% if 'toy' in targets %}{{ crates.toy }}{% endif %}"
TOY_FILES = {
    f"{CRATE_DIR}/Cargo.toml.jinja": """[package]
name = "{{ crates.toy }}"
description = "The toy target of {{ project_name }}."
version.workspace = true
edition.workspace = true
license.workspace = true

[lints]
workspace = true
""",
    f"{CRATE_DIR}/src/lib.rs": "//! The toy target.\n",
    "tools/nox_sessions/{% if 'toy' in targets %}toy.py{% endif %}": '''"""The toy target."""

import nox


@nox.session
def toy(session: nox.Session) -> None:
    """Run the toy build."""
    session.run("cargo", "build", "-p", "toy", external=True)
''',
}
# The toy's own lines in shared files (templates/includes/slots.jinja's extension points).
SLOTS = {
    "workspace-dependencies.toml": '{{ crates.toy }} = { path = "crates/{{ crates.toy }}" }\n',
    "core-stubs.pyi": "def toy_available() -> bool: ...\n",
}
CI_JOB = """  toy:
    runs-on: ubuntu-latest
    steps:
      - run: pipx run --spec uv=={{ uv_locked }} uv run --locked --only-group tasks nox -s toy
{#- The toy target's job. #}
"""


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rustml-copy")
    for part in ("generator", "templates", ".ci"):
        shutil.copytree(REPO / part, root / part, ignore=shutil.ignore_patterns("__pycache__"))
    registry = root / "templates" / "targets.yml"
    registry.write_text(
        registry.read_text(encoding="utf-8") + yaml.safe_dump({"toy": TOY}, sort_keys=False),
        encoding="utf-8",
    )
    for rel, text in TOY_FILES.items():
        path = root / "templates" / "project" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    own = root / "templates" / "includes" / "targets" / "toy"
    own.mkdir(parents=True)
    (own / "ci-job.yml.jinja").write_text(CI_JOB, encoding="utf-8")
    for slot, text in SLOTS.items():
        (own / f"{slot}.jinja").write_text(text, encoding="utf-8")
    return root


def rustml_of(copy: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The copy's rustml (its generator/ first on the path, so its templates/ is used)."""
    env = {**os.environ, "PYTHONPATH": str(copy / "generator")}
    return subprocess.run(
        [sys.executable, "-m", "rustml", *args],
        cwd=cwd, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def project(copy: Path) -> Path:
    dst = copy.parent / "with-toy"
    done = rustml_of(copy, "new", str(dst), "--defaults", "--no-lock", "-d", "targets=[cpu, toy]")
    assert done.returncode == 0, done.stderr
    return dst


def test_the_copy_uses_its_own_template(copy: Path) -> None:
    probe = subprocess.run(
        [sys.executable, "-c", "import rustml._template as t; print(t.template_root())"],
        env={**os.environ, "PYTHONPATH": str(copy / "generator")},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert Path(probe.stdout.strip()) == copy / "templates"


def test_new_renders_the_new_target(project: Path) -> None:
    crate = project / "crates" / "with-toy-toy"
    assert (crate / "Cargo.toml").is_file()
    assert (project / "tools" / "nox_sessions" / "toy.py").is_file()
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert answers["targets"] == ["cpu", "toy"]


def test_its_lines_fill_the_shared_files_slots(project: Path) -> None:
    cargo = (project / "Cargo.toml").read_text(encoding="utf-8")
    assert 'with-toy-toy = { path = "crates/with-toy-toy" }\n\ndivan' in cargo
    stubs = (project / "python" / "with_toy" / "_core.pyi").read_text(encoding="utf-8")
    assert stubs.endswith(") -> npt.NDArray[_F]: ...\ndef toy_available() -> bool: ...\n")
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert "nox -s toy         # the toy build\n" in readme


def test_generated_ci_runs_its_job_in_all_green(project: Path) -> None:
    workflow = yaml.safe_load((project / ".github" / "workflows" / "ci.yml").read_text())
    assert "toy" in workflow["jobs"]
    assert "toy" in workflow["jobs"]["all-green"]["needs"]


def test_check_expects_its_session(copy: Path, project: Path) -> None:
    clean = rustml_of(copy, "check", str(project), "--format", "json")
    report = json.loads(clean.stdout)
    assert not [f for r in report["repos"] for f in r["findings"] if f["id"] == "RM502"]
    session = project / "tools" / "nox_sessions" / "toy.py"
    kept = session.read_bytes()
    session.unlink()
    try:
        broken = rustml_of(copy, "check", str(project), "--format", "json")
    finally:
        session.write_bytes(kept)
    findings = [f for r in json.loads(broken.stdout)["repos"] for f in r["findings"]]
    assert any(f["id"] == "RM502" and "nox -s toy" in f["message"] for f in findings), findings


def test_the_variant_matrix_includes_it(copy: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c",
         "from rustml._variants import variants; print('\\n'.join(v.name for v in variants()))"],
        env={**os.environ, "PYTHONPATH": str(copy / "generator")},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert any(name.split(",")[0] == "cpu+toy" for name in done.stdout.split()), done.stdout


def test_ci_install_check_asks_for_its_tools(copy: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "RUSTML_CI_TIMES"}
    done = subprocess.run(
        ["bash", str(copy / ".ci" / "install"), "--check"],
        env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "toy-emulator-rustml-test" in done.stdout, done.stdout
    pin = yaml.safe_load((REPO / "templates" / "pins.yml").read_text(encoding="utf-8"))
    hint = f"cargo install toy-flasher --version ={pin['rust_toolchain']}"
    wanted = f"toy-flasher (the toy's own tool): MISSING; install with: {hint}"
    assert wanted in done.stdout, done.stdout
