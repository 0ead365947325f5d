"""The command line: options in, core calls, rendering out. No logic of its own."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from measures import __version__
from measures.errors import BadValue, MeasuresError
from measures.model import Ledger, Status

app = typer.Typer(
    name="measures",
    help="Keep the ledger (台账) of a government action plan: its measures, owners, "
    "deadlines and status.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

FileOption = Annotated[
    str | None,
    typer.Option(
        "--file",
        "-f",
        metavar="PATH",
        help="The ledger file. Default: $MEASURES_FILE, else measures.toml or "
        "data/measures.toml here or in the nearest parent folder.",
    ),
]


class ListFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Turn a MeasuresError into its one- or two-line message and exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except MeasuresError as error:
            _fail(error)

    return wrapper  # type: ignore[return-value]


def _fail(error: MeasuresError) -> NoReturn:
    from measures.render.inert import inert

    lines = [f"Error: {inert(error.message)}"]
    if error.hint:
        lines.append(inert(error.hint))
    sys.stderr.write("\n".join(lines) + "\n")
    raise typer.Exit(error.exit_code)


def _say(message: str) -> None:
    from measures.render.inert import inert

    sys.stderr.write(inert(message) + "\n")


def _version(value: bool) -> None:
    if value:
        print(f"measures {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    file: FileOption = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Keep the ledger (台账) of a government action plan."""
    ctx.obj = file


def _ledger_path(ctx: typer.Context, file: str | None) -> Path:
    from measures.store import find_ledger

    return find_ledger(file or ctx.obj, os.environ, Path.cwd())


def _load(ctx: typer.Context, file: str | None) -> Ledger:
    from measures.store import read_ledger

    return read_ledger(_ledger_path(ctx, file)).ledger


def _today() -> date:
    return date.today()


def _now() -> datetime:
    return datetime.now().astimezone().replace(microsecond=0)


def _login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def parse_ids(values: list[str]) -> list[int]:
    """Measure ids as typed, each a positive whole number, duplicates dropped."""
    ids: list[int] = []
    for value in values:
        text = value.strip()
        if not text.isdigit() or int(text) == 0:
            raise BadValue(
                f"{value!r} is not a measure id: an id is a positive whole number such as 3."
            )
        if int(text) not in ids:
            ids.append(int(text))
    return ids


@app.command("list")
@reports_errors
def list_(
    ctx: typer.Context,
    status: Annotated[
        list[Status] | None,
        typer.Option("--status", "-s", help="Only measures with this status (repeatable)."),
    ] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Only measures whose owner contains TEXT.")
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue measures.")] = False,
    output: Annotated[
        ListFormat, typer.Option("--format", help="Output format.")
    ] = ListFormat.TABLE,
    file: FileOption = None,
) -> None:
    """Show the measures: id, title, owner, deadline and status.

    Example: measures list --status todo --owner 税务
    """
    from measures.queries import Filter, select, with_lateness

    today = _today()
    ledger = _load(ctx, file)
    wanted = Filter(statuses=frozenset(status or ()), owner=owner, overdue=overdue)
    chosen = sorted(select(ledger.measures, wanted, today), key=lambda m: m.id)
    if output is ListFormat.JSON:
        from measures.render.records import measure_record, to_json

        sys.stdout.write(to_json([measure_record(m, today) for m in chosen]))
        return
    from measures.render.terminal import make_console, measures_table

    make_console().print(measures_table(with_lateness(chosen, today), today))


@app.command()
@reports_errors
def done(
    ctx: typer.Context,
    ids: Annotated[list[str], typer.Argument(metavar="ID...", help="The measures' ids.")],
    on: Annotated[
        str | None,
        typer.Option("--on", metavar="DATE", help="The day it was completed. Default: today."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note for the log.")] = None,
    by: Annotated[
        str | None, typer.Option("--by", metavar="NAME", help="Who reports it. Default: you.")
    ] = None,
    file: FileOption = None,
) -> None:
    """Mark measures complete, as reported by their lead unit.

    Example: measures done 3 7 --on 2020-12-20 --note "系统已上线"
    """
    from measures.dates import parse_date
    from measures.model import mark_done
    from measures.store import update_ledger

    today = _today()
    numbers = parse_ids(ids)
    on_day = parse_date(on, today, "--on") if on is not None else today
    if on_day > today:
        raise BadValue(f"--on {on}: {on_day.isoformat()} is in the future.")
    who, at = by or _login(), _now()

    def change(ledger: Ledger) -> Ledger:
        for number in numbers:
            ledger = ledger.replace(mark_done(ledger.get(number), on_day, who, at, note))
        return ledger

    update_ledger(_ledger_path(ctx, file), change)
    listed = ", ".join(str(n) for n in numbers)
    _say(f"Marked done on {on_day.isoformat()}: {listed}.")


@app.command()
@reports_errors
def report(
    ctx: typer.Context,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only the table of overdue measures.")
    ] = False,
    output: Annotated[
        ReportFormat, typer.Option("--format", help="Output format.")
    ] = ReportFormat.TABLE,
    file: FileOption = None,
) -> None:
    """Completion report: rate, counts by status, a table by owner, the overdue measures.

    Example: measures report --overdue
    """
    from measures.reports import build_report

    today = _today()
    result = build_report(_load(ctx, file), today)
    if output is ReportFormat.JSON:
        from measures.render.records import report_record, to_json

        sys.stdout.write(to_json(report_record(result, overdue_only=overdue)))
        return
    from measures.render.terminal import make_console, overdue_table, print_report

    console = make_console()
    if overdue:
        console.print(overdue_table(result.overdue, today))
    else:
        print_report(console, result)


def run() -> None:
    app(prog_name="measures")
