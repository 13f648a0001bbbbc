"""The generated project's developer workflow, run as its owners run it: ``uv sync
--locked`` and ``uv run pytest`` (a Rust edit rebuilds the extension), the pre-commit
hooks (passing on a fresh render, failing on planted problems), the strict docs build
and the coverage session with its floor. One default project, rendered with its
lockfiles and committed, serves every test here.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import rustml
from rustml._uvlock import uv_binary

from .helpers import GIT_ID, clean_env, outside_tmpdir

pytestmark = pytest.mark.e2e

NAME = "devflow"


@pytest.fixture(scope="module")
def project() -> Iterator[Path]:
    for root in outside_tmpdir("rustml-devflow-"):
        path = root / NAME
        rustml.new(path, data={"project_name": NAME}, lockfile=True)
        subprocess.run(["git", "init", "-q"], cwd=path, check=True)
        subprocess.run(["git", "add", "-A"], cwd=path, check=True)
        subprocess.run(["git", *GIT_ID, "commit", "-qm", "new"], cwd=path, check=True)
        yield path


def run(project: Path, *cmd: str, check: bool = True, timeout: int = 1800) -> str:
    env = {k: v for k, v in clean_env().items() if not k.startswith("UV_")}
    done = subprocess.run(
        list(cmd), cwd=project, env=env, capture_output=True, text=True, timeout=timeout,
        check=False,
    )  # fmt: skip
    out = done.stdout + done.stderr
    if check:
        assert done.returncode == 0, f"{' '.join(cmd)} failed:\n{out[-6000:]}"
    else:
        assert done.returncode != 0, f"{' '.join(cmd)} passed:\n{out[-3000:]}"
    return out


def uv() -> str:
    found = uv_binary()
    assert found is not None
    return found


def restore(project: Path) -> None:
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=project, check=True)
    subprocess.run(["git", "clean", "-qfd", "--", "python", "crates"], cwd=project, check=True)


def test_uv_sync_and_pytest_then_a_rust_edit_rebuilds_the_extension(project: Path) -> None:
    started = time.perf_counter()
    run(project, uv(), "sync", "--locked")
    sys.stdout.write(f"uv sync --locked: {time.perf_counter() - started:.1f} s\n")
    out = run(project, uv(), "run", "--locked", "pytest", "-q", "-p", "no:cacheprovider")
    assert re.search(r"\d+ passed", out), out[-2000:]
    # uv reports its own steps on stderr (`Uninstalled 1 package in 0.56ms`): read the mark.
    probe = f"import {NAME}._core as c; print('REBUILT=' + str(getattr(c, 'REBUILT', 'absent')))"

    def rebuilt() -> str:
        out = run(project, uv(), "run", "--locked", "python", "-c", probe)
        found = re.search(r"^REBUILT=(\S+)$", out, flags=re.MULTILINE)
        assert found, out[-2000:]
        return found[1]

    assert rebuilt() == "absent"
    lib = project / "crates" / f"{NAME}-py" / "src" / "lib.rs"
    version_line = 'm.add("__version__", env!("CARGO_PKG_VERSION"))?;'
    text = lib.read_text()
    assert version_line in text
    lib.write_text(text.replace(version_line, f'{version_line}\n        m.add("REBUILT", 42)?;'))
    try:
        # uv.lock's cache-keys cover the Rust sources: no `uv sync --reinstall` needed.
        assert rebuilt() == "42"
    finally:
        restore(project)


def pre_commit(project: Path, *, check: bool) -> str:
    return run(project, uv(), "run", "--locked", "pre-commit", "run", "--all-files", check=check)


def test_pre_commit_passes_and_catches_a_ruff_error_and_unformatted_rust(project: Path) -> None:
    out = pre_commit(project, check=True)
    for hook in ("ruff check", "cargo fmt", "cargo clippy", "validate-pyproject", "zizmor"):
        assert re.search(rf"^{re.escape(hook)}.*Passed$", out, flags=re.MULTILINE), hook
    try:
        planted = project / "python" / NAME / "_planted.py"
        planted.write_text('"""Planted."""\n\n\ndef f() -> int:\n    return undefined_name\n')
        subprocess.run(["git", "add", str(planted)], cwd=project, check=True)
        out = pre_commit(project, check=False)
        assert re.search(r"^ruff check.*Failed$", out, flags=re.MULTILINE), out[-3000:]
        assert "F821" in out
        restore(project)
        subprocess.run(["git", "reset", "-q"], cwd=project, check=True)
        planted.unlink(missing_ok=True)
        lib = project / "crates" / f"{NAME}-core" / "src" / "lib.rs"
        lib.write_text(lib.read_text() + "\npub fn planted( )->u8{ 1 }\n")
        out = pre_commit(project, check=False)
        assert re.search(r"^cargo fmt.*Failed$", out, flags=re.MULTILINE), out[-3000:]
    finally:
        subprocess.run(["git", "reset", "-q"], cwd=project, check=True)
        restore(project)
    assert pre_commit(project, check=True)


def test_docs_build_strictly_with_the_crates_reference(project: Path) -> None:
    run(project, uv(), "run", "--locked", "nox", "-s", "docs")
    site = project / "site"
    assert "KMeans" in (site / "api" / "index.html").read_text()
    assert (site / "rust" / f"{NAME}_core" / "index.html").is_file()


def test_coverage_combines_rust_and_python_and_fails_under_its_floor(project: Path) -> None:
    # One run (the session is among the e2e tier's longest): with a floor of 100% it prints
    # the combined figures, writes the reports, then fails; the project's own floor
    # (COVERAGE_FLOOR, which the session applies by default) must lie under that total.
    argv = [uv(), "run", "--locked", "nox", "-s", "coverage", "--", "--floor", "100"]
    out = run(project, *argv, check=False)
    assert "is under the floor of 100.00%" in out, out[-3000:]
    figures = dict(re.findall(r"(Rust|Python|total)\s+\d+ of\s+\d+ lines\s+([\d.]+)%", out))
    sys.stdout.write(f"coverage: {figures}\n")
    assert set(figures) == {"Rust", "Python", "total"}, out[-3000:]
    assert float(figures["Rust"]) > 50
    session = (project / "tools" / "nox_sessions" / "coverage.py").read_text()
    floor = re.search(r"^COVERAGE_FLOOR = ([\d.]+)$", session, flags=re.MULTILINE)
    assert floor, "COVERAGE_FLOOR not found in tools/nox_sessions/coverage.py"
    assert float(figures["total"]) >= float(floor.group(1)), (figures, floor.group(1))
    lcov = (project / "target" / "coverage" / "lcov.info").read_text()
    assert "SF:" in lcov
    assert ".rs\n" in lcov
    assert ".py\n" in lcov
    # The extension's lines run by the Python tests count: the bindings crate is covered.
    assert re.search(rf"SF:.*{NAME}-py/src/kmeans\.rs\n(?:(?!end_of_record).*\n)*?LH:[1-9]", lcov)
