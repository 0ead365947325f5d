"""CSV for spreadsheets, written and read: UTF-8 with a BOM, formula-like cells neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from measures.errors import BadValue
from measures.exchange.cells import neutralise, read_limited
from measures.i18n import _
from measures.model.records import Measure

if TYPE_CHECKING:
    from measures.exchange.sheet import Sheet

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


def sheet_csv(layout: Sheet) -> str:
    """The export's sheet as CSV: its header row and rows, no title row (CSV is data)."""
    return csv_text(layout.headings, layout.rows)


def read_csv(path: Path) -> list[list[str]]:
    """The rows of a UTF-8 CSV file (with or without a BOM), header first, within limits."""
    from measures.exchange.table import MAX_FILE_BYTES, MAX_ROWS

    raw = read_limited(path, MAX_FILE_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadValue(
            _not_utf8(raw).format(path=path, byte=error.start),
            _("Save it as CSV UTF-8 (Excel: Save As, CSV UTF-8; WPS: Save As, encoding UTF-8)."),
        ) from None
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            if len(rows) < MAX_ROWS:
                rows.append(row)
            elif any(cell.strip() for cell in row):
                raise BadValue(
                    _("{path}: more than {rows} rows; import reads at most that many.").format(
                        path=path, rows=f"{MAX_ROWS:,}"
                    ),
                    _("Import the measures in several files."),
                )
    except csv.Error as error:
        raise BadValue(
            _("{path}: not a readable CSV file ({reason}).").format(path=path, reason=error)
        ) from None
    return rows


def _not_utf8(raw: bytes) -> str:
    """The message for a file that is not UTF-8: GBK (Excel's plain CSV in China) named as such."""
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return _("{path}: the file is not UTF-8 text (byte {byte}).")
    return _(
        "{path}: the file is not UTF-8 text (byte {byte}); it looks like GBK or GB18030, "
        "which Excel writes for plain CSV."
    )


def measures_csv(rows: Sequence[tuple[Measure, int]], shown: Shown = None) -> str:
    """`list --format csv`: the export's columns, then `overdue`, `days_overdue` and
    `deadline_text` (the deadline's wording, added after the columns of before)."""
    from measures.exchange.table import COLUMNS, export_row

    header = (*COLUMNS, "overdue", "days_overdue", "deadline_text")
    return csv_text(
        header,
        ([*export_row(m), str(d > 0).lower(), d, m.deadline_text] for m, d in rows),
        shown,
    )
