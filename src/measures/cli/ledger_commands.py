"""Commands that read the ledger and show its measures."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from measures.cli.app import FileOption, app, clock_today, load, reports_errors
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
    output: Annotated[
        ListFormat, typer.Option("--format", help="Output format.")
    ] = ListFormat.TABLE,
    file: FileOption = None,
) -> None:
    """Show the measures: id, title, owner, deadline and status.

    Example: measures list --status todo --owner 税务
    """
    from measures.queries import Filter, select, with_lateness

    today = clock_today()
    ledger = load(ctx, file)
    wanted = Filter(statuses=frozenset(status or ()), owner=owner, overdue=overdue)
    chosen = sorted(select(ledger.measures, wanted, today), key=lambda m: m.id)
    if output is ListFormat.JSON:
        from measures.render.records import measure_record, to_json

        sys.stdout.write(to_json([measure_record(m, today) for m in chosen]))
        return
    from measures.render.terminal import make_console, measures_table

    make_console().print(measures_table(with_lateness(chosen, today), today))
