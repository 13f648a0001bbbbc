"""Child processes (cargo, git) that never outlive the command that started them.

Each child runs in its own process group. When rustml unwinds (an error, Ctrl-C, or
SIGTERM/SIGHUP turned into :class:`~rustml._signals.Interrupted`) or a timeout expires,
the whole group is killed and reaped before the exception goes on, so no ``cargo vendor``
keeps writing into a directory that is being removed. On Linux a child is also killed by
the kernel when rustml itself is killed outright (SIGKILL; ``PR_SET_PDEATHSIG``), so it
never runs on as an orphan.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from rustml._signals import Interrupted, deferred

__all__ = ["run", "run_bytes"]

_PR_SET_PDEATHSIG = 1


def _death_signal() -> Callable[[], None] | None:
    """A pre-exec hook that makes the child die with its parent (Linux), else None.

    prctl is looked up here, before any fork, so the hook itself only makes one call.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None

    def hook() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)

    return hook


_PREEXEC = _death_signal()


def run(
    cmd: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` to completion with its output captured as text (``subprocess.run``).

    Raises:
        OSError: the program cannot be started.
        subprocess.TimeoutExpired: ``timeout`` passed (the group was killed).
    """
    return _run(cmd, cwd=cwd, env=env, timeout=timeout, text=True)


def run_bytes(cmd: Sequence[str], *, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """:func:`run` with the output as bytes (file contents)."""
    return _run(cmd, cwd=cwd, env=None, timeout=None, text=False)


def _run(
    cmd: Sequence[str],
    *,
    cwd: Path | None,
    env: Mapping[str, str] | None,
    timeout: float | None,
    text: bool,
) -> subprocess.CompletedProcess[Any]:
    proc: subprocess.Popen[Any] | None = None
    try:
        # The spawn runs Python's at-fork hooks (logging's lock release among them), and
        # an exception raised inside one is printed and dropped: a signal handled there
        # would be lost. Held back for the spawn, it is raised once the child exists.
        try:
            with deferred():
                proc = subprocess.Popen(
                    list(cmd),
                    cwd=cwd,
                    env=dict(env) if env is not None else None,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=text,
                    start_new_session=True,
                    preexec_fn=_PREEXEC,  # noqa: PLW1509  (one prctl call, resolved before the fork)
                )
        except Interrupted as exc:
            raise Interrupted(exc.signum) from None  # the command never ran to its end
        stdout, stderr = proc.communicate(timeout=timeout)
    except BaseException:
        if proc is not None:
            _kill_group(proc)
        raise
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def _kill_group(proc: subprocess.Popen[Any]) -> None:
    """SIGKILL the child's process group and wait for the child."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()
