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

A signal that lands while a finalizer runs (a ``__del__``, such as plumbum's Popen
wrapper that copier's git calls leave behind) cannot raise there: Python prints the
exception as "ignored" and drops it, so the interrupt would be lost and a traceback shown.
The handler sees the finalizer on the stack and sends the signal again, to be raised once
the finalizer has returned; :func:`sys.unraisablehook` does the same for any other place
where Python drops an exception.
"""

from __future__ import annotations

import os
import signal
import sys
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


#: Code names of the frames an exception cannot leave (Python prints it as "ignored").
_NO_RAISE = frozenset({"__del__", "_unraisable"})


def _in_finalizer(frame: FrameType | None) -> bool:
    while frame is not None:
        if frame.f_code.co_name in _NO_RAISE:
            return True
        frame = frame.f_back
    return False


def _redeliver(signum: int) -> None:
    """Send the signal again in a moment, from a thread.

    Sent from here, it would be handled at once, inside the same finalizer (and again,
    without end).
    """
    timer = threading.Timer(0.01, os.kill, (os.getpid(), signum))
    timer.daemon = True
    timer.start()


def _handler(signum: int, frame: FrameType | None) -> None:
    if _State.depth == 0 and not _State.raised and _in_finalizer(frame):
        _redeliver(signum)
        return
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
    previous_hook = sys.unraisablehook

    def _unraisable(unraisable: sys.UnraisableHookArgs) -> None:
        if isinstance(unraisable.exc_value, Interrupted):
            # Raised where Python drops exceptions: not the end of the command yet.
            _State.raised = False
            _redeliver(unraisable.exc_value.signum)
            return
        previous_hook(unraisable)

    _State.raised = False
    sys.unraisablehook = _unraisable
    for sig in HANDLED:
        signal.signal(sig, _handler)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sys.unraisablehook = previous_hook


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
