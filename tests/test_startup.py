"""What a run imports and builds: only what its command uses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from measures import cli
from measures.cli.framework import command_name

from .conftest import import_probe


def test_every_command_is_found_in_its_module() -> None:
    app = cli.every_command()
    defined = {
        command_name(info): info.callback.__module__.rpartition(".")[2]
        for info in app.registered_commands
        if info.callback is not None
    }
    assert defined == cli.COMMAND_MODULES


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["block", "3", "--reason", "x"], "block"),
        (["--lang", "zh", "set", "3"], "set"),
        (["-f", "a.toml", "export"], "export"),
        (["--file=a.toml", "--lang=en", "import", "x.xlsx"], "import"),
        (["-f", "list"], None),  # `list` is the file here: no command named yet
        (["--help"], None),
        (["--version"], None),
        (["--nosuch", "list"], None),
        (["nosuch"], None),
        ([], None),
    ],
)
def test_the_command_a_run_names(args: list[str], name: str | None) -> None:
    assert cli.invoked(args) == name


PROBE = import_probe("sorted(m for m in sys.modules if m.startswith('measures.cli.'))")


@pytest.mark.parametrize(
    ("args", "module"),
    [
        (["block", "3", "--reason", "等待批复"], "change_commands"),
        (["report", "--format", "markdown"], "report_commands"),
        (["check"], "ledger_commands"),
    ],
)
def test_a_command_imports_only_its_own_module(ledger: Path, args: list[str], module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    imported = done.stderr.splitlines()[-1].split()[1:]
    assert imported == sorted(f"measures.cli.{name}" for name in ("app", "framework", module))
