"""The quick path: the commonest reads and writes without importing typer.

Most commands an office runs only read the ledger, most of them are `list`,
`report` or `show` with few options, and most of their start-up goes to
importing the command-line framework and building the model's validators. So
the launcher first offers the command line to `serve`, which takes it only when

- it is exactly one of the forms below, every option spelt out in full
  (`--lang zh|en` and `-f/--file PATH` before or after the command; ids and
  days in ASCII digits, at most 18 of them; every argument UTF-8 text):
  `list` with `--status/-s` (repeated), `--owner`, `--search`, `--overdue`,
  `--due-within`, `--sort` and `--format table|json`;
  `report [--overdue] [--format table|json]`; `show ID [--format table|json]`;
  `log [ID] [--format table|json]` (the options are read by their
  declarations in `grammar.py`, from which the command line's typer
  parameters are built too, so there is one grammar; `_SERVED` names the
  options whose meaning the quick path knows);
- and the ledger reads: its exact bytes have a snapshot (`snapshot.py`), made
  when this version of measures validated them, or they are read and
  validated now, as every command reads them, and the snapshot kept.

From the snapshot it rebuilds the records without pydantic, and it hands them to
the same queries, reports and renderers as the full command (`render/output.py`),
so the output is the same, byte for byte. Anything else (another command, any
other option or spelling, `--help`, no ledger, a ledger in error, an unknown
id) and it returns False having printed nothing: the full command line runs,
with its parsing, validation and error messages.

`check` of one ledger file is run by the same core as the full command
(`domain/filecheck.py`), and says the same, with the same exit code; a file it
cannot read, a workspace or `--plan` go to the full command line.

The writes `done ID...`, `start ID...` (each with `--note`, `--on`, `--by`),
`note ID TEXT` (`--on`, `--by`) and `undo` are taken in the same spellings, on
one ledger file (not a workspace, not `KEY:ID`, no `--plan`), snapshot or not:
they are carried out by the same code as the full command (`writes.py`, then
`store.change_ledger`), which says what it did or why it refused, with the same
words and exit code.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable

    from measures.grammar import Argument, Command, Option
    from measures.model.records import Ledger
    from measures.model.status import Status

_FORMATS = ("table", "json")


class Request(NamedTuple):  # not a dataclass: quicker to define (see grammar.py)
    command: str  # one of _SERVED
    file: str | None = None
    output: str = "table"
    overdue: bool = False  # list --overdue, report --overdue
    ident: int | None = None  # show ID, log [ID], note ID
    # the writes: done/start ID..., note's TEXT, --on, --note, --by
    ids: tuple[int, ...] = ()
    text: str = ""
    on: str | None = None
    note: str | None = None
    by: str | None = None
    # list's filters and order
    statuses: frozenset[Status] = frozenset()
    owner: str | None = None
    search: str | None = None
    due_within: int | None = None
    sort: str = "id"


# What the quick path serves of the grammar (grammar.py): the options of each
# command it knows the meaning of (`_prepare`), by the command function's
# parameter names, and of --format only these values. An option not named here
# (a new one, --as-of, report's --due-within, ...) is the full command line's.
_SERVED = {
    "list": ("status", "owner", "overdue", "due_within", "search", "sort", "output", "file"),
    "report": ("overdue", "output", "file"),
    "show": ("ident", "output", "file"),
    "log": ("ident", "output", "file"),
    "done": ("ids", "on", "note", "by", "file"),
    "start": ("ids", "note", "on", "by", "file"),
    "note": ("ident", "text", "on", "by", "file"),
    "undo": ("file",),
    "check": ("file",),
}
_WRITES = ("done", "start", "note", "undo")
_SERVED_CHOICES = {"output": _FORMATS}
_MAIN_SERVED = ("file", "lang")  # before the command; --lang after it too (take_language)

# Where an option stands (before the command: None) and its parameter: its values as typed.
_Given = dict[tuple[str | None, str], list[str]]


def _options(command: str | None) -> dict[str, Option]:
    """The options the quick path reads where `command` stands (None: before any), by name."""
    from measures import grammar

    served = [option for option in grammar.MAIN.options if option.key in _MAIN_SERVED]
    if command is not None:
        declared = grammar.COMMANDS[command]
        served += [option for option in declared.options if option.key in _SERVED[command]]
    return {name: option for option in served for name in option.names}


def parse(args: Sequence[str]) -> Request | None:
    """The request the arguments (after the program name) make, if the quick path serves it."""
    # An argument that is not UTF-8 text (bytes the locale could not decode, kept
    # as surrogates) is the full parser's, which reads it or says what is wrong.
    if not all(argument.isascii() or _is_text(argument) for argument in args):
        return None
    read = _read(args)
    return None if read is None else _request(*read)


def _read(args: Sequence[str]) -> tuple[str, _Given] | None:
    """The command and each option's values as typed; None for a form the quick path leaves."""
    command: str | None = None
    given: _Given = {}
    options = _options(None)
    arguments = iter(args)
    for argument in arguments:
        name, equals, value = argument.partition("=")
        if command is None and name in _SERVED and not equals:
            command, options = name, _options(name)
            continue
        awaited = _awaited_argument(command, given)
        if awaited is not None and _fits(awaited, argument):
            given.setdefault((command, awaited.key), []).append(argument)
            continue
        option = options.get(name)
        if option is None or (equals and not _takes_equals(option, name)):
            return None
        if not (equals or option.flag):
            value = next(arguments, "")  # none left: refused below
        values = given.setdefault((command, option.key), [])
        if not _plain(option, values, value):
            return None
        values.append(value)
    return None if command is None else (command, given)


