"""The command line. Importing the command modules registers their commands on `app`."""

import sys

from measures.cli import (
    change_commands,
    document_commands,
    git_commands,
    ledger_commands,
    report_commands,
)
from measures.cli.app import app
from measures.cli.framework import Command

# Every command shows its help and the framework's words in the chosen language.
for _info in app.registered_commands:
    _info.cls = Command

# `measures --help` lists the commands in the order an office meets them: reading
# the ledger, changing it, reporting, then the git set-up.
_ORDER = [ledger_commands, change_commands, report_commands, document_commands, git_commands]
app.registered_commands.sort(
    key=lambda info: (
        _ORDER.index(sys.modules[info.callback.__module__])
        if info.callback is not None
        else len(_ORDER)
    )
)

__all__ = [
    "app",
    "change_commands",
    "document_commands",
    "git_commands",
    "ledger_commands",
    "report_commands",
    "run",
]


def run() -> None:
    app(prog_name="measures")
