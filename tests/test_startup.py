"""What a run imports and builds: only what its command uses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

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
        (["list", "--unit", "区税务局"], "ledger_commands"),  # an option quick leaves
    ],
)
def test_a_command_imports_only_its_own_module(ledger: Path, args: list[str], module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    imported = done.stderr.splitlines()[-1].split()[1:]
    assert imported == sorted(f"measures.cli.{name}" for name in ("app", "framework", module))


PYDANTIC = import_probe("[m for m in ('pydantic', 'pydantic_core') if m in sys.modules]")


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--unit", "区税务局", "--format", "csv"],
        ["check"],
        ["block", "3", "--reason", "等待批复"],
        ["report", "--format", "markdown"],
        ["list", "--format", "xml"],  # a usage error: typer's words, without pydantic
    ],
    ids=lambda args: args[0] + ("-error" if "xml" in args else ""),
)
def test_the_full_command_line_coerces_its_options_without_pydantic(
    ledger: Path, args: list[str]
) -> None:
    done = subprocess.run([sys.executable, "-c", PYDANTIC, *args], capture_output=True, text=True)
    assert done.stderr.splitlines()[-1] == "imported:", done.stderr
    if "xml" in args:
        assert done.returncode == 2
        assert "'xml' is not one of 'table', 'json', 'csv', 'markdown'" in done.stderr


def _typer_parameters() -> tuple[Any, list[Any]]:
    """The command line's group, and the parameters of it and of every command."""
    from typer.main import get_command

    group = get_command(cli.every_command())
    commands = [group, *group.commands.values()]  # type: ignore[attr-defined]
    return group, [param for command in commands for param in command.params]


VALUES: list[object] = [None, "table", "TABLE", "zh", "json", "区税务局", "", " x ", 3, True, False]
VALUES += [("a", "b"), ["区税务局"], (), "todo", "xml\x1b[31m", b"table", "yes", 0]


def test_plain_coercion_gives_what_typers_own_gives_for_every_parameter() -> None:
    """Each parameter `coerce_plainly` takes, for each value: the same result, or the
    same usage error in the same words, as typer's pydantic adapters give."""
    from typer._click.core import Context
    from typer._click.exceptions import BadParameter
    from typer._coercion import build_runtime_param

    from measures.cli.framework import PlainValues, coerce_plainly

    group, params = _typer_parameters()
    coerce_plainly(params)
    taken = [p for p in params if isinstance(getattr(p, "_runtime_param", None), PlainValues)]
    assert len(taken) >= 100  # every text, list, flag and choice of the command line
    context = Context(group)
    compared = 0
    for param in taken:
        theirs = build_runtime_param(param.type_descriptor)
        for value in VALUES:
            outcomes = []
            for coercion in (param._runtime_param, theirs):
                try:
                    outcomes.append(("value", coercion.coerce(value, param=param, ctx=context)))
                except BadParameter as error:
                    outcomes.append(("error", error.message))
                except Exception as error:  # a crash must match too
                    outcomes.append(("crash", type(error).__name__))
            assert outcomes[0] == outcomes[1], (param.name, value)
            compared += 1
    assert compared == len(taken) * len(VALUES)
