"""Development tasks: ``nox`` runs lint and test, ``nox -s NAME`` runs one session."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
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


WASM_TARGET = "wasm32-unknown-unknown"
WASM_CRATE = Path("crates/demo-wasm")
# Binaryen 108 and 109 break wasm-bindgen's externref table (JS throws on load); 110 works.
WASM_OPT_MIN = 110


@nox.session(python=False)
def wasm(session: nox.Session) -> None:
    """Build the WebAssembly package, then test it in Node.js and headless Chromium.

    Needs the wasm32 target, wasm-bindgen-cli at the exact version of the
    wasm-bindgen crate in Cargo.lock, Node.js and Chromium (``CHROME=path``
    picks another Chrome-like browser); runs wasm-opt when binaryen is
    installed. ``RUSTML_BUILD_STD=1`` builds std from source
    (``-Zbuild-std``) instead, for toolchains without a prebuilt wasm32 std;
    pick such a toolchain with ``RUSTUP_TOOLCHAIN``.
    """
    build_std = os.environ.get("RUSTML_BUILD_STD") == "1"
    metadata = json.loads(
        str(session.run("cargo", "metadata", "--format-version", "1", silent=True))
    )
    tools = _wasm_tools(session, metadata, build_std=build_std)

    build = ["cargo", "build", "-p", "demo-wasm", "--lib", "--target", WASM_TARGET]
    build += ["--profile", "wasm-release"]
    env = {}
    if build_std:
        build.append("-Zbuild-std=std,panic_abort")
        env["RUSTC_BOOTSTRAP"] = "1"
    session.run(*build, env=env)
    target_dir = Path(metadata["target_directory"])
    module = target_dir / WASM_TARGET / "wasm-release" / "demo_wasm.wasm"

    out = target_dir / "wasm"
    shutil.rmtree(out, ignore_errors=True)
    for target, out_dir in [("nodejs", out / "node"), ("web", out / "site" / "pkg")]:
        session.run(
            "wasm-bindgen",
            *("--target", target, "--out-dir", str(out_dir)),
            # strip = false keeps these (the target_features section is needed).
            *("--remove-name-section", "--remove-producers-section"),
            str(module),
        )
        bg = out_dir / "demo_wasm_bg.wasm"
        if tools["wasm-opt"]:
            # Rust's default wasm32 features: wasm-opt must accept what rustc emits.
            features = ["bulk-memory", "multivalue", "mutable-globals"]
            features += ["nontrapping-float-to-int", "reference-types", "sign-ext"]
            flags = [f"--enable-{feature}" for feature in features]
            session.run(tools["wasm-opt"], "-Oz", *flags, "-o", str(bg), str(bg))
    shutil.copytree(WASM_CRATE / "www", out / "site", dirs_exist_ok=True)

    raw = (out / "site" / "pkg" / "demo_wasm_bg.wasm").read_bytes()
    session.log(f"demo_wasm_bg.wasm: {len(raw)} bytes, {len(gzip.compress(raw, 9))} gzipped")

    # Expected values: the same wrappers, built for and run on the host.
    fixture = session.run(
        "cargo", "run", "-q", "-p", "demo-wasm", "--example", "fixture", silent=True
    )
    (out / "fixture.json").write_text(str(fixture))

    tests = [WASM_CRATE / "tests" / name for name in ("node.test.mjs", "browser.test.mjs")]
    test_env = {"DEMO_WASM_OUT": str(out), "CHROME": tools["chrome"]}
    session.run("node", "--test", *map(str, tests), env=test_env)


def _wasm_tools(session: nox.Session, metadata: dict, *, build_std: bool) -> dict[str, str]:
    """Finds the tools the wasm session needs; fails with how to install each missing one."""
    missing = []
    if build_std:
        sysroot = Path(_output("rustc", "--print", "sysroot") or "/nonexistent")
        if not (sysroot / "lib/rustlib/src/rust/library").is_dir():
            missing.append("rustup component add rust-src  # Debian: apt-get install rust-web-src")
        if not shutil.which("rust-lld") and not any(sysroot.glob("lib/rustlib/*/bin/rust-lld")):
            missing.append("apt-get install rust-web-llvm lld-22  # provides rust-lld")
    else:
        libdir = _output("rustc", "--print", "target-libdir", "--target", WASM_TARGET)
        if not libdir or not any(Path(libdir).glob("libstd-*.rlib")):
            missing.append(f"rustup target add {WASM_TARGET}")

    # The CLI rejects modules built with any other wasm-bindgen version.
    version = next(p["version"] for p in metadata["packages"] if p["name"] == "wasm-bindgen")
    if _output("wasm-bindgen", "--version") != f"wasm-bindgen {version}":
        missing.append(f"cargo install wasm-bindgen-cli --version ={version} --locked")

    if not _output("node", "--version"):
        missing.append("install Node.js 20 or newer: https://nodejs.org/")

    names = [os.environ.get("CHROME"), "chromium", "chromium-browser", "google-chrome"]
    chrome = next((path for name in names if name and (path := shutil.which(name))), "")
    if not chrome:
        missing.append("apt-get install chromium  # or set CHROME=/path/to/chrome")

    if missing:
        # One command per line, ready to paste (nox ends the message with a period).
        fixes = "".join(f"\n  {fix}" for fix in missing)
        session.error(f"missing tools for the wasm session; install with:{fixes}\nthen retry")
    return {"chrome": chrome, "wasm-opt": _wasm_opt(session)}


def _wasm_opt(session: nox.Session) -> str:
    """Path of a usable wasm-opt (``WASM_OPT`` or on PATH), or "" to skip that optional step."""
    wasm_opt = shutil.which(os.environ.get("WASM_OPT", "wasm-opt"))
    if wasm_opt:
        version = (_output(wasm_opt, "--version") or "").split()  # wasm-opt version 123 (...)
        if len(version) > 2 and version[2].isdigit() and int(version[2]) >= WASM_OPT_MIN:
            return wasm_opt
        reason = f"{wasm_opt} is too old ({' '.join(version)})"
    else:
        reason = "wasm-opt not found"
    session.log(
        f"{reason}: skipping it; for a smaller .wasm install binaryen >= {WASM_OPT_MIN}"
        " (npm install -g binaryen) or set WASM_OPT=/path/to/wasm-opt"
    )
    return ""


def _output(*args: str) -> str | None:
    """Stripped stdout of a version/path query, or None if it is missing or fails."""
    try:
        done = subprocess.run(args, capture_output=True, text=True, check=True)  # noqa: S603
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip()