def _awaited_argument(command: str | None, given: _Given) -> Argument | None:
    """The command's argument the next word fills, if one is still to come (`done`'s
    ID... takes every id left)."""
    from measures import grammar

    if command is None:
        return None
    for declared in grammar.COMMANDS[command].arguments:
        if declared.many or (command, declared.key) not in given:
            return declared
    return None


def _fits(declared: Argument, word: str) -> bool:
    """An id in plain digits for an ID; for a TEXT anything but what may be an option."""
    return not word.startswith("-") if declared.text else _is_id(word)


def _takes_equals(option: Option, name: str) -> bool:
    """`--name=VALUE`; `-f=PATH` or `--overdue=yes` are the full parser's, which reads or
    refuses them."""
    return name.startswith("--") and not option.flag


def _plain(option: Option, values: list[str], value: str) -> bool:
    """Each option once (--status may repeat), with a plain value: anything subtler is the
    full parser's."""
    if values and not option.repeatable:
        return False
    return option.flag or (value != "" and not value.startswith("-"))


def _request(command: str, given: _Given) -> Request | None:
    """The request the options as typed make, if their values are ones the quick path serves."""
    from measures import grammar

    declared = grammar.COMMANDS[command]
    if any(arg.required and (command, arg.key) not in given for arg in declared.arguments):
        return None
    # One --lang, zh or en: the launcher has already chosen the language by it.
    languages = given.pop((None, "lang"), []) + given.pop((command, "lang"), [])
    if len(languages) > 1 or any(value not in grammar.LANG.choices for value in languages):
        return None
    # --file after the command is the command's own, which wins over the main one.
    files = [*given.pop((command, "file"), []), *given.pop((None, "file"), [])]
    fields: dict[str, Any] = {"file": files[0] if files else None}
    for (_place, key), values in given.items():
        value = _value(declared, key, values)
        if value is None:
            return None
        fields[key] = value
    if "status" in fields:
        fields["statuses"] = fields.pop("status")
    return Request(command, **fields)


def _value(command: Command, key: str, values: list[str]) -> object | None:
    """The option's or the argument's value as the command takes it; None if not served."""
    from measures.domain.labels import parse_status

    argument = next((arg for arg in command.arguments if arg.key == key), None)
    if argument is not None:
        if argument.text:
            return values[0]
        if argument.many:  # duplicates dropped, as the command line drops them
            return tuple(dict.fromkeys(int(value) for value in values))
        return int(values[0])  # digits only: _read took no other
    option = command.option(key)
    if option.flag:
        return True
    if option.repeatable:  # --status, by value or Chinese name
        statuses = [parse_status(value) for value in values]
        return None if None in statuses else frozenset(statuses)
    (value,) = values
    if option.choices and value not in _SERVED_CHOICES.get(key, option.choices):
        return None
    if key == "due_within":
        return int(value) if _is_count(value) else None
    return value


# At most this many digits are read here: a longer number (Python refuses to read
# one of over 4,300 digits) is the full parser's, which says what is wrong with it.
_DIGITS = 18


def _is_text(argument: str) -> bool:
    try:
        argument.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_count(argument: str) -> bool:
    """A number of days in plain ASCII digits (any other spelling is the full parser's)."""
    from measures.domain.queries import MAX_DAYS

    return _is_number(argument) and int(argument) <= MAX_DAYS


def _is_id(argument: str) -> bool:
    """A measure id in plain ASCII digits (any other spelling is the full parser's)."""
    return _is_number(argument) and int(argument) > 0


def _is_number(argument: str) -> bool:
    return argument.isascii() and argument.isdigit() and len(argument) <= _DIGITS


def serve(args: Sequence[str], environ: Mapping[str, str] = os.environ) -> bool:
    """Carry out the command line if the quick path can; False, having printed nothing, if not."""
    try:
        request = parse(args)
    except (ValueError, ArithmeticError):  # a value no check above foresaw: the full parser's
        return False
    if request is None:
        return False
    from measures.errors import MeasuresError
    from measures.ledger.locate import locate_ledger

    try:
        path = locate_ledger(request.file, environ, os.getcwd())  # noqa: PTH109
        if os.path.isdir(path):  # noqa: PTH112
            return False  # a workspace of plans: the full command line's
        if request.command in _WRITES:
            return _write(request, path)
        if request.command == "check":
            return _check(path)
        ledger = _kept(path) or _validated(path)
    except (MeasuresError, OSError, ValueError):
        return False  # the full command says what is wrong
    today = date.today()
    try:
        # Everything is worked out before anything is printed.
        show = _prepare(request, ledger, today)
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return False
    if show is None:
        return False  # an unknown id: the full command says so
    show()
    return True


