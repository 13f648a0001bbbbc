"""Development tasks: ``nox`` runs lint and test, ``nox -s NAME`` runs one session."""

from __future__ import annotations

import difflib
import os
import shutil
import signal
import subprocess
import zipfile
from pathlib import Path

import nox

nox.options.sessions = ["lint", "test"]
nox.options.reuse_venv = "yes"


@nox.session
def develop(session: nox.Session) -> None:
    """Build the extension in debug mode and install it in the session's environment."""
    session.install("maturin")
    session.run("maturin", "develop", "--extras", "test", *session.posargs)


@nox.session
def build(session: nox.Session) -> None:
    """Build a release wheel into dist/."""
    session.install("maturin")
    session.run("maturin", "build", "--release", "--out", "dist", *session.posargs)


@nox.session
def test(session: nox.Session) -> None:
    """Run the Rust tests, then pytest against the installed package."""
    session.run("cargo", "test", "--workspace", external=True)
    session.install(".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Check formatting, lints, types and that the stubs match the extension."""
    session.run("cargo", "fmt", "--all", "--check", external=True)
    session.run(
        "cargo", "clippy", "--workspace", "--all-targets", "--", "-D", "warnings", external=True
    )
    session.install(".", "mypy", "ruff")
    session.run("ruff", "check", *session.posargs)
    session.run("ruff", "format", "--check", *session.posargs)
    session.run("mypy")
    session.run("python", "-m", "mypy.stubtest", "demo._core")


# --- Cross targets ---------------------------------------------------------------
#
# By default these sessions use the toolchain's prebuilt standard library for the
# target (`rustup target add ...`). With RUSTML_BUILD_STD=1 they build it from source
# instead (`-Zbuild-std`, enabled through RUSTC_BOOTSTRAP=1), for toolchains that ship
# `rust-src` but cannot download targets, e.g. Debian's rustc-web with rust-web-src:
#
#     RUSTML_BUILD_STD=1 RUSTC=/usr/bin/rustc nox -s embedded cross

EMBEDDED_DIR = Path("embedded")
# target -> QEMU system emulator its `.cargo/config.toml` runner uses.
EMBEDDED_TARGETS = {
    "thumbv7em-none-eabihf": "qemu-system-arm",  # Cortex-M4F, mps2-an386
    "thumbv7m-none-eabi": "qemu-system-arm",  # Cortex-M3, lm3s6965evb
}
CROSS_TARGET = "aarch64-unknown-linux-gnu"
EM_AARCH64 = 183  # ELF e_machine of AArch64
QEMU_TIMEOUT_S = 120


def _build_std() -> bool:
    return os.environ.get("RUSTML_BUILD_STD", "") not in ("", "0")


def _rustc_print(session: nox.Session, *args: str) -> str:
    rustc = os.environ.get("RUSTC", "rustc")
    out = session.run(rustc, "--print", *args, external=True, silent=True, log=False)
    return str(out).strip()


def _require_tool(session: nox.Session, tool: str, install: str) -> None:
    if shutil.which(tool) is None:
        session.error(f"{tool} not found; install it with: {install}")


def _target_env(session: nox.Session, target: str, std_crates: str) -> dict[str, str]:
    """Checks that `target` can be built and returns the environment to build it with."""
    sysroot = Path(_rustc_print(session, "sysroot"))
    if _build_std():
        if not (sysroot / "lib/rustlib/src/rust/library").is_dir():
            session.error(
                "RUSTML_BUILD_STD=1 needs the standard library's source; install it with: "
                "rustup component add rust-src (Debian rustc-web: apt-get install rust-web-src)"
            )
        return {"RUSTC_BOOTSTRAP": "1", "CARGO_UNSTABLE_BUILD_STD": std_crates}
    libdir = Path(_rustc_print(session, "target-libdir", "--target", target))
    if not any(libdir.glob("libcore-*.rlib")):
        session.error(
            f"no standard library for {target}; install it with: rustup target add {target}"
            " (or set RUSTML_BUILD_STD=1 to build it from source)"
        )
    return {}


def _require_rust_lld(session: nox.Session, target: str) -> None:
    """Bare-metal targets link with rust-lld, which rustup ships beside rustc."""
    if f"CARGO_TARGET_{target.upper().replace('-', '_')}_LINKER" in os.environ:
        return
    host_bin = Path(_rustc_print(session, "target-libdir")).parent / "bin"
    if not (host_bin / "rust-lld").exists() and shutil.which("rust-lld") is None:
        session.error(
            "rust-lld not found; install it with: apt-get install lld-22 (Debian rustc-web)"
        )


def _run_captured(cmd: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Runs `cmd`, returning its exit status and stdout; stderr passes through.

    The command gets its own process group so that a hung emulator started by
    `cargo run` is killed together with cargo.
    """
    with subprocess.Popen(  # noqa: S603 (fixed argument lists built in this file)
        cmd,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as proc:
        try:
            stdout, _ = proc.communicate(timeout=QEMU_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            stdout, _ = proc.communicate()
            return -1, stdout
    return proc.returncode, stdout


def _compare(session: nox.Session, name: str, expected: str, got: str) -> None:
    if got != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), got.splitlines(), "host", name, lineterm=""
        )
        session.error(f"{name} output differs from the host's:\n" + "\n".join(diff))
    session.log(f"{name}: {len(got.splitlines())} lines identical to the host's")


@nox.session(python=False)
def embedded(session: nox.Session) -> None:
    """Build the firmware in embedded/, run it in QEMU and compare with the host.

    `nox -s embedded -- thumbv7m-none-eabi` selects another board (see EMBEDDED_TARGETS).
    """
    targets = session.posargs or ["thumbv7em-none-eabihf"]
    for target in targets:
        if target not in EMBEDDED_TARGETS:
            session.error(f"unknown target {target}; choose from {', '.join(EMBEDDED_TARGETS)}")
        _require_tool(session, EMBEDDED_TARGETS[target], "apt-get install qemu-system-arm")
    host = _rustc_print(session, "host-tuple")
    session.chdir(EMBEDDED_DIR)

    # Reference: the same program under std on the host (no build-std needed there).
    status, expected = _run_captured(["cargo", "run", "--quiet", "--target", host], {})
    if status != 0:
        session.error(f"host reference run failed (exit status {status}):\n{expected}")

    for target in targets:
        env = _target_env(session, target, "core,alloc")
        _require_rust_lld(session, target)
        session.run("cargo", "build", "--release", "--target", target, env=env, external=True)
        # `cargo run` uses the QEMU runner from embedded/.cargo/config.toml.
        cmd = ["cargo", "run", "--quiet", "--release", "--target", target]
        status, got = _run_captured(cmd, env)
        print(got, end="")
        if status != 0:
            session.error(f"firmware for {target} exited with status {status}")
        _compare(session, target, expected, got)
        elf = Path("target", target, "release", "demo-embedded")
        for size in ("size", "llvm-size", "arm-none-eabi-size"):
            if shutil.which(size):
                session.run(size, str(elf), external=True)
                break


@nox.session
def cross(session: nox.Session) -> None:
    """Cross-test the core for 64-bit ARM Linux under qemu-aarch64 and build its wheel."""
    _require_tool(
        session,
        "aarch64-linux-gnu-gcc",
        "apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross",
    )
    _require_tool(session, "qemu-aarch64", "apt-get install qemu-user")
    std_env = _target_env(session, CROSS_TARGET, "std")
    # The Debian cross glibc lives in /usr/aarch64-linux-gnu; with multiarch
    # libc6:arm64 installed it is in / instead, and `-L` would mix the two.
    qemu = "qemu-aarch64"
    if not Path("/lib/ld-linux-aarch64.so.1").exists():
        qemu += " -L /usr/aarch64-linux-gnu"
    # Set through the environment so that a user's own configuration wins.
    var = f"CARGO_TARGET_{CROSS_TARGET.upper().replace('-', '_')}"
    defaults = {f"{var}_LINKER": "aarch64-linux-gnu-gcc", f"{var}_RUNNER": qemu}
    env = {**std_env, **{k: v for k, v in defaults.items() if k not in os.environ}}

    # Unit, integration and doc tests, with the multi-threaded kernels.
    cargo_core = ["cargo", "test", "-p", "demo-core", "--features", "parallel"]
    session.run(*cargo_core, "--target", CROSS_TARGET, env=env, external=True)

    example = ["cargo", "run", "--quiet", "-p", "demo-core", "--example", "cluster"]
    status, expected = _run_captured(example, {})
    if status != 0:
        session.error(f"host example failed (exit status {status})")
    status, got = _run_captured([*example, "--target", CROSS_TARGET], env)
    print(got, end="")
    if status != 0:
        session.error(f"example under qemu-aarch64 failed (exit status {status})")
    _compare(session, f"{CROSS_TARGET} example", expected, got)

    # manylinux wheel: zig links against an old glibc (2.17), whatever the host has;
    # maturin sets zig as the linker, so the gcc linker above must not be passed on.
    session.install("maturin", "ziglang")
    out = Path("dist", CROSS_TARGET)
    shutil.rmtree(out, ignore_errors=True)
    session.run(
        "maturin",
        "build",
        "--release",
        "--target",
        CROSS_TARGET,
        "--zig",
        "--out",
        str(out),
        env=std_env,
    )
    (wheel,) = out.glob("*.whl")
    _check_wheel(session, wheel)


def _check_wheel(session: nox.Session, wheel: Path) -> None:
    """Checks the wheel's platform tag and that its extension is an AArch64 ELF."""
    with zipfile.ZipFile(wheel) as zf:
        meta = next(n for n in zf.namelist() if n.endswith(".dist-info/WHEEL"))
        tags = [
            line.split(":", 1)[1].strip()
            for line in zf.read(meta).decode().splitlines()
            if line.startswith("Tag:")
        ]
        (ext,) = (n for n in zf.namelist() if n.endswith(".so"))
        header = zf.read(ext)[:20]
    if not tags or not all("manylinux" in t and t.endswith("_aarch64") for t in tags):
        session.error(f"{wheel.name}: unexpected platform tags {tags}")
    # ELF identification, then e_machine (little-endian u16 at offset 18).
    machine = int.from_bytes(header[18:20], "little")
    if header[:4] != b"\x7fELF" or header[4] != 2 or machine != EM_AARCH64:
        session.error(f"{ext}: not a 64-bit AArch64 ELF (e_machine {machine})")
    session.log(f"{wheel.name}: tags {', '.join(tags)}; {ext}: ELF64, e_machine {machine}")
