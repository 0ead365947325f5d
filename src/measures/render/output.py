"""What `list` and `report` print, in each format: shared by the command line and the quick path."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from measures.history import Event
    from measures.model import Measure
    from measures.reports import Report


def print_measures(chosen: Sequence[Measure], today: date, output: str) -> None:
    """The measures on standard output as `list` shows them: table, json, csv or markdown."""
    if output == "json":
        from measures.render.records import measure_record, write_json_list

        write_json_list((measure_record(m, today) for m in chosen), sys.stdout)
        return
    from measures.queries import with_lateness

    rows = with_lateness(chosen, today)
    if output == "csv":
        from measures.render.csvfile import measures_csv

        sys.stdout.write(measures_csv(rows))
        return
    if output == "markdown":
        from measures.render.markdown import measures_markdown

        sys.stdout.write(measures_markdown(rows, today))
        return
    from measures.render.terminal import make_console, measures_table

    make_console().print(measures_table(rows, today))


def print_measure(measure: Measure, today: date, output: str) -> None:
    """One measure as `show` prints it: every field and its log, as a table or json."""
    if output == "json":
        from measures.render.records import measure_record, to_json

        sys.stdout.write(to_json(measure_record(measure, today)))
        return
    from measures.render.detail import print_measure as print_detail
    from measures.render.terminal import make_console

    print_detail(make_console(), measure, today)


def print_log(found: Sequence[Event], output: str) -> None:
    """Log entries as `log` prints them, as a table or json."""
    if output == "json":
        from measures.render.records import event_record, to_json

        sys.stdout.write(to_json([event_record(event) for event in found]))
        return
    from measures.render.detail import log_table
    from measures.render.terminal import make_console

    make_console().print(log_table(found))


def print_report(report: Report, overdue_only: bool, file: IO[str] | None = None) -> None:
    """The report as rich tables on the terminal (or `file`); with `overdue_only`, that table."""
    from measures.render.terminal import make_console, overdue_table
    from measures.render.terminal import print_report as print_tables

    console = make_console(file)
    if overdue_only:
        console.print(overdue_table(report.overdue, report.as_of))
    else:
        print_tables(console, report)


def report_text(report: Report, output: str, overdue_only: bool) -> str:
    """The report as text in `output`: json, markdown, html, csv, or table (plain, for a file)."""
    if output == "json":
        from measures.render.records import report_record, to_json

        return to_json(report_record(report, overdue_only=overdue_only))
    if output == "markdown":
        from measures.render.markdown import report_markdown

        return report_markdown(report, overdue_only)
    if output == "html":
        from measures.render.html import report_html

        return report_html(report, overdue_only)
    if output == "csv":
        from measures.render.csvfile import report_csv

        return report_csv(report, overdue_only)
    return _table_text(report, overdue_only)


def _table_text(report: Report, overdue_only: bool) -> str:
    """The terminal report as plain text, for a file."""
    import io

    buffer = io.StringIO()
    print_report(report, overdue_only, buffer)
    return buffer.getvalue()
