"""The command line. Importing the command modules registers their commands on `app`."""

from measures.cli import change_commands, git_commands, ledger_commands, report_commands
from measures.cli.app import app
from measures.cli.framework import Command

# Every command shows its help and the framework's words in the chosen language.
for _info in app.registered_commands:
    _info.cls = Command

__all__ = [
    "app",
    "change_commands",
    "git_commands",
    "ledger_commands",
    "report_commands",
    "run",
]


def run() -> None:
    app(prog_name="measures")
