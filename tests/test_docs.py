"""The README's command table lists exactly the commands and options the CLI has.

The table under "## Commands" gives each command's usage in its first cell
(`set ID [--title T] ...`); the test reads the command name and every `--option`
there and compares them, both ways, with the click command tree that typer builds.
`--file` and `--help`, which nearly every command takes, are said once in the
sentence under the table rather than in every row.
"""

from __future__ import annotations

import re

from typer.core import TyperGroup as Group

from .conftest import REPO, command

SHARED = {"--file", "--help"}


def readme_section(title: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def documented() -> dict[str, set[str]]:
    """Each command of the README's table, with the options its usage names."""
    rows: dict[str, set[str]] = {}
    section = readme_section("Commands")
    table = section.split("\n| command | what it does |\n| --- | --- |\n", 1)[1].split("\n\n")[0]
    for line in table.splitlines():
        match = re.match(r"\| `([^`]+)` \|", line)
        assert match, f"not a row of the README's command table: {line}"
        if match:
            usage = match.group(1)
            name = usage.split()[0]
            assert name not in rows, f"the README's table lists {name} twice"
            rows[name] = set(re.findall(r"--[a-z][a-z-]*", usage))
    return rows


def options_of(name: str) -> set[str]:
    group = command()
    assert isinstance(group, Group)
    params = group.commands[name].params
    return {
        opt for p in params if p.param_type_name == "option" for opt in p.opts if opt[:2] == "--"
    }


def test_the_command_table_names_every_command_and_no_other() -> None:
    group = command()
    assert isinstance(group, Group)
    commands = {name for name, cmd in group.commands.items() if not cmd.hidden}
    table = set(documented())
    assert not commands - table, f"missing from the README's table: {sorted(commands - table)}"
    assert not table - commands, (
        f"in the README's table, not in the CLI: {sorted(table - commands)}"
    )


def test_each_row_names_exactly_the_options_of_its_command() -> None:
    problems = []
    for name, listed in documented().items():
        options = options_of(name) - SHARED
        if missing := options - listed:
            problems.append(f"{name}: missing {sorted(missing)}")
        if extra := listed - options:
            problems.append(f"{name}: not an option {sorted(extra)}")
    assert not problems, "the README's command table: " + "; ".join(problems)


def test_the_shared_and_global_options_are_said_under_the_table() -> None:
    section = readme_section("Commands")
    (sentence,) = [line for line in section.splitlines() if line.startswith("Every command")]
    without_file = {name for name in documented() if "--file" not in options_of(name)}
    said = set(re.findall(r"`([a-z-]+)`", sentence.split("--file", 1)[0]))
    assert said == without_file, f"{sentence!r}: the commands without --file are {without_file}"
    group = command()
    for option in [opt for p in group.params for opt in p.opts if opt[:2] == "--"]:
        assert f"`{option}" in sentence, f"{option} is not said under the README's table"