def _prepare(request: Request, ledger: Ledger, today: date) -> Callable[[], None] | None:
    """What prints the answer, all its data at hand; None if the full command must answer."""
    from measures.render import output as printing

    output = request.output
    measures = ledger.measures
    if request.command == "list":
        from measures.domain.queries import Filter, SortKey, select, sort_measures

        chosen_by = Filter(
            statuses=request.statuses,
            owner=request.owner,
            overdue=request.overdue,
            due_within=request.due_within,
            search=request.search,
        )
        from measures.domain.lights import rules_of

        chosen = sort_measures(select(measures, chosen_by, today), SortKey(request.sort))
        rules = rules_of(ledger.plan)
        return lambda: printing.print_measures(chosen, today, output, rules=rules)
    if request.command == "report":
        from measures.domain.reports import build_report

        report = build_report(ledger, today)
        if output == "table":
            return lambda: printing.print_report(report, request.overdue)
        text = printing.report_for_stdout(report, output, request.overdue)
        return lambda: printing.write_out(text, output)
    wanted = [m for m in ledger.measures if request.ident in (None, m.id)]
    if request.ident is not None and not wanted:
        return None
    if request.command == "show":
        shown = wanted[0]
        return lambda: printing.print_measure(shown, today, output, plan=ledger.plan)
    from measures.domain.history import events

    found = events(measures, None, request.ident)
    return lambda: printing.print_log(found, output)


def _validated(path: str) -> Ledger:
    """The ledger read and validated as every command reads it, its snapshot kept;
    MeasuresError for a file in error, which the full command then reports."""
    from pathlib import Path

    from measures.ledger.store import read_ledger

    return read_ledger(Path(path)).ledger


def _kept(path: str) -> Ledger | None:
    """The snapshot's records for the ledger's bytes as they are now, if one is kept."""
    import mmap
    from stat import S_ISREG

    from measures.ledger import snapshot

    # Not waiting on a FIFO: the full command says what is wrong with anything not a file.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as ledger_file:
        status = os.fstat(descriptor)
        if not S_ISREG(status.st_mode) or status.st_size == 0:
            return None  # an empty file cannot be mapped; the full command says it is empty
        # Mapped, not read: only the bytes' hash is wanted, and a big ledger is
        # then never copied into memory.
        with mmap.mmap(ledger_file.fileno(), 0, access=mmap.ACCESS_READ) as raw:
            return snapshot.load(path, raw)


def _check(path: str) -> bool:
    """`check` of one ledger file, by the same core as the full command (`check_files`):
    its problems on standard output, exit 1 if one is an error."""
    import sys
    from pathlib import Path

    from measures.domain.checks import has_error
    from measures.domain.filecheck import check_files
    from measures.errors import EXIT_FAILED
    from measures.render.problems import problems_text

    problems, measures = check_files([Path(path)])  # a file has no units.toml
    sys.stdout.write(problems_text(problems, measures))
    if has_error(problems):
        raise SystemExit(EXIT_FAILED)
    return True


def _write(request: Request, path: str) -> bool:
    """Carry out a write (`done`, `start`, `note`, `undo`) on the ledger file at `path`.

    The same checks, change and words as the full command (`writes.py`), through
    the same store; a refusal is reported here as the full command reports it,
    with its exit code, since the write may already be under way when it comes.
    """
    import sys
    from pathlib import Path

    from measures import writes
    from measures.errors import MeasuresError, error_text
    from measures.ledger.store import update_ledger

    ledger = Path(path)
    try:
        if request.command == "undo":
            said = writes.undo(ledger)
        else:
            today = writes.clock_today()
            if request.command == "note":
                assert request.ident is not None  # a required argument: _request saw it
                numbers = [request.ident]
                write = writes.note(
                    request.ident, request.text, request.on, request.by, today, writes.clock_now
                )
            elif request.command == "done":
                numbers = list(request.ids)
                write = writes.done(
                    numbers, request.on, request.note, request.by, today, writes.clock_now
                )
            else:
                numbers = list(request.ids)
                write = writes.start(
                    numbers, request.note, request.on, request.by, today, writes.clock_now
                )

            def change(before: Ledger) -> Ledger:
                for number in numbers:
                    before = before.replace(write.change_one(before.get(number)))
                return before

            update_ledger(ledger, change, numbers)
            said = write.said
    except MeasuresError as error:
        sys.stderr.write(error_text(error))
        raise SystemExit(error.exit_code) from None
    from measures.inert import inert

    sys.stderr.write(inert(said) + "\n")
    return True
