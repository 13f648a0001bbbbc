"""rustml's own CI scripts: shellcheck-clean, and `.ci/install --check` on a bare machine.

`--check` must name every missing piece with its install command and install nothing,
even where the tools it probes are absent (a fresh machine): the probes must never end
the script.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .helpers import REPO, path_without

SCRIPTS = [REPO / ".ci" / "install", REPO / ".ci" / "run"]
#: The pieces whose absence --check must report, by the words it uses for them.
TOOLS = ("wasm-bindgen-cli", "cargo-deny", "cargo-audit")


@pytest.mark.unit
def test_ci_scripts_pass_shellcheck() -> None:
    shellcheck = shutil.which("shellcheck")
    assert shellcheck, "shellcheck is not installed: bash .ci/install (apt package shellcheck)"
    done = subprocess.run(
        [shellcheck, *map(str, SCRIPTS)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout


def _check(path: str, cargo_home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": path, "CARGO_HOME": str(cargo_home)}
    env.pop("RUSTML_CI_TIMES", None)
    return subprocess.run(
        ["bash", str(REPO / ".ci" / "install"), "--check"],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def _farm(directory: Path, tools: dict[str, str]) -> str:
    directory.mkdir()
    for name, target in tools.items():
        (directory / name).symlink_to(target)
    return str(directory)


@pytest.mark.unit
def test_check_without_rust_names_everything_and_installs_nothing(tmp_path: Path) -> None:
    """No Rust at all on PATH: the check still runs to the end and exits 0."""
    rust = ("cargo", "rustc", "rustup", "rustfmt", "rustdoc", "cargo-clippy", "cargo-fmt")
    path = path_without(tmp_path / "bin", *rust, "clippy-driver", *TOOLS, "wasm-bindgen")
    assert shutil.which("cargo", path=path) is None
    home = tmp_path / "cargo-home"
    home.mkdir()
    done = _check(path, home)
    assert done.returncode == 0, done.stderr
    assert "cargo, rustfmt, clippy: MISSING; install with: install Rust with rustup" in done.stdout
    for tool in TOOLS:
        assert f"{tool}" in done.stdout
        assert "MISSING" in next(line for line in done.stdout.splitlines() if tool in line)
    assert "Traceback" not in done.stderr
    assert not done.stderr.strip(), done.stderr
    assert list(home.iterdir()) == []


@pytest.mark.render
def test_check_with_only_rust_on_path_names_the_cargo_tools(tmp_path: Path) -> None:
    """The acceptance check: a PATH with only cargo, rustc, rustup, rustfmt, cargo-clippy
    (then /usr/bin:/bin) and an empty CARGO_HOME."""
    tools = {t: shutil.which(t) for t in ("cargo", "rustc", "rustup", "rustfmt", "cargo-clippy")}
    missing = [t for t, w in tools.items() if w is None]
    assert not missing, f"not on PATH: {missing}"
    path = _farm(tmp_path / "rust", {t: str(w) for t, w in tools.items()}) + ":/usr/bin:/bin"
    home = tmp_path / "cargo-home"
    home.mkdir()
    done = _check(path, home)
    assert done.returncode == 0, done.stderr
    for tool, command in (
        ("wasm-bindgen-cli", "cargo install wasm-bindgen-cli --version ="),
        ("cargo-deny", "cargo install --locked cargo-deny@"),
        ("cargo-audit", "cargo install --locked cargo-audit@"),
    ):
        line = next(line for line in done.stdout.splitlines() if f": {tool} " in line)
        assert "MISSING" in line
        assert command in line
    assert "cargo, rustfmt, clippy: present" in done.stdout
    assert list(home.iterdir()) == []
