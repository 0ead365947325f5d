"""Commands that produce reports and exchange files."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from measures import grammar
from measures.cli.app import (
    AsOfOption,
    FileOption,
    PlanOption,
    app,
    one_plan,
    open_plans,
    option,
    parse_days,
    reports_errors,
    say,
    views_as_of,
)
from measures.domain.reports import DUE_WITHIN_DAYS
from measures.errors import BadValue
from measures.grammar import REPORT, ReportFormat
from measures.i18n import _
from measures.writes import check_length, clock_now, clock_today, login

if TYPE_CHECKING:
    from measures.domain.plans import PlanView
    from measures.domain.reports import Report


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"
    MARKDOWN = "markdown"


OutputOption = Annotated[str | None, option(grammar.OUTPUT)]


def output_path(ctx: typer.Context, file: str | None, output: str) -> Path:
    """Where to write (`-`: stdout), refusing the ledger itself."""
    from measures.ledger.store import STDOUT

    path = Path(output).expanduser()
    if output == STDOUT:
        return Path(STDOUT)
    from measures.cli.app import find

    ledgers = {plan.path.resolve() for plan in find(ctx, file).plans}
    if path.resolve() in ledgers:
        raise BadValue(
            _("--output {path}: that is the ledger itself; choose another file.").format(
                path=output
            )
        )
    return path


@app.command()
@reports_errors
def report(
    ctx: typer.Context,
    overdue: Annotated[bool, option(REPORT.option("overdue"))] = False,
    due_within: Annotated[str, option(REPORT.option("due_within"), show_default=True)] = str(
        DUE_WITHIN_DAYS
    ),
    as_of: AsOfOption = None,
    since: Annotated[str | None, option(REPORT.option("since"))] = None,
    output: Annotated[ReportFormat, option(REPORT.option("output"))] = ReportFormat.TABLE,
    to: OutputOption = None,
    file: FileOption = None,
    plan: PlanOption = None,
) -> None:
    """Completion report: rate, counts by status, a table by owner, overdue and due soon.

    Example: measures report --format html --output report.html
    """
    from measures.domain.plans import units_of
    from measures.domain.reports import build_report

    within = parse_days(due_within, "--due-within")
    target = output_path(ctx, file, to) if to is not None else None
    if output is ReportFormat.DOCX:
        _bulletin_refusals(target, overdue)
    workspace = open_plans(ctx, file, plan)
    plans, today = views_as_of(workspace, as_of)
    since_day = None
    if since is not None:
        from measures.domain.dates import parse_date

        since_day = parse_date(since, today, "--since")
    if workspace.several:
        from measures.domain.reports import build_office_report

        result = build_office_report(
            [(view.key, view.ledger) for view in plans],
            today,
            within,
            units_of(workspace),
            since_day,
        )
    else:
        result = build_report(plans[0].ledger, today, within, since_day)
    if output is ReportFormat.DOCX:
        assert target is not None
        _bulletin(result, plans, target)
        return
    if output is ReportFormat.TABLE and target is None:
        from measures.render.output import print_report

        print_report(result, overdue)
        return
    from measures.render.output import report_for_stdout, report_text, write_out

    if target is None:
        write_out(report_for_stdout(result, output, overdue), output)
        return
    text = report_text(result, output, overdue)
    from measures.exchange.csvfile import BOM
    from measures.ledger.store import STDOUT, write_output

    write_output(target, (BOM + text if output is ReportFormat.CSV else text).encode("utf-8"))
    if str(target) != STDOUT:
        say(_("Wrote the {format} report to {path}.").format(format=output.value, path=target))


def _bulletin_refusals(target: Path | None, overdue: bool) -> None:
    """What `report --format docx` refuses, before anything is read."""
    from measures.ledger.store import STDOUT

    if overdue:
        raise BadValue(
            _("--overdue is a table of its own; the Word bulletin names the overdue measures.")
        )
    if target is None or str(target) == STDOUT:
        raise BadValue(_("A Word bulletin is a file: give --output FILE."))


def _bulletin(result: Report, plans: list[PlanView], target: Path) -> None:
    """`report --format docx`: the bulletin (通报) in Word, to a file, on the report the
    other formats give (its `--since` too), over every plan shown."""
    from measures.domain.bulletin import build_bulletin
    from measures.ledger.store import write_output
    from measures.render.docx_report import report_docx

    bulletin = build_bulletin(result, [(view.key, view.ledger) for view in plans])
    write_output(target, report_docx(bulletin))
    say(_("Wrote the {format} report to {path}.").format(format="docx", path=target))


class Headers(StrEnum):
    ZH = "zh"
    EN = "en"


@app.command()
@reports_errors
def export(
    ctx: typer.Context,
    output: Annotated[ExportFormat, typer.Option("--format", help="File format.")],
    to: Annotated[str, typer.Option("--output", "-o", metavar="FILE", help="The file to write.")],
    headers: Annotated[
        Headers | None,
        typer.Option(
            "--headers",
            help="The language of the file's headings and status words. Default: the language.",
        ),
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            metavar="UNIT",
            help="Only the measures this unit leads or partners (its exact name).",
        ),
    ] = None,
    file: FileOption = None,
    plan: PlanOption = None,
) -> None:
    """Write the measures to a file for a spreadsheet or another office.

    Example: measures export --format xlsx --output 台账.xlsx --owner 区税务局
    """
    from measures.exchange.sheet import export_sheet
    from measures.i18n import language
    from measures.ledger.store import STDOUT, write_output
    from measures.model.records import MAX_NAME

    check_length(owner, "--owner", MAX_NAME)
    target = output_path(ctx, file, to)
    from measures.ledger.store import read_ledger

    ledger = read_ledger(one_plan(ctx, file, plan, "export")).ledger
    today = clock_today()
    sheet = export_sheet(ledger, headers.value if headers else language(), today, owner)
    data: bytes
    if output is ExportFormat.XLSX:
        from measures.exchange.xlsx import sheet_xlsx

        data = sheet_xlsx(sheet)
    elif output is ExportFormat.CSV:
        from measures.exchange.csvfile import BOM, sheet_csv

        data = (BOM + sheet_csv(sheet)).encode("utf-8")
    elif output is ExportFormat.JSON:
        from measures.domain.lights import rules_of
        from measures.render.records import measure_record, to_json

        ids = {row[0] for row in sheet.rows}
        chosen = sorted((m for m in ledger.measures if m.id in ids), key=lambda m: m.id)
        rules = rules_of(ledger.plan)  # each light by the plan's thresholds, as `list` gives it
        data = to_json([measure_record(m, today, rules) for m in chosen]).encode("utf-8")
    else:
        from measures.render.markdown import table

        data = table(sheet.headings, sheet.rows).encode("utf-8")
    write_output(target, data)
    if str(target) != STDOUT:
        say(_("Exported {count} measures to {path}.").format(count=len(sheet.rows), path=target))


@app.command("import")
@reports_errors
def import_(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="The table to import: .xlsx, .xls, .ods, .csv (UTF-8, GBK/GB18030 or UTF-16) "
            "or a Word .docx table.",
        ),
    ],
    sheet: Annotated[
        str | None,
        typer.Option(
            "--sheet",
            metavar="NAME",
            help="The worksheet to read, by name (default: the first); "
            "in a Word document, the table's number (default: the first).",
        ),
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", metavar="NAME", help="Who imports it. Default: you.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    file: FileOption = None,
    plan: PlanOption = None,
) -> None:
    """Add and update measures from a spreadsheet, CSV or Word table; every row is checked first.

    Example: measures import 台账.xlsx
    """
    from measures.exchange.files import read_rows
    from measures.exchange.table import apply_import, check_import, read_table
    from measures.ledger.store import change_ledger, read_ledger
    from measures.model.records import MAX_NAME

    check_length(by, "--by", MAX_NAME)
    check_length(sheet, "--sheet", MAX_NAME)
    path = Path(source).expanduser()
    # The file is read, converted and checked against the ledger as it is before
    # the lock is taken (a bad row is reported against the file being imported);
    # under the lock it is checked again, quickly, and applied.
    table = read_rows(path, sheet)
    target = one_plan(ctx, file, plan, "import")
    before = read_ledger(target).ledger
    issued = before.plan.issued
    imported = read_table(table, path.name, issued.year if issued else None)
    who, at, today = by or login(), clock_now(), clock_today()
    if dry_run:
        from measures.inert import inert
        from measures.render.imports import import_changes

        after, summary = apply_import(before, imported, who, at, today)
        lines = import_changes(before, after, imported, summary)
        sys.stdout.write("".join(inert(line) + "\n" for line in lines))
        return
    if imported.ignored:
        say(_("Columns not read: {columns}.").format(columns=_(", ").join(imported.ignored)))
    check_import(before, imported, today)
    done = change_ledger(
        target, lambda ledger: apply_import(ledger, imported, who, at, today)
    ).result
    say(
        _("Imported {name}: {added} added, {updated} updated, {unchanged} unchanged.").format(
            name=path.name,
            added=len(done.added),
            updated=len(done.updated),
            unchanged=len(done.unchanged),
        )
    )
