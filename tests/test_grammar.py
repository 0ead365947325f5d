"""One grammar: the click commands typer builds and the quick path read `grammar.py` alike."""

from __future__ import annotations

from enum import Enum
from typing import Any

import pytest
import typer.main
from typer._click import exceptions as click_errors

from measures import grammar, quick
from measures.cli import every_command
from measures.domain.labels import parse_status
from measures.quick import Request, parse

GROUP: Any = typer.main.get_command(every_command())
DECLARED = [grammar.MAIN, *grammar.COMMANDS.values()]


def click_command(declared: grammar.Command) -> Any:
    return GROUP if declared is grammar.MAIN else GROUP.commands[declared.name]


def choices(param: Any) -> tuple[str, ...]:
    annotation = param.type_descriptor.annotation
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return tuple(member.value for member in annotation)
    return ()


@pytest.mark.parametrize("declared", DECLARED, ids=lambda command: command.name)
def test_typer_builds_exactly_the_declared_options(declared: grammar.Command) -> None:
    params = click_command(declared).params
    options = [param for param in params if param.param_type_name == "option"]
    built = {
        param.name: grammar.Option(
            param.name,
            tuple(param.opts + param.secondary_opts),
            param.help,
            metavar=param.metavar,
            flag=param.is_flag,
            choices=choices(param),
            repeatable=param.multiple,
        )
        for param in options
    }
    assert built == {option.key: option for option in declared.options}
    arguments = [
        (param.name, param.metavar, param.help, param.required, param.nargs == -1)
        for param in params
        if param.param_type_name == "argument"
    ]
    assert arguments == [
        (arg.key, arg.metavar, arg.help, arg.required, arg.many) for arg in declared.arguments
    ]


def test_the_quick_path_serves_only_declared_options_and_values() -> None:
    for name, served in quick._SERVED.items():
        declared = grammar.COMMANDS[name]
        keys = {option.key for option in declared.options}
        keys |= {argument.key for argument in declared.arguments}
        assert set(served) <= keys, name
    for key, values in quick._SERVED_CHOICES.items():
        for command in grammar.COMMANDS.values():
            for option in command.options:
                if option.key == key:
                    assert set(values) <= set(option.choices), (command.name, key)
    main_keys = {option.key for option in grammar.MAIN.options}
    assert set(quick._MAIN_SERVED) <= main_keys


SAMPLES = {
    "status": "todo",
    "owner": "税务",
    "search": "营商",
    "due_within": "14",
    "stale": "30",
    "file": "a.toml",
    "lang": "en",
    "as_of": "2021-01-01",
    "since": "2021-01-01",
    "to": "r.txt",
    "ident": "3",
    "unit": "税务",
    "partner": "财政",
    "plan": "yshj",
    "light": "red",
    "ids": "3",
    "text": "已召开推进会",
    "on": "2021-01-01",
    "note": "按计划推进",
    "by": "区税务局",
}


def sample(option: grammar.Option) -> str:
    if option.choices:
        return quick._SERVED_CHOICES.get(option.key, option.choices)[-1]
    return SAMPLES[option.key]


def spellings(option: grammar.Option) -> list[list[str]]:
    """Every way the quick path takes the option: each name with its value after it, or
    the long name with `=VALUE`."""
    if option.flag:
        return [[name] for name in option.names]
    value = sample(option)
    return [[name, value] for name in option.names] + [[f"{option.names[0]}={value}"]]


def full_parse(args: list[str]) -> dict[str, Any]:
    """The parameters click parses from `args`, the main options' and the command's."""
    ctx = GROUP.make_context("measures", list(args), resilient_parsing=False)
    # typer's click keeps the command's name apart, as `_protected_args`.
    protected = getattr(ctx, "_protected_args", None) or ctx.protected_args
    words: list[str] = [*protected, *ctx.args]
    name, *rest = words
    command = GROUP.commands[name]
    sub = command.make_context(name, rest, parent=ctx)
    return {"main": ctx.params, "command": sub.params}


def served(command: grammar.Command) -> list[grammar.Option]:
    return [option for option in command.options if option.key in quick._SERVED[command.name]]


FORMS = [
    pytest.param(command, option, spelt, id=" ".join([command.name, *spelt]))
    for command in grammar.COMMANDS.values()
    for option in served(command)
    for spelt in spellings(option)
]


