"""CSV written for spreadsheets (UTF-8 with a BOM, formula-like cells neutralised), and read."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path

from measures.errors import BadValue
from measures.model import Measure
from measures.render.cells import neutralise
from measures.reports import Report

# Excel and WPS take a file as UTF-8 only when it starts with this mark.
BOM = "\ufeff"


Shown = Callable[[str], str] | None  # what text goes through on its way into a cell


def cell_text(value: object, shown: Shown = None) -> str:
    """A value as the text of a CSV cell: dates as 2020-12-31, None as empty, text neutralised.

    `shown`, if given, is applied to text too: `inert` for a terminal.
    """
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        text = neutralise(value)
        return text if shown is None else shown(text)
    return str(value)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]], shown: Shown = None) -> str:
    """The table as CSV text (CRLF line ends, as spreadsheets write), without a BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([cell_text(h) for h in header])
    for row in rows:
        writer.writerow([cell_text(value, shown) for value in row])
    return buffer.getvalue()


def read_csv(path: Path) -> list[list[str]]:
    """The rows of a UTF-8 CSV file (with or without a BOM), header first."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise BadValue(f"{path}: cannot be read ({error.strerror}).") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadValue(
            f"{path}: the file is not UTF-8 text (byte {error.start}).",
            "Save it as CSV UTF-8 (Excel: Save As, CSV UTF-8; WPS: Save As, encoding UTF-8).",
        ) from None
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise BadValue(f"{path}: not a readable CSV file ({error}).") from None


OWNER_COLUMNS = (
    "owner",
    "total",
    "complete",
    "done",
    "verified",
    "in_progress",
    "overdue",
    "extended",
    "completion_pct",
)
OVERDUE_COLUMNS = ("days_overdue", "id", "title", "owner", "deadline", "status")


def report_csv(report: Report, overdue_only: bool = False, shown: Shown = None) -> str:
    """The report's table by owner as CSV (with `overdue_only`: the overdue measures)."""
    if overdue_only:
        return csv_text(
            OVERDUE_COLUMNS,
            (
                [days, m.id, m.title, m.owner, m.deadline, m.status.value]
                for m, days in report.overdue
            ),
            shown,
        )
    return csv_text(
        OWNER_COLUMNS,
        (
            [
                row.owner,
                row.total,
                row.complete,
                row.done,
                row.verified,
                row.in_progress,
                row.overdue,
                row.extended,
                round(row.rate * 100, 1),
            ]
            for row in report.owners
        ),
        shown,
    )


def measures_csv(rows: Sequence[tuple[Measure, int]], shown: Shown = None) -> str:
    """`list --format csv`: the export's columns, then `overdue` and `days_overdue`."""
    from measures.exchange import COLUMNS, export_row

    header = (*COLUMNS, "overdue", "days_overdue")
    return csv_text(header, ([*export_row(m), str(d > 0).lower(), d] for m, d in rows), shown)
