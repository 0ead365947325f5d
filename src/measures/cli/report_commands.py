"""Commands that produce reports and exchange files."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from measures.cli.app import AsOfOption, FileOption, app, load_as_of, reports_errors


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


@app.command()
@reports_errors
def report(
    ctx: typer.Context,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only the table of overdue measures.")
    ] = False,
    as_of: AsOfOption = None,
    output: Annotated[
        ReportFormat, typer.Option("--format", help="Output format.")
    ] = ReportFormat.TABLE,
    file: FileOption = None,
) -> None:
    """Completion report: rate, counts by status, a table by owner, the overdue measures.

    Example: measures report --overdue
    """
    from measures.reports import build_report

    ledger, today = load_as_of(ctx, file, as_of)
    result = build_report(ledger, today)
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
