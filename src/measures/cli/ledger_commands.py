"""Commands that read the ledger and show its measures."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from measures.cli.app import (
    AsOfOption,
    FileOption,
    app,
    clock_today,
    load,
    load_as_of,
    parse_ids,
    reports_errors,
)
from measures.model import Status


class ListFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


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
    as_of: AsOfOption = None,
    output: Annotated[
        ListFormat, typer.Option("--format", help="Output format.")
    ] = ListFormat.TABLE,
    file: FileOption = None,
) -> None:
    """Show the measures: id, title, owner, deadline and status.

    Example: measures list --status todo --owner 税务
    """
    from measures.queries import Filter, select, with_lateness

    ledger, today = load_as_of(ctx, file, as_of)
    wanted = Filter(statuses=frozenset(status or ()), owner=owner, overdue=overdue)
    chosen = sorted(select(ledger.measures, wanted, today), key=lambda m: m.id)
    if output is ListFormat.JSON:
        from measures.render.records import measure_record, to_json

        sys.stdout.write(to_json([measure_record(m, today) for m in chosen]))
        return
    from measures.render.terminal import make_console, measures_table

    make_console().print(measures_table(with_lateness(chosen, today), today))


class ShowFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


@app.command()
@reports_errors
def show(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The measure's id.")],
    output: Annotated[
        ShowFormat, typer.Option("--format", help="Output format.")
    ] = ShowFormat.TABLE,
    file: FileOption = None,
) -> None:
    """Show one measure in full: every field and its log.

    Example: measures show 3 --format json
    """
    today = clock_today()
    measure = load(ctx, file).get(parse_ids([ident])[0])
    if output is ShowFormat.JSON:
        from measures.render.records import measure_record, to_json

        sys.stdout.write(to_json(measure_record(measure, today)))
        return
    from measures.render.detail import print_measure
    from measures.render.terminal import make_console

    print_measure(make_console(), measure, today)


@app.command()
@reports_errors
def log(
    ctx: typer.Context,
    ident: Annotated[
        str | None, typer.Argument(metavar="ID", help="Only this measure's entries.")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help="Only entries made on or after DATE."),
    ] = None,
    output: Annotated[
        ShowFormat, typer.Option("--format", help="Output format.")
    ] = ShowFormat.TABLE,
    file: FileOption = None,
) -> None:
    """Show the log: every recorded change, oldest first, newest last.

    Example: measures log 3 --since 2020-12-01
    """
    from measures.dates import parse_date
    from measures.history import events

    since_day = parse_date(since, clock_today(), "--since") if since is not None else None
    ledger = load(ctx, file)
    number = parse_ids([ident])[0] if ident is not None else None
    if number is not None:
        ledger.get(number)  # an unknown id is an error, not an empty log
    found = events(ledger.measures, since_day, number)
    if output is ShowFormat.JSON:
        from measures.render.records import event_record, to_json

        sys.stdout.write(to_json([event_record(event) for event in found]))
        return
    from measures.render.detail import log_table
    from measures.render.terminal import make_console

    make_console().print(log_table(found))
