"""``python -m rustml`` and the ``rustml`` script.

A termination signal that arrives while the command is still importing its modules
(nothing has been done yet), or while it prints its result, ends it with one line and
128 + the signal's number; while the command works, :mod:`rustml._signals` takes over
and unwinds it cleanly.
"""

import os
import signal

from rustml.errors import EXIT_SIGNAL_BASE

_EARLY = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _quit(signum: int, _frame: object) -> None:
    name = signal.Signals(signum).name
    os.write(2, f"error: interrupted ({name})\n".encode())
    os._exit(EXIT_SIGNAL_BASE + signum)


def main() -> None:
    """Entry point of the ``rustml`` script."""
    for sig in _EARLY:
        signal.signal(sig, _quit)
    from rustml._cli import main as cli  # noqa: PLC0415  (after the handlers)

    cli()


if __name__ == "__main__":
    main()
