"""What every command shares: the consoles, the output format, the error handler."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from rustml._signals import Interrupted, handle_signals
from rustml.errors import EXIT_FAILURE, EXIT_SIGNAL_BASE, RustmlError, UserError

__all__ = ["OutputFormat", "err", "fail", "handle_errors", "out"]

EXIT_INTERRUPTED = EXIT_SIGNAL_BASE + signal.SIGINT

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class OutputFormat(str, Enum):
    """How results are printed."""

    text = "text"
    json = "json"


def fail(message: str, code: int) -> NoReturn:
    """Print one error line on stderr and exit with ``code``."""
    err.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def handle_errors() -> Iterator[None]:
    """Map rustml's errors to one line on stderr and an exit code; nothing else is caught.

    SIGINT, SIGTERM and SIGHUP unwind the command like an error (temporary directories
    removed, child processes ended) and exit with 128 + the signal's number.
    """
    try:
        with handle_signals():
            yield
    except UserError as exc:
        fail(exc.message, exc.exit_code)
    except RustmlError as exc:
        fail(str(exc), EXIT_FAILURE)
    except Interrupted as exc:
        if exc.completed:
            fail(f"interrupted ({exc.name}) after the work was done", exc.exit_code)
        fail(f"interrupted ({exc.name}); nothing was changed", exc.exit_code)
    except KeyboardInterrupt:
        fail("interrupted; nothing was changed", EXIT_INTERRUPTED)
