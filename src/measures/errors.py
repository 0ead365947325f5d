"""The errors a user can cause, each with its message and exit code."""

from __future__ import annotations

from measures.i18n import _

EXIT_OK = 0
EXIT_FAILED = 1  # the command could not be done
EXIT_USAGE = 2  # bad usage: unknown option, missing argument


def typed(value: str, limit: int = 40) -> str:
    """A value as typed, for an error message: its repr, cut short if it is long."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def error_text(error: MeasuresError) -> str:
    """The lines a command prints on stderr for `error`: `Error: ...`, and its hint."""
    from measures.inert import inert

    # A message of several lines (every problem of an imported file) keeps its lines.
    message = "\n".join(inert(line) for line in error.message.split("\n"))
    lines = [_("Error: {message}").format(message=message)]
    if error.hint:
        lines.append(inert(error.hint))
    return "\n".join(lines) + "\n"


class MeasuresError(Exception):
    """A failure the user can cause and fix; shown as one or two lines, never a traceback."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def in_file(self, path: object) -> MeasuresError:
        """The same error, its message prefixed with the ledger it concerns."""
        return type(self)(_("{path}: {message}").format(path=path, message=self.message), self.hint)

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message}\n{self.hint}"


class LedgerNotFound(MeasuresError):
    """No ledger file where one was looked for."""


class InvalidLedger(MeasuresError):
    """The ledger file cannot be read or breaks the model."""


class UnknownMeasure(MeasuresError):
    """An id that no measure in the ledger has."""


class BadValue(MeasuresError):
    """A value on the command line that cannot be taken (a date, a number, a status)."""


class Conflict(MeasuresError):
    """A change that the measure's current state does not allow."""


class WriteFailed(MeasuresError):
    """The ledger could not be written; nothing was changed."""
