"""Rendering each option (no Rust builds): files, names, metadata, formatting."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rustml
import tomllib
import yaml
from rustml._targets import load_targets
from rustml._template import load_template

from .helpers import RenderFn

pytestmark = pytest.mark.render

JINJA_LEFTOVER = re.compile(r"\{\{|\{%|\{#|\.jinja$")


def read_toml(path: Path) -> dict:
    return tomllib.loads(path.read_text())


def test_default_project_layout(render: RenderFn) -> None:
    result = render("demo")
    files = {str(f) for f in result.files}
    expected = {
        ".copier-answers.yml",
        ".gitignore",
        "Cargo.toml",
        "CHANGELOG.md",
        "LICENSE",
        "README.md",
        "noxfile.py",
        "pyproject.toml",
        "rust-toolchain.toml",
        "rustfmt.toml",
        ".github/workflows/ci.yml",
        "crates/demo-core/Cargo.toml",
        "crates/demo-core/src/lib.rs",
        "crates/demo-core/src/kmeans.rs",
        "crates/demo-core/src/scaler.rs",
        "crates/demo-core/src/error.rs",
        "crates/demo-py/Cargo.toml",
        "crates/demo-py/src/lib.rs",
        "crates/demo-py/src/errors.rs",
        "python/demo/__init__.py",
        "python/demo/_core.pyi",
        "python/demo/exceptions.py",
        "python/demo/py.typed",
        "tests/test_kmeans.py",
        "tests/test_scaler.py",
    }
    assert expected <= files, expected - files
    optional = [n for n, t in load_targets().items() if not t.required]
    assert not [f for f in files if any(name in f for name in optional)]


def test_no_template_syntax_survives(render: RenderFn) -> None:
    result = render("demo")
    for rel in result.files:
        assert not JINJA_LEFTOVER.search(str(rel)), rel
        text = (result.path / rel).read_text(errors="replace")
        leftovers = [
            ln for ln in text.splitlines() if JINJA_LEFTOVER.search(ln) and "${{" not in ln
        ]
        assert not leftovers, (rel, leftovers[:3])


def test_github_expressions_survive(render: RenderFn) -> None:
    result = render("demo")
    ci = (result.path / ".github/workflows/ci.yml").read_text()
    assert "${{ matrix.python-version }}" in ci
    assert "${{ toJSON(needs) }}" in ci
    yaml.safe_load(ci)


def test_ci_none_has_no_workflows(render: RenderFn) -> None:
    result = render("demo", ci="none")
    assert not (result.path / ".github").exists()


def test_names_flow_into_every_manifest(render: RenderFn) -> None:
    result = render("My-Proj_2")
    root = result.path
    workspace = read_toml(root / "Cargo.toml")
    assert "my-proj-2-core" in workspace["workspace"]["dependencies"]
    core = read_toml(root / "crates/my-proj-2-core/Cargo.toml")
    assert core["package"]["name"] == "my-proj-2-core"
    py = read_toml(root / "crates/my-proj-2-py/Cargo.toml")
    assert py["lib"]["name"] == "_core"
    pyproject = read_toml(root / "pyproject.toml")
    assert pyproject["project"]["name"] == "my-proj-2"
    assert pyproject["tool"]["maturin"]["module-name"] == "my_proj_2._core"
    assert pyproject["tool"]["maturin"]["manifest-path"] == "crates/my-proj-2-py/Cargo.toml"
    assert (root / "python/my_proj_2/__init__.py").is_file()
    assert "class MyProj2Error(Exception)" in (root / "python/my_proj_2/exceptions.py").read_text()


@pytest.mark.parametrize("python_min", load_template().questions["python_min"].choices)
def test_python_min(render: RenderFn, python_min: str) -> None:
    result = render("demo", python_min=python_min)
    tag = python_min.replace(".", "")
    pyproject = read_toml(result.path / "pyproject.toml")
    assert pyproject["project"]["requires-python"] == f">={python_min}"
    # ruff derives its target from requires-python (one place for the minimum).
    assert "target-version" not in pyproject["tool"]["ruff"]
    py = read_toml(result.path / "crates/demo-py/Cargo.toml")
    assert f"abi3-py{tag}" in py["dependencies"]["pyo3"]["features"]
    ci = yaml.safe_load((result.path / ".github/workflows/ci.yml").read_text())
    versions = ci["jobs"]["test"]["strategy"]["matrix"]["python-version"]
    assert versions[0] == python_min


@pytest.mark.parametrize(
    ("license_id", "files", "marker"),
    [
        ("MIT", {"LICENSE"}, "MIT License"),
        ("Apache-2.0", {"LICENSE"}, "Apache License"),
        ("MIT OR Apache-2.0", {"LICENSE-MIT", "LICENSE-APACHE"}, "MIT License"),
        ("BSD-3-Clause", {"LICENSE"}, "BSD 3-Clause License"),
        ("Proprietary", {"LICENSE"}, "All rights reserved"),
    ],
)
def test_license(render: RenderFn, license_id: str, files: set[str], marker: str) -> None:
    result = render("demo", license=license_id, author_name="Ada Lovelace", copyright_year="2031")
    present = {p.name for p in result.path.glob("LICENSE*")}
    assert present == files
    main = "LICENSE-MIT" if "LICENSE-MIT" in files else "LICENSE"
    text = (result.path / main).read_text()
    assert marker in text
    if license_id != "Apache-2.0":
        assert "2031" in text
        assert "Ada Lovelace" in text
    spdx = "LicenseRef-Proprietary" if license_id == "Proprietary" else license_id
    assert read_toml(result.path / "Cargo.toml")["workspace"]["package"]["license"] == spdx
    assert read_toml(result.path / "pyproject.toml")["project"]["license"] == spdx


def test_answers_file_records_every_answer_and_nothing_derived(render: RenderFn) -> None:
    result = render("demo", license="Apache-2.0")
    answers = yaml.safe_load((result.path / ".copier-answers.yml").read_text())
    template = load_template()
    assert set(template.asked) <= set(answers)
    assert not {k for k, q in template.questions.items() if q.computed} & set(answers)
    assert answers["_commit"] == f"v{rustml.__version__}"
    assert "/" not in answers["_src_path"]  # machine-independent
    assert answers["license"] == "Apache-2.0"


def test_every_toml_parses(render: RenderFn) -> None:
    result = render("demo")
    for path in result.path.rglob("*.toml"):
        tomllib.loads(path.read_text())


ALL_TARGETS = list(load_targets())


@pytest.mark.parametrize(
    ("name", "targets"),
    [
        ("a", ["cpu"]),
        ("a", ALL_TARGETS),
        ("zz", ALL_TARGETS),
        ("My-Proj_2", ALL_TARGETS),
        ("zyxwvutsrqponmlkjihgfedcbazyxwvu", ["cpu"]),
        ("zyxwvutsrqponmlkjihgfedcbazyxwvu", ALL_TARGETS),
    ],
)
def test_output_is_already_formatted_for_any_name(
    render: RenderFn, name: str, targets: list[str]
) -> None:
    """Formatting must not depend on name length or sort order (updates replay renders)."""
    root = render(name, targets=targets).path
    assert shutil.which("cargo"), "needs cargo with rustfmt"
    checks = [
        ["cargo", "fmt", "--all", "--check"],
        [sys.executable, "-m", "ruff", "format", "--check", "."],
        [sys.executable, "-m", "ruff", "check", "."],
    ]
    for target in targets:  # e.g. the firmware: a workspace of its own
        if workspace := load_targets()[target].workspace:
            manifest = f"{workspace}/Cargo.toml"
            checks.append(["cargo", "fmt", "--all", "--check", "--manifest-path", manifest])
    for cmd in checks:
        proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=False)
        assert proc.returncode == 0, (cmd, proc.stdout[-2000:], proc.stderr[-2000:])


# Words only a target's own files use (targets.yml: traces); a project without the target
# must not contain them.
TARGET_TRACES = {name: list(t.traces) for name, t in load_targets().items() if t.traces}


@pytest.mark.parametrize("absent", sorted(TARGET_TRACES))
def test_a_target_not_selected_leaves_no_trace(render: RenderFn, absent: str) -> None:
    targets = [t for t in ALL_TARGETS if t != absent]
    root = render("demo", targets=targets).path
    for path in root.rglob("*"):
        rel = str(path.relative_to(root))
        text = rel + (path.read_text(errors="replace") if path.is_file() else "")
        text = text.replace("--disable-gpu", "")  # a Chromium flag of the wasm tests
        for word in TARGET_TRACES[absent]:
            assert word not in text.lower(), f"{rel} mentions {word!r}"


def test_each_target_adds_its_own_files(render: RenderFn) -> None:
    root = render("demo", targets=ALL_TARGETS).path
    expected = [
        "crates/demo-gpu/src/kmeans_assign.wgsl",
        "crates/demo-py/src/gpu.rs",
        "tests/test_gpu.py",
        "tools/nox_sessions/gpu.py",
        "crates/demo-wasm/src/lib.rs",
        "crates/demo-wasm/www/index.html",
        "tools/nox_sessions/wasm.py",
        "embedded/src/main.rs",
        "embedded/Cargo.toml",
        "tools/nox_sessions/embedded.py",
        "tools/nox_sessions/cross.py",
        "crates/demo-core/examples/cluster.rs",
        "crates/demo-serve/src/batch.rs",
        "crates/demo-serve/tests/api.rs",
        "tools/nox_sessions/serve.py",
        "tools/serve_check.py",
        "tools/serve_baseline.py",
        "docs/serving.md",
        "embedded/model.safetensors",
        "embedded/queries.f32",
    ]
    for rel in expected:
        assert (root / rel).is_file(), rel
