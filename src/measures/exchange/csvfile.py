"""CSV for spreadsheets, written and read: UTF-8 with a BOM, formula-like cells neutralised."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from measures.errors import BadValue
from measures.exchange.cells import neutralise, read_limited
from measures.i18n import _
from measures.model.records import Measure

if TYPE_CHECKING:
    from measures.domain.lights import Light
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
    """The rows of a CSV file, header first, within limits; its encoding found, not asked.

    UTF-8 (with or without a BOM) first; then GB18030, the superset of GBK that
    Chinese Excel and WPS write for plain CSV; UTF-16 with a BOM (Excel's
    "Unicode text", tab-separated) by its mark. A file that is none of them,
    such as a binary file, is refused.
    """
    from measures.exchange.table import MAX_FILE_BYTES, MAX_ROWS

    raw = read_limited(path, MAX_FILE_BYTES)
    text = decode_csv(path, raw)
    # Excel's "Unicode text" separates cells with tabs; a UTF-16 file with none is CSV.
    delimiter = "\t" if raw.startswith(_UTF16_BOMS) and "\t" in text else ","
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
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


_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# What text never holds and binary data, decoded as GB18030 (which takes almost any
# bytes), does: C0 controls other than tab and line ends, DEL, the private use area.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000-\uf8ff\ufffd]")


def decode_csv(path: Path, raw: bytes) -> str:
    """The text of a CSV file's bytes: UTF-8, else GB18030, else UTF-16 by its BOM.

    A BadValue naming the file if the bytes are none of them.
    """
    if raw.startswith(_UTF16_BOMS):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise BadValue(
                _("{path}: the file starts as UTF-16 text but is not (byte {byte}).").format(
                    path=path, byte=error.start
                ),
                _save_as_utf8(),
            ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = error.start
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if not _NOT_TEXT.search(text):
            return text
    raise BadValue(
        _("{path}: the file is not UTF-8 text (byte {byte}), nor GBK or GB18030.").format(
            path=path, byte=start
        ),
        _save_as_utf8(),
    )


def _save_as_utf8() -> str:
    return _("Save it as CSV UTF-8 (Excel: Save As, CSV UTF-8; WPS: Save As, encoding UTF-8).")


def measures_csv(
    rows: Sequence[tuple[Measure, int]],
    shown: Shown = None,
    plans: Sequence[str] | None = None,
    lights: Sequence[Light | None] | None = None,
) -> str:
    """`list --format csv`: the export's columns, then `overdue`, `days_overdue`,
    `deadline_text` (the deadline's wording), `owner_basis` (`inferred` for an owner
    no source names) and `light` (red, yellow, green or empty), each added after the
    columns of before; in a workspace of several plans, a `plan` column first."""
    from measures.exchange.table import COLUMNS, export_row

    header = (*COLUMNS, "overdue", "days_overdue", "deadline_text", "owner_basis", "light")
    colours = lights if lights is not None else [None] * len(rows)
    body = (
        [
            *export_row(m),
            str(d > 0).lower(),
            d,
            m.deadline_text,
            m.owner_basis,
            c.value if c else "",
        ]
        for (m, d), c in zip(rows, colours, strict=True)
    )
    if plans is None:
        return csv_text(header, body, shown)
    return csv_text(
        ("plan", *header),
        ([key, *row] for key, row in zip(plans, body, strict=True)),
        shown,
    )
