"""Commands that change measures: each one a locked, atomic, logged write."""

from __future__ import annotations

from typing import Annotated

import typer

from measures.cli.app import (
    FileOption,
    app,
    clock_now,
    clock_today,
    ledger_path,
    login,
    parse_ids,
    reports_errors,
    say,
)
from measures.errors import BadValue
from measures.model import Ledger


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
    from measures.changes import mark_done
    from measures.dates import parse_date
    from measures.store import update_ledger

    today = clock_today()
    numbers = parse_ids(ids)
    on_day = parse_date(on, today, "--on") if on is not None else today
    if on_day > today:
        raise BadValue(f"--on {on}: {on_day.isoformat()} is in the future.")
    who, at = by or login(), clock_now()

    def change(ledger: Ledger) -> Ledger:
        for number in numbers:
            ledger = ledger.replace(mark_done(ledger.get(number), on_day, who, at, note))
        return ledger

    update_ledger(ledger_path(ctx, file), change)
    listed = ", ".join(str(n) for n in numbers)
    say(f"Marked done on {on_day.isoformat()}: {listed}.")