def required(command: grammar.Command) -> list[str]:
    return [SAMPLES[argument.key] for argument in command.arguments if argument.required]


@pytest.mark.parametrize(("command", "option", "spelt"), FORMS)
def test_each_served_option_reads_as_click_reads_it(
    command: grammar.Command, option: grammar.Option, spelt: list[str]
) -> None:
    args = [command.name, *required(command), *spelt]
    request = parse(args)
    assert request is not None, args
    parsed = full_parse(args)["command"][option.key]
    field = "statuses" if option.key == "status" else option.key
    quick_value = getattr(request, field)
    if option.key == "status":
        assert quick_value == frozenset(parse_status(value) for value in parsed)
    elif option.key == "due_within":
        assert str(quick_value) == parsed
    else:
        assert quick_value == parsed


@pytest.mark.parametrize(
    "option",
    [option for option in grammar.MAIN.options if option.key in quick._MAIN_SERVED],
    ids=lambda option: option.key,
)
def test_each_served_main_option_before_the_command(option: grammar.Option) -> None:
    for spelt in spellings(option):
        args = [*spelt, "list"]
        request = parse(args)
        assert request is not None, args
        parsed = full_parse(args)["main"][option.key]  # click accepts it too
        if option.key == "file":
            assert request.file == parsed
    if option.choices:  # --lang fr: click refuses it, and the quick path leaves it
        with pytest.raises(click_errors.BadParameter):
            full_parse([option.names[0], "fr", "list"])
        assert parse([option.names[0], "fr", "list"]) is None


@pytest.mark.parametrize(
    "command",
    [command for command in grammar.COMMANDS.values() if command.arguments],
    ids=lambda command: command.name,
)
def test_the_arguments_read_as_click_reads_them(command: grammar.Command) -> None:
    args = [command.name, *(SAMPLES[argument.key] for argument in command.arguments)]
    request = parse(args)
    assert request is not None
    parsed = full_parse(args)["command"]
    for argument in command.arguments:
        value = getattr(request, argument.key)
        if argument.many:
            assert [str(number) for number in value] == parsed[argument.key]
        else:
            assert str(value) == parsed[argument.key]


def test_every_id_of_a_write_is_taken_between_its_options() -> None:
    args = ["done", "3", "--note", "按计划推进", "7", "3", "--on=2021-01-01", "12"]
    request = parse(args)
    assert request is not None
    assert request.ids == (3, 7, 12)  # duplicates dropped, as the command drops them
    assert full_parse(args)["command"]["ids"] == ["3", "7", "3", "12"]
    assert (request.note, request.on) == ("按计划推进", "2021-01-01")


@pytest.mark.parametrize(
    "args",
    [
        ["note", "3"],  # TEXT missing: click says so
        ["note", "3", "-x"],  # what may be an option
        ["done"],  # no id
        ["done", "yshj:3"],  # a workspace's KEY:ID
        ["done", "3", "--plan", "yshj"],
        ["undo", "--plan", "yshj"],
        ["done", "0"],
        ["start", "３"],  # a full-width digit: the full parser's
    ],
)
def test_a_write_the_quick_path_leaves(args: list[str]) -> None:
    assert parse(args) is None


UNSERVED = [
    pytest.param(command, option, id=f"{command.name} {option.names[0]}")
    for command in [grammar.MAIN, *grammar.COMMANDS.values()]
    for option in command.options
    if option.key
    not in (quick._MAIN_SERVED if command is grammar.MAIN else quick._SERVED[command.name])
]


@pytest.mark.parametrize(("command", "option"), UNSERVED)
def test_a_declared_option_not_served_is_left_to_the_full_command_line(
    command: grammar.Command, option: grammar.Option
) -> None:
    for spelt in spellings(option):
        if command is grammar.MAIN:
            args = [*spelt, "list"]
        else:
            args = [command.name, *required(command), *spelt]
        assert parse(args) is None, args


def test_a_value_outside_the_served_choices_is_left_to_the_full_command_line() -> None:
    for command in grammar.COMMANDS.values():
        for option in served(command):
            for value in set(option.choices) - set(quick._SERVED_CHOICES.get(option.key, ())):
                if option.key in quick._SERVED_CHOICES:
                    args = [command.name, *required(command), option.names[0], value]
                    assert parse(args) is None, args
    assert parse(["list", "--sort", "deadline"]) == Request("list", sort="deadline")
