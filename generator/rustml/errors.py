"""rustml's exceptions: one root, user errors that carry a message, and one warning root.

The CLI prints ``UserError.message`` on one line and exits with ``UserError.exit_code``;
anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations

__all__ = [
    "DestinationError",
    "InvalidAnswerError",
    "InvalidNameError",
    "RenderError",
    "RustmlError",
    "RustmlWarning",
    "TemplateNotFoundError",
    "UserError",
]

#: Exit code for usage errors and invalid input (the convention of argparse and click).
EXIT_USAGE = 2
#: Exit code for failures of a step that was correctly requested.
EXIT_FAILURE = 1


class RustmlError(Exception):
    """Base class of every error rustml raises on purpose."""


class UserError(RustmlError):
    """An error caused by the user's input; shown as one line, without a traceback."""

    exit_code: int = EXIT_USAGE

    def __init__(self, message: str) -> None:
        """Keep ``message`` for the one line the CLI prints."""
        super().__init__(message)
        self.message = message


class InvalidNameError(UserError, ValueError):
    """A project, package or crate name that cannot be used."""


class InvalidAnswerError(UserError, ValueError):
    """An answer (``--data``, data file or prompt) that the template does not accept."""


class DestinationError(UserError):
    """The destination path cannot receive a project (not empty, not a directory, ...)."""


class TemplateNotFoundError(RustmlError):
    """The template that ships with rustml is missing: a broken installation."""


class RenderError(UserError):
    """Copier failed to render the template with the given answers."""

    exit_code = EXIT_FAILURE


class RustmlWarning(UserWarning):
    """Base class of rustml's warnings (e.g. a lockfile that could not be generated)."""
