"""The command line. Importing the command modules registers their commands on `app`."""

from measures.cli import change_commands, git_commands, ledger_commands, report_commands
from measures.cli.app import app

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
