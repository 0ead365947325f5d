"""The command line. Each command module registers its commands on `app` when imported.

A run imports only the module of the command it runs and has typer build only
that command: building one costs typer a few milliseconds, and the modules
bring in what their commands use. Its options' values are coerced without
pydantic (`framework.PlainValues`), which typer would import for them. The
main help, an unknown command and everything else that needs them all get them
all: `every_command()`.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

# `measures --help` lists the commands in the order an office meets them: reading
# the ledger, changing it, reporting, then the git set-up.
_ORDER = ("ledger_commands", "change_commands", "report_commands", "document_commands")
_MODULES = (*_ORDER, "git_commands")
# Where each command is defined (tests/test_startup.py checks it against the modules).
COMMAND_MODULES = {
    **dict.fromkeys(("list", "show", "log", "check", "init"), "ledger_commands"),
    **dict.fromkeys(
        (
            "done",
            "start",
            "block",
            "drop",
            "verify",
            "reopen",
            "extend",
            "note",
            "set",
            "add",
            "undo",
        ),
        "change_commands",
    ),
    **dict.fromkeys(("report", "export", "import"), "report_commands"),
    "notice": "document_commands",
    **dict.fromkeys(("merge-driver", "git-setup"), "git_commands"),
}
# The main options that take a value (cli/app.py `main`); any other option before
# the command's name (--help, --version, one unknown) gets every command.
_MAIN_VALUED = ("--file", "-f", "--lang")


def every_command() -> typer.Typer:
    """The app with every command registered, in the order of the main help."""
    for module in _MODULES:
        importlib.import_module(f"measures.cli.{module}")
    from measures.cli.app import app

    _localized(app)
    app.registered_commands.sort(
        key=lambda info: (
            _ORDER.index(info.callback.__module__.rpartition(".")[2])
            if info.callback is not None and info.callback.__module__.endswith(_ORDER)
            else len(_ORDER)
        )
    )
    return app


def _localized(app: typer.Typer) -> None:
    """Every command shows its help and the framework's words in the chosen language."""
    from measures.cli.framework import Command

    for info in app.registered_commands:
        info.cls = Command


def invoked(args: Sequence[str]) -> str | None:
    """The name of the command `args` run, if they name one before anything unusual."""
    words = iter(args)
    for word in words:
        if word in _MAIN_VALUED:
            next(words, None)
        elif word.startswith("-"):
            if word.partition("=")[0] not in _MAIN_VALUED:
                return None
        else:
            return word if word in COMMAND_MODULES else None
    return None


def run() -> None:
    name = invoked(sys.argv[1:])
    if name is None:
        every_command()(prog_name="measures")
        return
    importlib.import_module(f"measures.cli.{COMMAND_MODULES[name]}")
    from measures.cli.app import app
    from measures.cli.framework import command_name

    app.registered_commands = [
        info for info in app.registered_commands if command_name(info) == name
    ]
    _localized(app)
    app(prog_name="measures")
