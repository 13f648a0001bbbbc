"""Helpers shared by the target sessions: tool checks, build-std mode, running emulators.

Every target session checks its tools first and, when one is missing, fails with the
command that installs it. Two environment variables change that behaviour:

``RUSTML_BUILD_STD=1``
    Build the target's standard library from source (``-Zbuild-std``) instead of using
    the prebuilt one from ``rustup target add``. Needs the ``rust-src`` component of the
    toolchain in use (pick it with ``RUSTUP_TOOLCHAIN``); stable toolchains are allowed to
    use the unstable flag through ``RUSTC_BOOTSTRAP=1`` for the build step only. Useful
    for size-optimised firmware, tier-3 targets and machines where rustup cannot
    download targets.
``RUSTML_SKIP_MISSING=1``
    Mark a session whose tools are missing as SKIPPED (loudly, with the install
    commands) instead of failing it. Never set this where the session must count.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import nox

EMULATOR_TIMEOUT_S = 300
PROJECT = Path(__file__).resolve().parents[2]


# PyO3's build script re-runs, and pyo3, numpy and the bindings recompile, whenever the
# interpreter it would build for changes, and each nox session has its own virtualenv.
# So the sessions' builds all name the virtualenvs' common base interpreter (an abi3
# build needs nothing from a virtualenv): one build serves every session.
BASE_PYTHON = getattr(sys, "_base_executable", None) or sys.executable
#: The environment of every `cargo` run that builds the bindings.
CARGO_ENV: dict[str, str | None] = {"PYO3_PYTHON": BASE_PYTHON, "VIRTUAL_ENV": None}
#: The same for maturin building the package (PEP 517, in uv's isolated build).
MATURIN_ENV = {"MATURIN_PEP517_USE_BASE_PYTHON": "1"}


def install_locked(
    session: nox.Session, *groups: str, project: bool = True, features: tuple[str, ...] = ()
) -> None:
    """Installs the dependency `groups` from uv.lock, then (with `project`) this package.

    ``uv sync --locked`` installs exactly the lock's pins (with their hashes) and fails if
    uv.lock is out of date with pyproject.toml, so nothing unpinned enters a session. The
    package is built from source (maturin from the lock, `features`: Cargo features of the
    bindings) and installed into the session, not as an editable install: sessions that
    build different features would otherwise share one extension in python/.
    """
    venv = session.virtualenv.location
    env = {"UV_PROJECT_ENVIRONMENT": venv, **MATURIN_ENV}
    if features:
        env["MATURIN_PEP517_ARGS"] = f"--features {','.join(features)}"
    chosen = [f"--group={group}" for group in groups]
    where = ["--no-editable"] if project else ["--no-install-project"]
    session.run_install(
        *("uv", "sync", "--locked", "--no-default-groups", *chosen, *where),
        f"--python={venv}",
        env=env,
        external=True,
    )


def nested_workspaces() -> list[Path]:
    """Manifests of the Cargo workspaces beside the root one (e.g. the firmware's)."""
    return [
        manifest.relative_to(PROJECT)
        for manifest in sorted(PROJECT.glob("*/Cargo.toml"))
        if "[workspace]" in manifest.read_text(encoding="utf-8")
    ]


def build_std() -> bool:
    """Whether the sessions build the standard library from source."""
    return os.environ.get("RUSTML_BUILD_STD", "") not in ("", "0")


def output(*args: str) -> str | None:
    """Stripped stdout of a query command, or None when it is missing or fails."""
    try:
        done = subprocess.run(args, capture_output=True, text=True, check=True)  # noqa: S603
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip()


def cargo_metadata(session: nox.Session, *args: str) -> dict[str, Any]:
    """``cargo metadata --format-version 1 ARGS`` (in the current directory) as JSON.

    Read from stdout alone: cargo, and a compiler wrapper such as sccache starting its
    server, write notes to stderr, which nox would mix into the output it returns.
    """
    cmd = [shutil.which("cargo") or "cargo", "metadata", "--format-version", "1", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        session.error(f"cargo metadata failed: {done.stderr.strip()}")
    metadata: dict[str, Any] = json.loads(done.stdout)
    return metadata


def rustc_print(*args: str) -> str:
    """``rustc --print ARGS`` for the toolchain cargo will use."""
    return output(os.environ.get("RUSTC", "rustc"), "--print", *args) or ""


class Requirements:
    """Collects missing tools so that one failure lists every install command."""

    def __init__(self, session: nox.Session) -> None:
        self.session = session
        self.missing: list[str] = []

    def tool(self, name: str, install: str) -> str:
        """Path of the executable `name`; records `install` when it is not on PATH."""
        path = shutil.which(name)
        if path is None:
            self.missing.append(install)
        return path or ""

    def cargo_tool(self, name: str, version: str) -> None:
        """A cargo subcommand installed from crates.io, at least at the pinned `version`."""
        install = f"cargo install --locked {name}@{version}"
        found = output("cargo", name.removeprefix("cargo-"), "--version")
        if found is None:
            self.missing.append(install)
            return
        have = found.split()[-1]
        if _version_tuple(have) < _version_tuple(version):
            self.missing.append(f"{install}  # found {have}, older than the pinned {version}")
        elif have != version:
            self.session.log(f"{name} {have} (this project pins {version})")

    def add(self, install: str) -> None:
        """Records a missing requirement by the command that installs it."""
        self.missing.append(install)

    def target(self, target: str, std_crates: str) -> dict[str, str]:
        """Checks that `target` can be built; returns the environment to build it with.

        `std_crates` are the standard library crates build-std mode compiles, e.g.
        ``core,alloc`` for bare metal or ``std,panic_abort``.
        """
        if build_std():
            sysroot = Path(rustc_print("sysroot") or "/nonexistent")
            if not (sysroot / "lib/rustlib/src/rust/library").is_dir():
                self.missing.append(
                    "rustup component add rust-src  # RUSTML_BUILD_STD=1 builds std from it"
                )
            return {"RUSTC_BOOTSTRAP": "1", "CARGO_UNSTABLE_BUILD_STD": std_crates}
        libdir = rustc_print("target-libdir", "--target", target)
        if not libdir or not any(Path(libdir).glob("libcore-*.rlib")):
            self.missing.append(
                f"rustup target add {target}  # or RUSTML_BUILD_STD=1 to build std from source"
            )
        return {}

    def rust_lld(self, target: str) -> None:
        """WebAssembly and bare-metal targets link with rust-lld (rustup ships it with rustc)."""
        if f"CARGO_TARGET_{env_name(target)}_LINKER" in os.environ:
            return
        sysroot = Path(rustc_print("sysroot") or "/nonexistent")
        if shutil.which("rust-lld") is None and not any(
            p.exists() for p in sysroot.glob("lib/rustlib/*/bin/rust-lld")
        ):
            self.missing.append(
                "rustup component add llvm-tools  # provides rust-lld"
                " (Debian rustc-web: apt-get install rust-web-llvm lld-22)"
            )

    def check(self) -> None:
        """Fails the session (or skips it, with RUSTML_SKIP_MISSING=1) if anything is missing."""
        if not self.missing:
            return
        # One command per line, ready to paste.
        fixes = "".join(f"\n    {fix}" for fix in self.missing)
        name = self.session.name
        if os.environ.get("RUSTML_SKIP_MISSING", "") not in ("", "0"):
            self.session.warn(f"SKIPPED: {name} did not run; missing tools:{fixes}")
            self.session.skip(f"SKIPPED (RUSTML_SKIP_MISSING=1): {name} needs{fixes}")
        self.session.error(
            f"missing tools for the {name} session; install with:{fixes}\nthen retry"
        )


def _version_tuple(version: str) -> tuple[int, ...]:
    release = version.partition("-")[0]
    return tuple(int(part) for part in release.split(".") if part.isdigit())


def env_name(target: str) -> str:
    """`target` as cargo spells it in environment variables."""
    return target.upper().replace("-", "_").replace(".", "_")


def run_captured(cmd: list[str], env: dict[str, str] | None = None) -> tuple[int, str]:
    """Runs `cmd` and returns its exit status and stdout; stderr passes through.

    The command gets its own process group, so that an emulator started by `cargo run`
    that hangs is killed together with cargo after EMULATOR_TIMEOUT_S.
    """
    with subprocess.Popen(  # noqa: S603 (argument lists built by the sessions)
        cmd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as proc:
        try:
            stdout, _ = proc.communicate(timeout=EMULATOR_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            stdout, _ = proc.communicate()
            return -1, stdout
    return proc.returncode, stdout


def compare(session: nox.Session, name: str, expected: str, got: str) -> None:
    """Fails the session unless `got` equals the host's `expected` output, line for line."""
    if got != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), got.splitlines(), "host", name, lineterm=""
        )
        session.error(f"{name} output differs from the host's:\n" + "\n".join(diff))
    session.log(f"{name}: output identical to the host's ({len(got.splitlines())} lines)")
