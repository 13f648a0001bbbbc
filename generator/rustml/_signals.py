"""Termination signals as exceptions, so every command cleans up the same way.

Python turns SIGINT into :class:`KeyboardInterrupt`, and every ``with``/``finally`` of
rustml (staging directories, temporary renders, child processes) unwinds through it.
SIGTERM (what ``kill``, systemd and CI runners send) and SIGHUP (a closed terminal) end
the process on the spot by default, leaving those behind; :func:`handle_signals` makes
them raise :class:`Interrupted` (a ``KeyboardInterrupt``) instead, so one unwinding path
serves all three.

Some steps must not be cut in half (moving a finished render into place, writing an
update's files): inside :func:`deferred` a signal is held back and raised when the block
ends, so such a step either has not started or has completed.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from rustml.errors import EXIT_SIGNAL_BASE

__all__ = ["HANDLED", "Interrupted", "deferred", "handle_signals"]

#: The signals that end a command cleanly (exit status 128 + the signal's number).
HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupted(KeyboardInterrupt):
    """A termination signal arrived; raised where the program was."""

    def __init__(self, signum: int, *, completed: bool = False) -> None:
        """Remember which signal it was (the exit status is 128 + ``signum``).

        ``completed``: it arrived during a step that was then finished (see
        :func:`deferred`), so that step's result is in place.
        """
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.completed = completed

    @property
    def name(self) -> str:
        """``SIGTERM``, ``SIGINT``, ..."""
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        """The shell's convention for a process ended by a signal."""
        return EXIT_SIGNAL_BASE + self.signum


class _State:
    """Process-wide: whether signals are held back, and the first one that arrived."""

    depth = 0
    pending: int | None = None
    raised = False


def _handler(signum: int, _frame: FrameType | None) -> None:
    if _State.depth > 0:
        if _State.pending is None:
            _State.pending = signum
        return
    if _State.raised:
        return  # already unwinding: a second signal must not cut the cleanup short
    _State.raised = True
    raise Interrupted(signum)


@contextmanager
def handle_signals() -> Iterator[None]:
    """Within the block, SIGINT, SIGTERM and SIGHUP raise :class:`Interrupted`.

    Outside the main thread (signal handlers can only be set there) it does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in HANDLED}
    _State.raised = False
    for sig in HANDLED:
        signal.signal(sig, _handler)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold termination signals back until the block has finished, then raise the first.

    The block runs to its end (or to its own exception) even if a signal arrives.
    """
    _State.depth += 1
    try:
        yield
    finally:
        _State.depth -= 1
    if _State.depth == 0 and _State.pending is not None:
        signum, _State.pending = _State.pending, None
        if not _State.raised:
            _State.raised = True
            raise Interrupted(signum, completed=True)
