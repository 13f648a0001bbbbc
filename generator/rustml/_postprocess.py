"""Steps after rendering: the Cargo lockfiles (and vendor/), and a parse check of every TOML file.

These run inside the temporary render directory, so a failure leaves nothing behind.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError

from rustml._process import run
from rustml._project import workspace_roots
from rustml._result import LockfileStatus
from rustml.errors import RenderError

__all__ = ["generate_lockfile", "refresh_lockfiles", "verify_toml"]

_LOCK_TIMEOUT_S = 180
_VENDOR_TIMEOUT_S = 900


def generate_lockfile(project: Path, *, vendor: bool = False) -> LockfileStatus:
    """Run ``cargo generate-lockfile`` in every workspace so the first build is reproducible.

    Besides the root workspace, a project can hold workspaces of its own (the firmware
    in ``embedded/``). With ``vendor`` (the project builds from ``vendor/`` alone),
    ``cargo vendor`` resolves every workspace and copies the crates in one step.
    Never fails the render: without cargo or a reachable registry the project is still
    complete, and the status says how to create the lockfiles later.
    """
    cargo = shutil.which("cargo")
    if cargo is None:
        return LockfileStatus(generated=False, reason="cargo is not on PATH")
    if vendor:
        return _vendor(cargo, project)
    for root in workspace_roots(project):
        reason = _lock_one(cargo, root)
        if reason is not None:
            where = "" if root == project else f" ({root.relative_to(project)})"
            return LockfileStatus(generated=False, reason=reason + where)
    return LockfileStatus(generated=True)


def refresh_lockfiles(project: Path) -> LockfileStatus:
    """Bring every workspace's Cargo.lock in line with its manifests after an update.

    ``cargo metadata`` adds what new manifests need and drops what they no longer use,
    without upgrading anything else (unlike ``cargo update``); a workspace new to the
    project gets a fresh lockfile. Offline first (the local registry cache usually has
    everything), then online.
    """
    cargo = shutil.which("cargo")
    if cargo is None:
        return LockfileStatus(generated=False, reason="cargo is not on PATH")
    for root in workspace_roots(project):
        sub = (
            ["metadata", "--format-version", "1"]
            if (root / "Cargo.lock").is_file()
            else ["generate-lockfile"]
        )
        attempt = _run_cargo_any_toolchain([cargo, *sub, "--quiet", "--offline"], root)
        if attempt.returncode != 0:
            attempt = _run_cargo_any_toolchain([cargo, *sub, "--quiet"], root)
        if attempt.returncode != 0:
            where = "" if root == project else f" ({root.relative_to(project)})"
            return LockfileStatus(generated=False, reason=_first_error(attempt) + where)
    return LockfileStatus(generated=True)


def _lock_one(cargo: str, root: Path) -> str | None:
    """Resolve one workspace's lockfile; the reason on failure, else None."""
    attempt = _run_cargo_any_toolchain([cargo, "generate-lockfile", "--quiet"], root)
    if attempt.returncode == 0 and (root / "Cargo.lock").is_file():
        return None
    return _first_error(attempt)


def _vendor(cargo: str, project: Path) -> LockfileStatus:
    """Lock every workspace and copy its crates into vendor/ (as ``nox -s vendor`` does)."""
    cmd = [cargo, "vendor", "--quiet", "--versioned-dirs"]
    for root in workspace_roots(project)[1:]:
        cmd += ["--sync", str((root / "Cargo.toml").relative_to(project))]
    cmd.append("vendor")
    attempt = _run_cargo_any_toolchain(cmd, project, timeout=_VENDOR_TIMEOUT_S)
    if attempt.returncode == 0 and (project / "vendor").is_dir():
        return LockfileStatus(generated=True)
    shutil.rmtree(project / "vendor", ignore_errors=True)
    return LockfileStatus(generated=False, reason=_first_error(attempt))


def _run_cargo_any_toolchain(
    cmd: list[str], cwd: Path, *, timeout: float = _LOCK_TIMEOUT_S
) -> subprocess.CompletedProcess[str]:
    """Run `cmd`; if the project's pinned toolchain is missing, again with the default one.

    rustup cannot always fetch the pinned toolchain (offline machines), and resolving
    or vendoring dependencies does not depend on the toolchain.
    """
    env = dict(os.environ)
    attempt = _run_cargo(cmd, cwd, env, timeout=timeout)
    if attempt.returncode != 0 and "is not installed" in attempt.stderr:
        env["RUSTUP_TOOLCHAIN"] = "stable"
        attempt = _run_cargo(cmd, cwd, env, timeout=timeout)
    return attempt


def _first_error(attempt: subprocess.CompletedProcess[str]) -> str:
    """Cargo's first stderr line, as the one-line reason shown to the user."""
    lines = [ln for ln in attempt.stderr.splitlines() if ln.strip()]
    return lines[0].strip() if lines else f"cargo exited with {attempt.returncode}"


def _run_cargo(
    cmd: list[str],
    cwd: Path,
    env: dict[str, str],
    *,
    timeout: float = _LOCK_TIMEOUT_S,
) -> subprocess.CompletedProcess[str]:
    try:
        # Its own process group, killed with rustml: an interrupted `cargo vendor` does
        # not go on writing into the staging directory being removed.
        return run(cmd, cwd=cwd, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(cmd, 124, "", "cargo timed out reaching the registry")


def verify_toml(project: Path) -> None:
    """Parse every generated TOML file; a template bug must not reach the user's disk.

    Raises:
        RenderError: a rendered TOML file does not parse.
    """
    for path in sorted(project.rglob("*.toml")):
        try:
            tomlkit.parse(path.read_text(encoding="utf-8"))
        except TOMLKitError as exc:
            rel = path.relative_to(project)
            raise RenderError(f"rendered {rel} is not valid TOML ({exc}); please report") from None
