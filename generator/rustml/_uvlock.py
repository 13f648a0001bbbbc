"""The project's Python lock, ``uv.lock``: resolved after the render, refreshed by updates.

Like Cargo.lock it is not a template file (owners re-lock it, and a template file would
turn every upgrade into a merge): the template ships the lock rustml's own tests pass
with (``includes/uv.lock``), and ``uv lock`` starts from it, so a new project gets those
very pins wherever they fit its answers (its name, its minimum Python) and fresh ones
only where they do not.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from rustml._process import run
from rustml._result import LockfileStatus

__all__ = ["SEED", "lock_python", "python_for", "uv_binary"]

#: The template's lock, relative to the template root.
SEED = Path("includes") / "uv.lock"
_LOCK_TIMEOUT_S = 300


def uv_binary() -> str | None:
    """uv: the one rustml depends on (the ``uv`` package), else one on PATH."""
    try:
        from uv import find_uv_bin  # noqa: PLC0415 (optional at import time)

        return str(find_uv_bin())
    except (ImportError, FileNotFoundError):
        return shutil.which("uv")


def lock_python(project: Path, seed: Path | None, *, offline_first: bool = False) -> LockfileStatus:
    """Resolve ``project/uv.lock``, starting from ``seed`` when the project has none yet.

    uv keeps every version already in the lock that still satisfies pyproject.toml, so
    an update adds what the new template needs without upgrading the owners' pins.
    Never fails the render: on failure the status says why, and no partial lock is left.
    """
    uv = uv_binary()
    if uv is None:
        return LockfileStatus(generated=False, reason="uv is not installed")
    lock = project / "uv.lock"
    seeded = False
    if not lock.is_file() and seed is not None and seed.is_file():
        shutil.copyfile(seed, lock)
        seeded = True
    cmd = [uv, "lock", "--quiet", "--no-progress"]
    python = python_for(project)
    if python is not None:
        cmd += ["--python", python]
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "NO_COLOR": "1"}
    attempts = [[*cmd, "--offline"], cmd] if offline_first else [cmd]
    attempt = subprocess.CompletedProcess(cmd, 1, "", "")
    for args in attempts:
        try:
            attempt = run(args, cwd=project, env=env, timeout=_LOCK_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            attempt = subprocess.CompletedProcess(args, 124, "", "uv timed out reaching PyPI")
        if attempt.returncode == 0:
            return LockfileStatus(generated=True)
    if seeded:
        lock.unlink(missing_ok=True)
    lines = [ln.strip() for ln in attempt.stderr.splitlines() if ln.strip()]
    return LockfileStatus(
        generated=False, reason=lines[0] if lines else f"uv exited with {attempt.returncode}"
    )


def python_for(project: Path) -> str | None:
    """An interpreter that satisfies the project's ``requires-python``, or None (uv picks).

    uv builds the package's metadata (its version comes from Cargo.toml) with it. Tried:
    the running one, then ``python3.X`` on PATH and pyenv's, lowest first; a broken shim
    on PATH would otherwise stop uv's own search.
    """
    text = (project / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'(?m)^requires-python\s*=\s*">=\s*3\.(\d+)', text)
    if found is None:
        return None
    minimum = int(found.group(1))
    if sys.version_info[:2] >= (3, minimum):
        return sys.executable
    candidates: list[str] = []
    for minor in range(minimum, 20):
        on_path = shutil.which(f"python3.{minor}")
        if on_path:
            candidates.append(on_path)
        pyenv = Path.home() / ".pyenv" / "versions"
        candidates += sorted(str(p) for p in pyenv.glob(f"3.{minor}.*/bin/python3"))
    for candidate in candidates:
        try:
            probe = run([candidate, "-c", "import sys; print(sys.version_info[1])"], timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0 and probe.stdout.strip().isdigit():
            return candidate
    return None
