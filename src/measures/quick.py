"""The quick path: `list`, `report`, `show` and `log` without importing typer or pydantic.

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
  `log [ID] [--format table|json]`;
- and the ledger's exact bytes have a snapshot (`snapshot.py`): they were
  validated by the model before, by this version of measures.

It then rebuilds the records as plain objects (`plain.py`) and hands them to
the same queries, reports and renderers as the full command (`render/output.py`),
so the output is the same, byte for byte. Anything else (another command, any
other option or spelling, `--help`, no ledger, bytes not validated yet, an
unknown id, a snapshot that does not read) and it returns False having printed
nothing: the full command line runs, with its parsing, validation and error
messages.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from measures.model.plain import PlainLedger
    from measures.model.records import Measure
    from measures.model.status import Status

_LANGUAGES = ("zh", "en")
_FORMATS = ("table", "json")


_COMMANDS = ("list", "report", "show", "log")


@dataclass(frozen=True)
class Request:
    command: str  # one of _COMMANDS
    file: str | None = None
    output: str = "table"
    overdue: bool = False  # list --overdue, report --overdue
    ident: int | None = None  # show ID, log [ID]
    # list's filters and order
    statuses: frozenset[Status] = frozenset()
    owner: str | None = None
    search: str | None = None
    due_within: int | None = None
    sort: str = "id"


# Options taking a value, by where they stand: before the command, or after it.
_MAIN_OPTIONS = ("--lang", "--file", "-f")
_COMMAND_OPTIONS = {
    "list": (*_MAIN_OPTIONS, "--format", "--owner", "--search", "--due-within", "--sort"),
    "report": (*_MAIN_OPTIONS, "--format"),
    "show": (*_MAIN_OPTIONS, "--format"),
    "log": (*_MAIN_OPTIONS, "--format"),
}
_SORTS = ("id", "deadline", "owner", "status")


def parse(args: Sequence[str]) -> Request | None:
    """The request the arguments (after the program name) make, if the quick path serves it."""
    from measures.domain.labels import parse_status

    # An argument that is not UTF-8 text (bytes the locale could not decode, kept
    # as surrogates) is the full parser's, which reads it or says what is wrong.
    if not all(argument.isascii() or _is_text(argument) for argument in args):
        return None

    values: dict[str, str] = {}
    command: str | None = None
    overdue = False
    ident: int | None = None
    statuses: set[Status] = set()
    position = 0
    while position < len(args):
        argument = args[position]
        position += 1
        name, equals, value = argument.partition("=")
        if command is None and name in _COMMANDS and not equals:
            command = name
            continue
        if name == "--overdue" and command in ("list", "report") and not equals and not overdue:
            overdue = True
            continue
        if command in ("show", "log") and ident is None and _is_id(argument):
            ident = int(argument)
            continue
        repeated = command == "list" and name in ("--status", "-s")
        allowed = _MAIN_OPTIONS if command is None else _COMMAND_OPTIONS[command]
        if not (repeated or name in allowed) or (equals and name in ("-f", "-s")):
            return None
        if not equals:
            if position == len(args):
                return None
            value = args[position]
            position += 1
        # Each option once, with a plain value: anything subtler is the full parser's.
        if not value or value.startswith("-"):
            return None
        if repeated:
            status = parse_status(value)
            if status is None:
                return None
            statuses.add(status)
            continue
        key = f"{'main' if command is None else 'command'}{'--file' if name == '-f' else name}"
        if key in values:
            return None
        values[key] = value
    if command is None or (command == "show" and ident is None):
        return None
    languages = [values[key] for key in ("main--lang", "command--lang") if key in values]
    # One --lang, zh or en: the launcher has already chosen the language by it.
    if len(languages) > 1 or any(value not in _LANGUAGES for value in languages):
        return None
    output = values.get("command--format", "table")
    sort = values.get("command--sort", "id")
    within = values.get("command--due-within")
    if output not in _FORMATS or sort not in _SORTS or not (within is None or _is_count(within)):
        return None
    return Request(
        command,
        file=values.get("command--file") or values.get("main--file"),
        output=output,
        overdue=overdue,
        ident=ident,
        statuses=frozenset(statuses),
        owner=values.get("command--owner"),
        search=values.get("command--search"),
        due_within=None if within is None else int(within),
        sort=sort,
    )


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
        data = _kept(path)
    except (MeasuresError, OSError, ValueError):
        return False  # the full command says what is wrong
    if data is None:
        return False
    from measures.model.plain import PlainLedger

    today = date.today()
    try:
        ledger = PlainLedger(data)
        del data
        # Everything is worked out before anything is printed: it reads the
        # logs, which is when a log entry of the wrong shape would show.
        show = _prepare(request, ledger, today)
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return False
    if show is None:
        return False  # an unknown id: the full command says so
    show()
    return True


def _prepare(request: Request, ledger: PlainLedger, today: date) -> Callable[[], None] | None:
    """What prints the answer, all its data at hand; None if the full command must answer."""
    from measures.render import output as printing

    output = request.output
    # Plain records stand in for the model's (see plain.py): the same attributes.
    measures: Sequence[Measure] = ledger.measures  # type: ignore[assignment]
    if request.command == "list":
        from measures.domain.queries import Filter, SortKey, select, sort_measures

        chosen_by = Filter(
            statuses=request.statuses,
            owner=request.owner,
            overdue=request.overdue,
            due_within=request.due_within,
            search=request.search,
        )
        chosen = sort_measures(select(measures, chosen_by, today), SortKey(request.sort))
        return lambda: printing.print_measures(chosen, today, output)
    if request.command == "report":
        from measures.domain.reports import build_report

        report = build_report(ledger, today)  # type: ignore[arg-type]  # as above
        if output == "table":
            return lambda: printing.print_report(report, request.overdue)
        text = printing.report_for_stdout(report, output, request.overdue)
        return lambda: printing.write_out(text, output)
    wanted = [m for m in ledger.measures if request.ident in (None, m.id)]
    if request.ident is not None and not wanted:
        return None
    for measure in wanted:
        for entry in measure.log:
            entry.check()
    if request.command == "show":
        shown: Measure = wanted[0]  # type: ignore[assignment]  # as above
        return lambda: printing.print_measure(shown, today, output)
    from measures.domain.history import events

    found = events(measures, None, request.ident)
    return lambda: printing.print_log(found, output)


def _kept(path: str) -> dict[str, Any] | None:
    """The snapshot's data for the ledger's bytes as they are now, if one is kept."""
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
            return snapshot.load_plain(path, raw)
