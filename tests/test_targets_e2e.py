"""End to end: a project with every target; the common checks, then each target's session.

A target counts only when its output ran and matched the host's: the firmware in QEMU,
the core's tests under qemu-aarch64, the WebAssembly package in Node.js and headless
Chromium, the WGSL shaders on a Vulkan driver (lavapipe on machines without a GPU).

Where rustup has no prebuilt standard library for a target (our CI machines cannot
download one), the sessions build it from source with a toolchain that ships rust-src:
RUSTML_BUILD_STD=1 with RUSTUP_TOOLCHAIN=debian-web, which .ci/install sets up.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import warnings
from pathlib import Path

import pytest

from .dependency_crates import listed, locked_crates, manifest_crates
from .helpers import Project, ProjectChecks, make_project, path_without, target_env

NAME = "My-Proj_2"
pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def project(e2e_root: Path) -> Project:
    return make_project(NAME, e2e_root)


class TestProject(ProjectChecks):
    """The checks every generated project passes, on the all-targets project."""


#: Where the target sessions find the one model every target must run unchanged.
FIXTURE_ENV = "MY_PROJ_2_MODEL_FIXTURE"


@pytest.fixture(scope="module")
def saved_model(project: Project) -> dict[str, str]:
    """One model fitted and saved by the package (tools/model_fixture.py), with Python's
    labels for its query set: every target session below runs this very file."""
    out = project.root / "target" / "shared-model"
    project.run(project.python, "tools/model_fixture.py", str(out))
    assert (out / "model.safetensors").is_file()
    return {FIXTURE_ENV: str(out)}


def nox(project: Project, session: str, env: dict[str, str] | None = None) -> str:
    """Runs `nox -s session` in the project; returns its output (it must pass)."""
    proc = project.run(sys.executable, "-m", "nox", "-s", session, env=env, timeout=1800)
    return proc.stdout + proc.stderr


def nox_fails(project: Project, session: str, env: dict[str, str]) -> str:
    proc = project.run_unchecked(sys.executable, "-m", "nox", "-s", session, env=env)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out[-3000:]
    return out


def test_embedded_firmware_runs_in_qemu(project: Project, saved_model: dict[str, str]) -> None:
    out = nox(project, "embedded", {**target_env(), **saved_model})
    assert "thumbv7em-none-eabihf: output identical to the host's" in out
    assert re.search(r"^\.text\s+\d+", out, flags=re.MULTILINE), out[-2000:]
    assert "48 labels of the saved model identical to Python's" in out, out[-3000:]


def test_cross_aarch64_runs_under_qemu_user(project: Project) -> None:
    out = nox(project, "cross", target_env())
    assert "aarch64-unknown-linux-gnu example: output identical to the host's" in out
    assert re.search(r"test result: ok\. \d+ passed", out)
    assert "e_machine 183" in out
    assert "manylinux_2_17_aarch64" in out


def test_wasm_runs_in_node_and_chromium(project: Project, saved_model: dict[str, str]) -> None:
    out = nox(project, "wasm", {**target_env(), **saved_model})
    assert re.search(r"my_proj_2_wasm_bg\.wasm: \d+ bytes, \d+ gzipped", out)
    assert "# pass 8" in out
    assert "# fail 0" in out
    # The page (headless Chromium) and Node.js ran the model saved in Python.
    assert "48 points labelled by the saved model == Python" in out, out[-3000:]
    png = Path(project.root / "target" / "wasm" / "demo.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_gpu_shaders_run_on_vulkan(project: Project, saved_model: dict[str, str]) -> None:
    out = nox(project, "gpu", saved_model)
    assert re.search(r"wgpu adapter: .+\(Vulkan", out), out[-3000:]
    assert "label mismatches 0" in out
    # Every device test ran and passed: nothing skipped, failed or deselected on the line.
    summary = re.search(r"=+ (\d+) passed in [\d.]+s( \([\d:]+\))? =+", out)
    assert summary, out[-3000:]
    # test_a_saved_model_predicts_on_the_gpu_what_python_predicts among them.
    assert int(summary.group(1)) >= 11, summary.group(0)


def test_serve_answers_as_python_under_load_and_signals(
    project: Project, saved_model: dict[str, str]
) -> None:
    """The server: the saved model's labels, wrk against it and against FastAPI (short),
    SIGHUP and SIGTERM under load. Release builds without LTO (the project's environment,
    FAST_RELEASE): behaviour, not peak speed."""
    argv = [sys.executable, "-m", "nox", "-s", "serve", "--", "--seconds", "2"]
    proc = project.run(*argv, env=saved_model, timeout=1800)
    out = proc.stdout + proc.stderr
    assert "shared model: 48 labels identical to Python's" in out, out[-3000:]
    report = json.loads((project.root / "target" / "serve" / "serve.json").read_text())
    assert report["rust"]["requests_per_s"] > report["fastapi"]["requests_per_s"]
    assert report["sighup"]["failed"] == 0
    assert report["sigterm"]["exit_code"] == 0
    assert report["sigterm"]["failed"] == 0


def test_gpu_without_driver_raises_the_documented_exception(project: Project) -> None:
    """The default build (no `gpu` feature) and a missing driver both raise cleanly."""
    script = (
        "import numpy as np, my_proj_2 as pkg\n"
        "try:\n"
        "    pkg.KMeans(2, device='gpu').fit(np.zeros((4, 2)))\n"
        "except pkg.GpuUnavailableError as err:\n"
        "    print('GpuUnavailableError:', err)\n"
    )
    env = {"VK_ICD_FILENAMES": "/nonexistent", "VK_DRIVER_FILES": "/nonexistent"}
    out = project.run(project.python, "-c", script, env=env).stdout
    assert out.startswith("GpuUnavailableError:"), out


def test_wheels_session_builds_and_checks_the_linux_release_wheels(project: Project) -> None:
    """The release matrix's Linux part, here, quick: the host's abi3 and cp314t wheels and
    the aarch64 musllinux one, each audited; the sdist built into a wheel offline; the
    tests against the host's wheel with the lowest Python found (`nox -s wheels` alone
    builds all four Linux platforms twice and tests with every Python)."""
    argv = [sys.executable, "-m", "nox", "-s", "wheels", "--", "--quick"]
    # Release builds without LTO (FAST_RELEASE): the checks are about the wheels.
    proc = project.run(*argv, env=target_env(), timeout=3000)
    out = proc.stdout + proc.stderr
    for policy, machine in (("manylinux_2_17_x86_64", 62), ("musllinux_1_2_aarch64", 183)):
        assert re.search(
            rf"cp3\d+-abi3-\S*{policy}\.whl: \d+ KiB; \S+abi3\.so: ELF64 e_machine {machine};"
            rf" auditwheel: {policy}, no external libraries",
            out,
        ), (policy, out[-3000:])
    assert re.search(r"cp314-cp314t-\S+x86_64\.whl: \d+ KiB; \S+cpython-314t-", out), out[-3000:]
    assert re.search(r"sdist -> \S+\.whl, built offline", out), out[-3000:]
    assert re.search(r"Python 3\.\d+ \(.+\): \S+\.whl: \d+ passed", out), out[-3000:]
    # The release workflow's smoke test, on the host's wheel.
    dist = project.root / "dist" / "wheels" / "x86_64-unknown-linux-gnu" / "abi3"
    smoke = project.run(sys.executable, "tools/smoke.py", str(dist), timeout=900)
    assert "fit/predict ok, extension _core.abi3.so" in smoke.stdout, smoke.stdout


@pytest.mark.parametrize(
    ("session", "hide", "env", "install"),
    [
        ("embedded", ("qemu-system-arm",), {}, "apt-get install qemu-system-arm"),
        ("cross", ("qemu-aarch64",), {}, "apt-get install qemu-user"),
        ("wasm", ("wasm-bindgen",), {}, "cargo install wasm-bindgen-cli --version =0.2.130"),
        ("gpu", (), {"VK_ICD_FILENAMES": "/nonexistent"}, "apt-get install mesa-vulkan-drivers"),
    ],
)
def test_missing_tool_fails_with_the_install_command(
    project: Project,
    tmp_path: Path,
    session: str,
    hide: tuple[str, ...],
    env: dict[str, str],
    install: str,
) -> None:
    env = {**target_env(), **env}
    if hide:
        env["PATH"] = path_without(tmp_path / "bin", *hide)
        # The session's own tools (nox, cargo) must stay reachable.
        assert all(shutil.which(t, path=env["PATH"]) for t in ("cargo", "rustc"))
    out = nox_fails(project, session, env)
    assert install in out, out[-3000:]


def test_missing_tool_is_skipped_loudly_on_request(project: Project, tmp_path: Path) -> None:
    env = {**target_env(), "RUSTML_SKIP_MISSING": "1"}
    env["PATH"] = path_without(tmp_path / "bin", "qemu-system-arm")
    proc = project.run(sys.executable, "-m", "nox", "-s", "embedded", env=env)
    out = proc.stdout + proc.stderr
    assert "SKIPPED" in out
    assert "apt-get install qemu-system-arm" in out


def test_target_sessions_leave_no_untracked_artifacts(project: Project) -> None:
    """Runs last: wheels, bindings, screenshots and firmware all land in ignored places."""
    project.run("git", "init", "-q")
    out = project.run("git", "status", "--porcelain", "--untracked-files=all").stdout
    paths = [line[3:] for line in out.splitlines()]
    built = ("target/", "embedded/target/", "dist/", ".nox/")
    assert not [p for p in paths if p.startswith(built) or p.endswith((".so", ".whl", ".png"))]


def test_the_name_rules_know_every_crate_of_the_dependency_graph(project: Project) -> None:
    """The crate-prefix rule's list holds every crate an all-targets project depends on.

    templates/includes/dependency-crates.txt; refresh it with nox -s template-names. The
    crates the project's manifests name must all be there (the template pins them); the
    transitive rest moves with crates.io releases, so a new one there is a warning that
    asks for the refresh rather than a failure of an unchanged template.
    """
    locked = locked_crates(project.root, "my-proj-2")
    assert locked, "the project has no lockfile"
    direct = manifest_crates(project.root, "my-proj-2")
    assert direct <= locked, f"manifest crates missing from the lockfile: {sorted(direct - locked)}"
    known = listed()
    missing = sorted(direct - known)
    assert not missing, f"not in dependency-crates.txt (nox -s template-names): {missing}"
    drifted = sorted(locked - known)
    if drifted:
        warnings.warn(
            f"crates.io moved: transitive crates not in dependency-crates.txt, "
            f"refresh with nox -s template-names: {drifted}",
            stacklevel=1,
        )
