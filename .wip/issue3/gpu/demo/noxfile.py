"""Development tasks: ``nox`` runs lint and test, ``nox -s NAME`` runs one session."""

from __future__ import annotations

import os
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


#: Where the Vulkan loader looks for installable client drivers (ICDs) on Linux.
_VULKAN_ICD_DIRS = (
    "/usr/share/vulkan/icd.d",
    "/usr/local/share/vulkan/icd.d",
    "/etc/vulkan/icd.d",
)


def _vulkan_icds() -> list[str]:
    """ICD manifests the Vulkan loader would load (honouring its override variables)."""
    override = os.environ.get("VK_DRIVER_FILES") or os.environ.get("VK_ICD_FILENAMES")
    if override:
        return [f for f in override.split(os.pathsep) if Path(f).is_file()]
    return [str(p) for d in _VULKAN_ICD_DIRS for p in sorted(Path(d).glob("*.json"))]


@nox.session
def gpu(session: nox.Session) -> None:
    """Run the GPU tests (Rust and pytest) on a real Vulkan driver.

    Without a GPU, Mesa's lavapipe (a CPU Vulkan implementation) is enough.
    Here, unlike in ``test``, a missing device fails the tests instead of
    skipping them.
    """
    icds = _vulkan_icds()
    if not icds:
        session.error(
            "No Vulkan driver (ICD) found. Install one, e.g. on Debian/Ubuntu: "
            "sudo apt-get install mesa-vulkan-drivers"
        )
    session.log(f"Vulkan ICDs: {', '.join(icds)}")
    session.run(
        "cargo", "test", "-p", "demo-gpu", "--", "--include-ignored", "--nocapture", external=True
    )
    session.install("maturin")
    session.run("maturin", "develop", "--features", "gpu", "--extras", "test")
    session.run("pytest", "tests/test_gpu.py", *session.posargs, env={"DEMO_REQUIRE_GPU": "1"})


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
